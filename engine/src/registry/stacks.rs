//! Turns a catalog release into layers, config and history, the way the official images' own
//! Dockerfiles would have built them.

use super::catalog::{Base, Release, Stack};
use super::distro::Distro;
use crate::clock::{SimTime, DAY, HOUR, SESSION_START};
use crate::fs::{Change, Content, FileTree, LayerDiff, Meta, Node};
use crate::image::{HistoryEntry, ImageConfig};

/// A release, built.
#[derive(Debug, Clone)]
pub struct Assembled {
    pub created: SimTime,
    pub layers: Vec<LayerDiff>,
    pub config: ImageConfig,
    pub history: Vec<HistoryEntry>,
}

struct Builder {
    created: SimTime,
    /// The base the binaries are built for; two builds of "curl" on different distros differ.
    flavor: String,
    tree: FileTree,
    layers: Vec<LayerDiff>,
    config: ImageConfig,
    history: Vec<HistoryEntry>,
}

impl Builder {
    /// Records a step that changes the filesystem.
    fn layer(&mut self, created_by: &str, change: impl FnOnce(&mut FileTree)) {
        let before = self.tree.clone();
        change(&mut self.tree);
        let mut diff = LayerDiff::between(&before, &self.tree);
        for (path, change) in diff.changes.iter_mut() {
            if let Change::Put(Node::File { content: Content::Blob { label }, .. }) = change {
                if !self.flavor.is_empty() && !label.ends_with(&self.flavor) {
                    label.push_str(&format!(" for {}", self.flavor));
                    if let Some(node) = self.tree.get_mut(path) {
                        *node = Node::blob(label.clone(), node.size(), node.meta());
                    }
                }
            }
        }
        self.layers.push(diff);
        self.history.push(HistoryEntry {
            created: self.created,
            created_by: created_by.to_string(),
            empty_layer: false,
            comment: if created_by.ends_with("# buildkit") { "buildkit.dockerfile.v0".into() } else { String::new() },
        });
    }

    /// Records a metadata-only step.
    fn meta(&mut self, created_by: &str, change: impl FnOnce(&mut ImageConfig)) {
        change(&mut self.config);
        self.history.push(HistoryEntry {
            created: self.created,
            created_by: created_by.to_string(),
            empty_layer: true,
            comment: "buildkit.dockerfile.v0".into(),
        });
    }

    fn env(&mut self, name: &str, value: &str) {
        self.meta(&format!("ENV {name}={value}"), |config| config.set_env(name, value));
    }

    fn cmd(&mut self, cmd: &[&str]) {
        let json = json_array(cmd);
        self.meta(&format!("CMD {json}"), |config| config.cmd = Some(strings(cmd)));
    }

