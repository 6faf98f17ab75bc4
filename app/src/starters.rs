//! Sandbox starter projects: small, realistic apps with their Dockerfiles, written into the
//! learner's home so there is something to build and run straight away.

/// One starter: its id (the `data-starter` contract), a label, the folder under home, its files.
pub struct Starter {
    pub id: &'static str,
    pub label: &'static str,
    pub folder: &'static str,
    /// What to type next, shown after loading.
    pub next: &'static str,
    pub files: &'static [(&'static str, &'static str)],
}

pub const STARTERS: [Starter; 4] = [
    Starter {
        id: "python-api",
        label: "Python API (Flask)",
        folder: "python-api",
        next: "docker build -t python-api . && docker run -d -p 5000:5000 --name api python-api",
        files: &[
            ("requirements.txt", "flask==3.0.3\n"),
            (
                "app.py",
                "import os\n\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get(\"/\")\ndef index():\n    return {\"status\": \"ok\"}\n\n\n@app.get(\"/hello\")\ndef hello():\n    return \"Hello from Flask!\"\n\n\nif __name__ == \"__main__\":\n    app.run(host=\"0.0.0.0\", port=int(os.environ.get(\"PORT\", 5000)))\n",
            ),
            (".dockerignore", "__pycache__/\n*.pyc\n.venv/\n"),
            (
                "Dockerfile",
                "FROM python:3.12-slim\nWORKDIR /app\n# Dependencies first: this layer stays cached while only the code changes.\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nEXPOSE 5000\nCMD [\"python\", \"app.py\"]\n",
            ),
        ],
    },
    Starter {
        id: "node-app",
        label: "Node app (Express)",
        folder: "node-app",
        next: "docker build -t node-app . && docker run -d -p 3000:3000 --name node node-app",
        files: &[
            (
                "package.json",
                "{\n  \"name\": \"node-app\",\n  \"version\": \"1.0.0\",\n  \"main\": \"server.js\",\n  \"scripts\": { \"start\": \"node server.js\" },\n  \"dependencies\": { \"express\": \"^4.19.2\" }\n}\n",
            ),
            (
                "server.js",
                "const express = require('express');\n\nconst app = express();\nconst PORT = process.env.PORT || 3000;\n\napp.get('/', (req, res) => res.json({ status: 'ok' }));\n\nprocess.on('SIGTERM', () => process.exit(0));\n\napp.listen(PORT, () => console.log(`listening on ${PORT}`));\n",
            ),
            (".dockerignore", "node_modules/\nnpm-debug.log\n"),
            (
                "Dockerfile",
                "FROM node:20-alpine\nWORKDIR /app\nCOPY package.json ./\nRUN npm install --omit=dev\nCOPY . .\n# The uid of the image's unprivileged `node` user: no root inside the container.\nUSER 1000\nEXPOSE 3000\nCMD [\"node\", \"server.js\"]\n",
            ),
        ],
    },
    Starter {
        id: "go-multistage",
        label: "Go service (multi-stage)",
        folder: "go-service",
        next: "docker build -t go-service . && docker images go-service",
        files: &[
            ("go.mod", "module example.com/go-service\n\ngo 1.22\n"),
            (
                "main.go",
                "package main\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n)\n\nfunc health(w http.ResponseWriter, r *http.Request) {\n\tfmt.Fprint(w, \"ok\")\n}\n\nfunc main() {\n\thttp.HandleFunc(\"/health\", health)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
            ),
            (
                "Dockerfile",
                "# Stage 1: the full Go toolchain compiles a static binary.\nFROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod ./\nRUN go mod download\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/server .\n\n# Stage 2: only the binary ships, on a small base.\nFROM alpine:3.19\nCOPY --from=build /out/server /usr/local/bin/server\nUSER nobody\nEXPOSE 8080\nCMD [\"server\"]\n",
            ),
        ],
    },
    Starter {
        id: "compose-stack",
        label: "Compose stack (web + postgres + redis)",
        folder: "stack",
        next: "docker compose up -d && docker compose ps",
        files: &[
            ("web/requirements.txt", "flask==3.0.3\n"),
            (
                "web/app.py",
                "import os\n\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get(\"/\")\ndef index():\n    return {\"db\": os.environ.get(\"DATABASE_URL\", \"unset\"), \"cache\": os.environ.get(\"REDIS_URL\", \"unset\")}\n\n\nif __name__ == \"__main__\":\n    app.run(host=\"0.0.0.0\", port=8000)\n",
            ),
            (
                "web/Dockerfile",
                "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nEXPOSE 8000\nCMD [\"python\", \"app.py\"]\n",
            ),
            (
                "compose.yaml",
                "services:\n  web:\n    build: ./web\n    ports:\n      - \"8000:8000\"\n    environment:\n      DATABASE_URL: postgres://app:secret@db:5432/app\n      REDIS_URL: redis://cache:6379/0\n    depends_on:\n      - db\n      - cache\n  db:\n    image: postgres:16-alpine\n    environment:\n      POSTGRES_USER: app\n      POSTGRES_PASSWORD: secret\n      POSTGRES_DB: app\n    volumes:\n      - db-data:/var/lib/postgresql/data\n  cache:\n    image: redis:7-alpine\n\nvolumes:\n  db-data:\n",
            ),
        ],
    },
];