    fn entrypoint(&mut self, entrypoint: &[&str]) {
        let json = json_array(entrypoint);
        self.meta(&format!("ENTRYPOINT {json}"), |config| config.entrypoint = Some(strings(entrypoint)));
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn json_array(items: &[&str]) -> String {
    serde_json::to_string(items).unwrap_or_default()
}

fn blob(tree: &mut FileTree, path: &str, size: u64) {
    tree.insert(path, Node::blob(path, size, Meta::FILE));
}

fn program(tree: &mut FileTree, path: &str, label: &str, size: u64) {
    tree.insert(path, Node::blob(label, size, Meta::EXECUTABLE));
}

/// `groupadd`/`useradd --system`: the service account an official image runs its server as.
fn add_user(tree: &mut FileTree, name: &str, id: u32, home: &str, shell: &str) {
    let passwd = tree.read_text("/etc/passwd").unwrap_or_default().to_string();
    tree.insert("/etc/passwd", Node::text(format!("{passwd}{name}:x:{id}:{id}::{home}:{shell}\n")));
    let group = tree.read_text("/etc/group").unwrap_or_default().to_string();
    tree.insert("/etc/group", Node::text(format!("{group}{name}:x:{id}:\n")));
}

fn link(tree: &mut FileTree, path: &str, target: &str) {
    tree.insert(path, Node::Symlink { meta: Meta::EXECUTABLE, target: target.into() });
}

pub fn assemble(release: &Release) -> Assembled {
    let created = SimTime(SESSION_START.0.saturating_add_signed(release.published_day * DAY as i64) - 5 * HOUR);
    let mut builder = Builder {
        created,
        flavor: String::new(),
        tree: FileTree::new(),
        layers: Vec::new(),
        config: ImageConfig::default(),
        history: Vec::new(),
    };
    build_base(&mut builder, release.base);
    let alpine = release.base.distro().is_some_and(Distro::is_alpine);
    build_stack(&mut builder, release.stack, release.base, alpine);
    Assembled { created, layers: builder.layers, config: builder.config, history: builder.history }
}

fn build_base(b: &mut Builder, base: Base) {
    let Some(distro) = base.distro() else {
        // `scratch` has no layers and no environment of its own.
        b.config.env.clear();
        return;
    };
    let (rootfs, created_by) = distro.rootfs();
    b.layer(created_by, |tree| *tree = rootfs);
    b.flavor = format!("{distro:?}");
    match distro {
        Distro::Alpine318 | Distro::Alpine319 => b.meta("/bin/sh -c #(nop)  CMD [\"/bin/sh\"]", |c| c.cmd = Some(strings(&["/bin/sh"]))),
        Distro::Busybox => b.meta("/bin/sh -c #(nop)  CMD [\"sh\"]", |c| c.cmd = Some(strings(&["sh"]))),
        Distro::DistrolessBase11 => {}
        _ => b.meta("/bin/sh -c #(nop)  CMD [\"bash\"]", |c| c.cmd = Some(strings(&["bash"]))),
    }
    if let Base::Full(_) | Base::Scm(_) = base {
        // The non-slim Debian images carry manuals, locales and docs that `-slim` strips.
        b.layer("RUN /bin/sh -c set -eux; apt-get update; apt-get install -y --no-install-recommends less man-db locales; rm -rf /var/lib/apt/lists/* # buildkit", |tree| {
            blob(tree, "/usr/share/whalebox/debian-full-extras", 42_000_000);
        });
        b.layer("RUN /bin/sh -c set -eux; apt-get update; apt-get install -y --no-install-recommends ca-certificates curl gnupg netbase sq wget; rm -rf /var/lib/apt/lists/* # buildkit", |tree| {
            program(tree, "/usr/bin/curl", "curl", 280_000);
            program(tree, "/usr/bin/wget", "wget", 500_000);
            blob(tree, "/usr/share/whalebox/buildpack-curl", 48_000_000);
        });
        b.layer("RUN /bin/sh -c set -eux; apt-get update; apt-get install -y --no-install-recommends git mercurial openssh-client subversion procps; rm -rf /var/lib/apt/lists/* # buildkit", |tree| {
            program(tree, "/usr/bin/git", "git", 3_800_000);
            program(tree, "/usr/bin/ssh", "openssh-client", 900_000);
            program(tree, "/bin/ps", "procps ps", 140_000);
            blob(tree, "/usr/share/whalebox/buildpack-scm", 135_000_000);
        });
        if let Base::Scm(_) = base {
            return;
        }
        b.layer("RUN /bin/sh -c set -ex; apt-get update; apt-get install -y --no-install-recommends autoconf automake bzip2 dpkg-dev file g++ gcc imagemagick libbz2-dev libc6-dev libcurl4-openssl-dev libdb-dev libevent-dev libffi-dev libgdbm-dev libglib2.0-dev libgmp-dev libjpeg-dev libkrb5-dev liblzma-dev libmagickcore-dev libmagickwand-dev libmaxminddb-dev libncurses5-dev libncursesw5-dev libpng-dev libpq-dev libreadline-dev libsqlite3-dev libssl-dev libtool libwebp-dev libxml2-dev libxslt-dev libyaml-dev make patch unzip xz-utils zlib1g-dev; rm -rf /var/lib/apt/lists/* # buildkit", |tree| {
            program(tree, "/usr/bin/gcc", "gcc", 1_200_000);
            program(tree, "/usr/bin/g++", "g++", 1_200_000);
            program(tree, "/usr/bin/make", "make", 250_000);
            blob(tree, "/usr/share/whalebox/buildpack-dev", 650_000_000);
        });
    }
}

fn build_stack(b: &mut Builder, stack: Stack, base: Base, alpine: bool) {
    let full = matches!(base, Base::Full(_));
    match stack {
        Stack::Bare => {}
        Stack::HelloWorld => {
            b.layer("COPY hello / # buildkit", |tree| program(tree, "/hello", "hello-world greeting", 10_072));
            b.cmd(&["/hello"]);
        }
        Stack::Python(version) => {
            let minor = version.rsplit_once('.').map_or(version, |(minor, _)| minor);
            b.env("PATH", "/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            b.env("LANG", "C.UTF-8");
            if !full {
                let deps = if alpine { "apk add --no-cache ca-certificates tzdata" } else { "apt-get update; apt-get install -y --no-install-recommends ca-certificates netbase tzdata; rm -rf /var/lib/apt/lists/*" };
                b.layer(&format!("RUN /bin/sh -c set -eux; {deps} # buildkit"), |tree| blob(tree, "/usr/share/whalebox/python-runtime-deps", 9_200_000));
            }
            b.env("GPG_KEY", "A035C8C19219BA821ECEA86B64E628F8D684696D");
            b.env("PYTHON_VERSION", version);
            let size = if full { 58_000_000 } else if alpine { 38_000_000 } else { 41_000_000 };
            b.layer("RUN /bin/sh -c set -eux; wget -O python.tar.xz \"https://www.python.org/ftp/python/${PYTHON_VERSION%%[a-z]*}/Python-$PYTHON_VERSION.tar.xz\"; ./configure --enable-optimizations --enable-shared; make -j \"$nproc\"; make install; python3 --version # buildkit", |tree| {
                program(tree, &format!("/usr/local/bin/python{minor}"), &format!("cpython {version}"), 17_000);
                blob(tree, &format!("/usr/local/lib/libpython{minor}.so.1.0"), 25_000_000);
                blob(tree, &format!("/usr/local/lib/python{minor}/stdlib"), size - 25_000_000);
                program(tree, "/usr/local/bin/pip", "pip", 230);
                program(tree, "/usr/local/bin/pip3", "pip", 230);
            });
            b.layer("RUN /bin/sh -c set -eux; for src in idle3 pydoc3 python3 python3-config; do dst=\"$(echo \"$src\" | tr -d 3)\"; [ -s \"/usr/local/bin/$src\" ]; [ ! -e \"/usr/local/bin/$dst\" ]; ln -svT \"$src\" \"/usr/local/bin/$dst\"; done # buildkit", |tree| {
                link(tree, "/usr/local/bin/python3", &format!("python{minor}"));
                link(tree, "/usr/local/bin/python", "python3");
            });
            b.cmd(&["python3"]);
        }
        Stack::Node(version) => {
            b.env("NODE_VERSION", version);
            let size = if alpine { 120_000_000 } else { 180_000_000 };
            b.layer("RUN /bin/sh -c set -ex; curl -fsSLO --compressed \"https://nodejs.org/dist/v$NODE_VERSION/node-v$NODE_VERSION-linux-$ARCH.tar.xz\"; tar -xJf \"node-v$NODE_VERSION-linux-$ARCH.tar.xz\" -C /usr/local --strip-components=1 --no-same-owner; ln -s /usr/local/bin/node /usr/local/bin/nodejs; node --version; npm --version # buildkit", |tree| {
                program(tree, "/usr/local/bin/node", &format!("node {version}"), 95_000_000);
                blob(tree, "/usr/local/lib/node_modules/npm", size - 95_000_000);
                link(tree, "/usr/local/bin/npm", "../lib/node_modules/npm/bin/npm-cli.js");
                link(tree, "/usr/local/bin/npx", "../lib/node_modules/npm/bin/npx-cli.js");
                link(tree, "/usr/local/bin/nodejs", "/usr/local/bin/node");
            });
            b.env("YARN_VERSION", "1.22.19");
            b.layer("RUN /bin/sh -c set -ex; curl -fsSLO --compressed \"https://yarnpkg.com/downloads/$YARN_VERSION/yarn-v$YARN_VERSION.tar.gz\"; mkdir -p /opt; tar -xzf yarn-v$YARN_VERSION.tar.gz -C /opt/; ln -s /opt/yarn-v$YARN_VERSION/bin/yarn /usr/local/bin/yarn; yarn --version # buildkit", |tree| {
                blob(tree, "/opt/yarn-v1.22.19/lib/cli.js", 5_300_000);
                link(tree, "/usr/local/bin/yarn", "/opt/yarn-v1.22.19/bin/yarn");
            });
            b.layer("COPY docker-entrypoint.sh /usr/local/bin/ # buildkit", |tree| {
                tree.insert("/usr/local/bin/docker-entrypoint.sh", Node::File { meta: Meta::EXECUTABLE, size: 388, content: crate::fs::Content::Text(NODE_ENTRYPOINT.into()) });
            });
            b.entrypoint(&["docker-entrypoint.sh"]);
            b.cmd(&["node"]);
        }
        Stack::Go(version) => {
            if alpine {
                b.layer("RUN /bin/sh -c apk add --no-cache ca-certificates # buildkit", |tree| blob(tree, "/etc/ssl/certs/ca-certificates.crt", 220_000));
            } else {
                b.layer("RUN /bin/sh -c set -eux; apt-get update; apt-get install -y --no-install-recommends g++ gcc libc6-dev make pkg-config; rm -rf /var/lib/apt/lists/* # buildkit", |tree| {
                    program(tree, "/usr/bin/gcc", "gcc", 1_200_000);
                    program(tree, "/usr/bin/make", "make", 250_000);
                    blob(tree, "/usr/share/whalebox/go-build-deps", 290_000_000);
                });
            }
            b.env("GOLANG_VERSION", version);
            b.env("GOTOOLCHAIN", "local");
            b.env("GOPATH", "/go");
            b.env("PATH", "/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            b.layer("COPY /target/ / # buildkit", |tree| {
                program(tree, "/usr/local/go/bin/go", &format!("go {version}"), 14_000_000);
                program(tree, "/usr/local/go/bin/gofmt", &format!("gofmt {version}"), 3_000_000);
                blob(tree, "/usr/local/go/pkg", 200_000_000);
            });
            b.layer("RUN /bin/sh -c mkdir -p \"$GOPATH/src\" \"$GOPATH/bin\" && chmod -R 1777 \"$GOPATH\" # buildkit", |tree| {
                tree.mkdir_all("/go/src", Meta { mode: 0o1777, uid: 0, gid: 0 });
                tree.mkdir_all("/go/bin", Meta { mode: 0o1777, uid: 0, gid: 0 });
            });
            b.meta("WORKDIR /go", |c| c.working_dir = "/go".into());
        }
        Stack::Nginx(version) => {
            b.meta("LABEL maintainer=NGINX Docker Maintainers <docker-maint@nginx.com>", |c| {
                c.labels.insert("maintainer".into(), "NGINX Docker Maintainers <docker-maint@nginx.com>".into());
            });
            b.env("NGINX_VERSION", version);
            let size = if alpine { 40_000_000 } else { 113_000_000 };
            b.layer("RUN /bin/sh -c set -x && groupadd --system --gid 101 nginx && useradd --system --gid nginx --no-create-home --home /nonexistent --shell /bin/false --uid 101 nginx && apt-get update && apt-get install --no-install-recommends --no-install-suggests -y nginx=${NGINX_VERSION}-* && rm -rf /var/lib/apt/lists/* && ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log # buildkit", |tree| {
                add_user(tree, "nginx", 101, "/nonexistent", "/bin/false");
                program(tree, "/usr/sbin/nginx", &format!("nginx {version}"), 1_400_000);
                // gettext-base: the image's templates (and many compose files) run envsubst.
                program(tree, "/usr/bin/envsubst", "envsubst 0.21", 40_000);
                blob(tree, "/usr/lib/nginx/modules", size - 1_400_000);
                tree.insert("/etc/nginx/nginx.conf", Node::text(NGINX_CONF));
                tree.insert("/etc/nginx/conf.d/default.conf", Node::text(NGINX_DEFAULT_SITE));
                tree.insert("/usr/share/nginx/html/index.html", Node::text(NGINX_INDEX));
                link(tree, "/var/log/nginx/access.log", "/dev/stdout");
                link(tree, "/var/log/nginx/error.log", "/dev/stderr");
            });
            b.layer("COPY docker-entrypoint.sh / # buildkit", |tree| {
                tree.insert("/docker-entrypoint.sh", Node::blob("nginx docker-entrypoint.sh", 1_620, Meta::EXECUTABLE));
            });
            b.entrypoint(&["/docker-entrypoint.sh"]);
            b.meta("EXPOSE map[80/tcp:{}]", |c| {
                c.exposed_ports.insert("80/tcp".into());
            });
            b.meta("STOPSIGNAL SIGQUIT", |c| c.stop_signal = Some("SIGQUIT".into()));
            b.cmd(&["nginx", "-g", "daemon off;"]);
        }
        Stack::Postgres(version) => {
            let major = version.split('.').next().unwrap_or(version);
            b.layer("RUN /bin/sh -c set -eux; groupadd -r postgres --gid=999; useradd -r -g postgres --uid=999 --home-dir=/var/lib/postgresql --shell=/bin/bash postgres; mkdir -p /var/lib/postgresql; chown -R postgres:postgres /var/lib/postgresql # buildkit", |tree| {
                add_user(tree, "postgres", 999, "/var/lib/postgresql", "/bin/bash");
                tree.mkdir_all("/var/lib/postgresql", Meta { mode: 0o755, uid: 999, gid: 999 });
            });
            b.env("PG_MAJOR", major);
            if !alpine {
                // The Debian image puts the server's own bin directory on PATH (pg_isready, psql).
                b.env("PATH", &format!("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/lib/postgresql/{major}/bin"));
            }
            b.env("PG_VERSION", version);
            let size = if alpine { 230_000_000 } else { 355_000_000 };
            b.layer("RUN /bin/sh -c set -ex; apt-get update; apt-get install -y --no-install-recommends \"postgresql-$PG_MAJOR=$PG_VERSION\"; rm -rf /var/lib/apt/lists/* # buildkit", |tree| {
                let bin = if alpine { "/usr/local/bin".to_string() } else { format!("/usr/lib/postgresql/{major}/bin") };
                for tool in ["postgres", "initdb", "pg_ctl", "psql", "pg_dump"] {
                    program(tree, &format!("{bin}/{tool}"), &format!("postgres {version} {tool}"), 9_000_000);
                }
                // The probe compose healthchecks use (`pg_isready -U postgres`).
                program(tree, &format!("{bin}/pg_isready"), &format!("postgres {version} pg_isready"), 70_000);
                blob(tree, "/usr/share/postgresql/extensions", size - 45_000_000);
            });
            b.env("PGDATA", "/var/lib/postgresql/data");
            b.layer("RUN /bin/sh -c mkdir -p \"$PGDATA\" && chown -R postgres:postgres \"$PGDATA\" && chmod 1777 \"$PGDATA\" # buildkit", |tree| {
                tree.mkdir_all("/var/lib/postgresql/data", Meta { mode: 0o1777, uid: 999, gid: 999 });
            });
            b.meta("VOLUME [/var/lib/postgresql/data]", |c| {
                c.volumes.insert("/var/lib/postgresql/data".into());
            });
            b.layer("COPY docker-entrypoint.sh docker-ensure-initdb.sh /usr/local/bin/ # buildkit", |tree| {
                tree.insert("/usr/local/bin/docker-entrypoint.sh", Node::blob("postgres docker-entrypoint.sh", 12_000, Meta::EXECUTABLE));
            });
            b.entrypoint(&["docker-entrypoint.sh"]);
            b.meta("STOPSIGNAL SIGINT", |c| c.stop_signal = Some("SIGINT".into()));
            b.meta("EXPOSE map[5432/tcp:{}]", |c| {
                c.exposed_ports.insert("5432/tcp".into());
            });
            b.cmd(&["postgres"]);
        }
        Stack::Redis(version) => {
            b.layer("RUN /bin/sh -c set -eux; groupadd -r -g 999 redis; useradd -r -g redis -u 999 redis # buildkit", |tree| {
                add_user(tree, "redis", 999, "/home/redis", "/bin/sh");
            });
            b.env("REDIS_VERSION", version);
            let size = if alpine { 34_500_000 } else { 42_000_000 };
            b.layer("RUN /bin/sh -c set -eux; wget -O redis.tar.gz \"$REDIS_DOWNLOAD_URL\"; make -C /usr/src/redis -j \"$(nproc)\" all; make -C /usr/src/redis install # buildkit", |tree| {
                program(tree, "/usr/local/bin/redis-server", &format!("redis {version}"), size / 2);
                program(tree, "/usr/local/bin/redis-cli", &format!("redis-cli {version}"), size / 2);
            });
            b.layer("RUN /bin/sh -c mkdir /data && chown redis:redis /data # buildkit", |tree| {
                tree.mkdir_all("/data", Meta { mode: 0o755, uid: 999, gid: 999 });
            });
            b.meta("VOLUME [/data]", |c| {
                c.volumes.insert("/data".into());
            });
            b.meta("WORKDIR /data", |c| c.working_dir = "/data".into());
            b.layer("COPY docker-entrypoint.sh /usr/local/bin/ # buildkit", |tree| {
                tree.insert("/usr/local/bin/docker-entrypoint.sh", Node::blob("redis docker-entrypoint.sh", 1_500, Meta::EXECUTABLE));
            });
            b.entrypoint(&["docker-entrypoint.sh"]);
            b.meta("EXPOSE map[6379/tcp:{}]", |c| {
                c.exposed_ports.insert("6379/tcp".into());
            });
            b.cmd(&["redis-server"]);
        }
    }
}

const NODE_ENTRYPOINT: &str = "#!/bin/sh\nset -e\n\n# Run command with node if the first argument contains a \"-\" or is not a system command.\nif [ \"${1#-}\" != \"${1}\" ] || [ -z \"$(command -v \"${1}\")\" ] || { [ -f \"${1}\" ] && ! [ -x \"${1}\" ]; }; then\n  set -- node \"$@\"\nfi\n\nexec \"$@\"\n";

const NGINX_CONF: &str = "user  nginx;\nworker_processes  auto;\n\nerror_log  /var/log/nginx/error.log notice;\npid        /var/run/nginx.pid;\n\nevents {\n    worker_connections  1024;\n}\n\nhttp {\n    include       /etc/nginx/mime.types;\n    default_type  application/octet-stream;\n    sendfile        on;\n    keepalive_timeout  65;\n    include /etc/nginx/conf.d/*.conf;\n}\n";

const NGINX_DEFAULT_SITE: &str = "server {\n    listen       80;\n    listen  [::]:80;\n    server_name  localhost;\n\n    location / {\n        root   /usr/share/nginx/html;\n        index  index.html index.htm;\n    }\n}\n";

const NGINX_INDEX: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and working.</p>\n</body>\n</html>\n";