pub fn find(id: &str) -> Option<&'static Starter> {
    STARTERS.iter().find(|starter| starter.id == id)
}

impl Starter {
    /// The project's files by absolute path under the learner's home.
    pub fn files_at_home(&self) -> Vec<(String, &'static str)> {
        self.files.iter().map(|(path, text)| (format!("{}/{}/{path}", crate::share::HOME, self.folder), *text)).collect()
    }

    /// The line that moves the shell into the project.
    pub fn cd_line(&self) -> String {
        format!("cd ~/{}", self.folder)
    }

    /// What the learner is told after loading.
    pub fn announcement(&self) -> String {
        format!("Loaded the {} starter into ~/{} ({} files).\nTry: {}", self.label, self.folder, self.files.len(), self.next)
    }

    /// Writes the project into `~/<folder>` of `engine` and moves the shell there.
    pub fn load(&self, engine: &mut engine::Engine) -> Result<(), String> {
        for (path, text) in self.files_at_home() {
            if let Some((dir, _)) = path.rsplit_once('/') {
                engine.make_dirs(dir);
            }
            engine.write_file(&path, text)?;
        }
        let moved = engine.run(&self.cd_line());
        if moved.exit_code != 0 {
            return Err(moved.text());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::Engine;

    fn loaded(id: &str) -> Engine {
        let mut engine = Engine::new(1);
        find(id).unwrap().load(&mut engine).unwrap();
        engine
    }

    fn run_ok(engine: &mut Engine, line: &str) -> String {
        let outcome = engine.run(line);
        assert_eq!(outcome.exit_code, 0, "{line}:\n{}", outcome.text());
        outcome.text()
    }

    #[test]
    fn python_api_builds_and_answers() {
        let mut engine = loaded("python-api");
        assert_eq!(engine.run("pwd").text().trim(), "/home/learner/python-api");
        run_ok(&mut engine, "docker build -t python-api .");
        run_ok(&mut engine, "docker run -d -p 5000:5000 --name api python-api");
        run_ok(&mut engine, "sleep 2");
        assert!(run_ok(&mut engine, "curl -s localhost:5000/").contains("ok"));
    }

    #[test]
    fn node_app_builds_and_answers() {
        let mut engine = loaded("node-app");
        run_ok(&mut engine, "docker build -t node-app .");
        run_ok(&mut engine, "docker run -d -p 3000:3000 --name node node-app");
        run_ok(&mut engine, "sleep 2");
        assert!(run_ok(&mut engine, "curl -s localhost:3000/").contains("ok"));
    }

    #[test]
    fn go_service_builds_small_in_two_stages() {
        let mut engine = loaded("go-multistage");
        let build = run_ok(&mut engine, "docker build -t go-service .");
        assert!(build.contains("[build "), "{build}");
        run_ok(&mut engine, "docker run -d -p 8080:8080 --name go go-service");
        run_ok(&mut engine, "sleep 2");
        assert!(run_ok(&mut engine, "curl -s localhost:8080/health").contains("ok"));
    }

    #[test]
    fn compose_stack_comes_up_with_three_services() {
        let mut engine = loaded("compose-stack");
        run_ok(&mut engine, "docker compose up -d");
        let ps = run_ok(&mut engine, "docker compose ps --format '{{.Service}} {{.State}}'");
        for service in ["web running", "db running", "cache running"] {
            assert!(ps.contains(service), "{service} in:\n{ps}");
        }
    }

    #[test]
    fn ids_are_unique_and_known() {
        let ids: Vec<&str> = STARTERS.iter().map(|s| s.id).collect();
        assert_eq!(ids, ["python-api", "node-app", "go-multistage", "compose-stack"]);
        assert!(find("rails").is_none());
    }
}
