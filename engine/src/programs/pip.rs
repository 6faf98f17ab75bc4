//! `pip install` (`-r requirements.txt`, `==` pins, extras, `--no-cache-dir`, `--user`,
//! `--prefix`, `--target`), `pip list/freeze/uninstall/--version`: wheels land in the image's
//! site-packages with sizes from [`PYPI`]; native wheels record the shared library they were
//! built against so a later import on another distro can fail like the guides' incident.

use super::sys::{hash, human_mb};
use super::{Io, Sys};
use crate::fs::{file_name, parent, Node};

/// name|version|installed kB|depends|kind (``/native/ffi/ssl/source)|import name|console scripts
const PYPI: &str = "\
flask|3.0.2|330|werkzeug,jinja2,itsdangerous,click,blinker||flask|flask
werkzeug|3.0.1|1000|markupsafe||werkzeug|
jinja2|3.1.3|900|markupsafe||jinja2|
markupsafe|2.1.5|60||native|markupsafe|
itsdangerous|2.1.2|70|||itsdangerous|
click|8.1.7|400|||click|
blinker|1.7.0|40|||blinker|
django|5.0.3|41000|asgiref,sqlparse||django|django-admin
asgiref|3.7.2|120|||asgiref|
sqlparse|0.4.4|200|||sqlparse|sqlformat
fastapi|0.110.0|400|starlette,pydantic,typing-extensions||fastapi|
starlette|0.36.3|300|anyio||starlette|
pydantic|2.6.4|1600|pydantic-core,annotated-types,typing-extensions||pydantic|
pydantic-core|2.16.3|5000|typing-extensions|native|pydantic_core|
annotated-types|0.6.0|40|||annotated_types|
typing-extensions|4.10.0|130|||typing_extensions|
anyio|4.3.0|400|sniffio,idna||anyio|
sniffio|1.3.1|30|||sniffio|
idna|3.6|300|||idna|
uvicorn|0.28.0|250|click,h11||uvicorn|uvicorn
h11|0.14.0|200|||h11|
gunicorn|21.2.0|500|packaging||gunicorn|gunicorn
packaging|24.0|200|||packaging|
requests|2.31.0|250|charset-normalizer,idna,urllib3,certifi||requests|
charset-normalizer|3.3.2|450||native|charset_normalizer|normalizer
urllib3|2.2.1|600|||urllib3|
certifi|2024.2.2|300|||certifi|
numpy|1.26.4|60000||native|numpy|f2py
pandas|2.2.1|70000|numpy,python-dateutil,pytz,tzdata|native|pandas|
python-dateutil|2.9.0.post0|700|six||dateutil|
six|1.16.0|40|||six|
pytz|2024.1|2900|||pytz|
tzdata|2024.1|1900|||tzdata|
psycopg2-binary|2.9.9|9000||ssl|psycopg2|
psycopg2|2.9.9|1000||source|psycopg2|
cffi|1.16.0|1500|pycparser|ffi|cffi|
pycparser|2.21|800|||pycparser|
cryptography|42.0.5|10000|cffi|ssl|cryptography|
sqlalchemy|2.0.28|10000|greenlet,typing-extensions|native|sqlalchemy|
greenlet|3.0.3|600||native|greenlet|
redis|5.0.3|1000|||redis|
celery|5.3.6|2500|kombu,billiard,vine,click,click-didyoumean,click-repl,click-plugins,python-dateutil,tzdata||celery|celery
kombu|5.3.5|1100|amqp,vine||kombu|
amqp|5.2.0|300|vine||amqp|
vine|5.1.0|60|||vine|
billiard|4.2.0|500|||billiard|
click-didyoumean|0.3.0|10|click||click_didyoumean|
click-repl|0.3.0|20|click,prompt-toolkit||click_repl|
click-plugins|1.1.1|20|click||click_plugins|
prompt-toolkit|3.0.43|2500|wcwidth||prompt_toolkit|
wcwidth|0.2.13|400|||wcwidth|
pytest|8.1.1|1700|iniconfig,packaging,pluggy||pytest|pytest,py.test
iniconfig|2.0.0|20|||iniconfig|
pluggy|1.4.0|80|||pluggy|
httpx|0.27.0|400|anyio,certifi,httpcore,idna,sniffio||httpx|httpx
httpcore|1.0.4|300|certifi,h11||httpcore|
python-dotenv|1.0.1|80|||dotenv|dotenv
pyyaml|6.0.1|2500||native|yaml|
alembic|1.13.1|1100|sqlalchemy,mako,typing-extensions||alembic|alembic
mako|1.3.2|400|markupsafe||mako|mako-render
boto3|1.34.60|600|botocore,jmespath,s3transfer||boto3|
botocore|1.34.60|100000|jmespath,python-dateutil,urllib3||botocore|
jmespath|1.0.1|100|||jmespath|
s3transfer|0.10.1|400|botocore||s3transfer|
pillow|10.2.0|12000||native|PIL|
setuptools|69.2.0|4000|||setuptools|
wheel|0.43.0|200|||wheel|wheel
pip|24.0|9000|||pip|pip
httptools|0.6.1|1300||native|httptools|
uvloop|0.19.0|14000||native|uvloop|
watchfiles|0.21.0|1300|anyio|native|watchfiles|watchfiles
websockets|12.0|600||native|websockets|
email-validator|2.1.1|100|dnspython,idna||email_validator|email_validator
dnspython|2.6.1|1300|||dns|
marshmallow|3.21.1|300|packaging||marshmallow|
flask-sqlalchemy|3.1.1|100|flask,sqlalchemy||flask_sqlalchemy|
flask-cors|4.0.0|50|flask||flask_cors|
pymongo|4.6.2|5000|dnspython|native|pymongo|
";

const EXTRAS: &[(&str, &str)] = &[
    ("uvicorn[standard]", "httptools,uvloop,watchfiles,websockets,python-dotenv,pyyaml"),
    ("pydantic[email]", "email-validator"),
    ("celery[redis]", "redis"),
    ("fastapi[all]", "uvicorn,httpx,jinja2,python-dotenv,pyyaml,email-validator"),
];

#[derive(Debug, Clone)]
pub struct Dist {
    pub name: String,
    pub version: String,
    pub kb: u64,
    pub depends: Vec<String>,
    pub kind: String,
    pub import: String,
    pub scripts: Vec<String>,
}

fn normalize_name(name: &str) -> String {
    name.trim().to_lowercase().replace(['_', '.'], "-")
}

pub fn lookup(name: &str) -> Dist {
    let wanted = normalize_name(name);
    for line in PYPI.lines() {
        let f: Vec<&str> = line.split('|').collect();
        if f.first().copied() == Some(wanted.as_str()) {
            let list = |i: usize| f.get(i).copied().unwrap_or_default().split(',').filter(|s| !s.is_empty()).map(str::to_string).collect::<Vec<_>>();
            return Dist {
                name: wanted.clone(),
                version: f.get(1).copied().unwrap_or("1.0.0").to_string(),
                kb: f.get(2).and_then(|k| k.parse().ok()).unwrap_or(100),
                depends: list(3),
                kind: f.get(4).copied().unwrap_or_default().to_string(),
                import: f.get(5).copied().unwrap_or_default().to_string(),
                scripts: list(6),
            };
        }
    }
    // Unknown to the simulator: a small pure-Python package with a stable made-up size.
    let h = hash(&wanted);
    Dist {
        name: wanted.clone(),
        version: format!("1.{}.{}", h % 10, (h >> 8) % 10),
        kb: 40 + (h >> 16) % 400,
        depends: Vec::new(),
        kind: String::new(),
        import: wanted.replace('-', "_"),
        scripts: Vec::new(),
    }
}

/// One requirement: the text as written, the name, a pinned version, where it came from.
#[derive(Debug, Clone)]
struct Requirement {
    spec: String,
    name: String,
    extras: String,
    pin: Option<String>,
    origin: String,
}

fn parse_requirement(text: &str, origin: &str) -> Option<Requirement> {
    let text = text.split('#').next().unwrap_or_default().split(';').next().unwrap_or_default().trim();
    if text.is_empty() || text.starts_with('-') {
        return None;
    }
    let end = text.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))).unwrap_or(text.len());
    let name = text.get(..end).unwrap_or(text).to_string();
    if name.is_empty() {
        return None;
    }
    let rest = text.get(end..).unwrap_or_default();
    let extras = if rest.starts_with('[') { rest.get(..rest.find(']').map_or(rest.len(), |i| i + 1)).unwrap_or_default().to_string() } else { String::new() };
    let pin = rest.split_once("==").map(|(_, v)| v.split(',').next().unwrap_or(v).trim().to_string());
    Some(Requirement { spec: text.replace(' ', ""), name, extras, pin, origin: origin.to_string() })
}

/// Where an install goes: site-packages and the scripts directory.
struct Target {
    site: String,
    bin: String,
    python_minor: String,
}

/// The python version (`3.12`) that the pip at `pip_path` belongs to, and its prefix.
fn python_of(sys: &Sys, pip_path: &str) -> (String, String) {
    let bin = parent(pip_path).to_string();
    for candidate in ["python3", "python"] {
        let path = format!("{bin}/{candidate}");
        if let super::Identity::Binary { label, .. } = super::identify(sys.fs, &path) {
            if let Some(version) = label.split(' ').nth(1) {
                let mut parts = version.split('.');
                if let (Some(a), Some(b)) = (parts.next(), parts.next()) {
                    return (format!("{a}.{b}"), parent(&bin).to_string());
                }
            }
        }
    }
    // Fall back to whatever python the image has under /usr/local/lib.
    let minor = sys
        .fs
        .children("/usr/local/lib")
        .filter(|&(name, node)| node.is_dir() && name.starts_with("python3.")).map(|(name, _)| name.trim_start_matches("python").to_string())
        .last()
        .unwrap_or_else(|| "3.12".into());
    (minor, parent(&bin).to_string())
}

pub fn main(sys: &mut Sys, io: &mut Io, pip_path: &str, args: &[String]) -> i32 {
    let (minor, prefix) = python_of(sys, pip_path);
    run(sys, io, &minor, &prefix, args)
}

pub fn run(sys: &mut Sys, io: &mut Io, minor: &str, prefix: &str, args: &[String]) -> i32 {
    let pip_version = "24.0";
    let venv = sys.fs.exists(&format!("{prefix}/pyvenv.cfg"));
    let system_site = if prefix == "/usr" { format!("/usr/local/lib/python{minor}/dist-packages") } else { format!("{prefix}/lib/python{minor}/site-packages") };
    let Some((command, rest)) = args.split_first() else {
        io.out_line("");
        io.out_line("Usage:   ");
        io.out_line("  pip <command> [options]");
        return 0;
    };
    match command.as_str() {
        "--version" | "-V" => {
            io.out_line(&format!("pip {pip_version} from {system_site}/pip (python {minor})"));
            0
        }
        "install" => install(sys, io, minor, prefix, &system_site, venv, rest),
        "list" | "freeze" => {
            let mut found: Vec<(String, String)> = Vec::new();
            for site in [system_site.clone(), format!("{}/.local/lib/python{minor}/site-packages", sys.home())] {
                for (name, _) in sys.fs.children(&site) {
                    if let Some(stem) = name.strip_suffix(".dist-info") {
                        if let Some((n, v)) = stem.rsplit_once('-') {
                            found.push((n.to_string(), v.to_string()));
                        }
                    }
                }
            }
            found.sort();
            if command == "list" {
                io.out_line("Package    Version");
                io.out_line("---------- -------");
                for (n, v) in found {
                    io.out_line(&format!("{n:<10} {v}"));
                }
            } else {
                for (n, v) in found.into_iter().filter(|(n, _)| !matches!(n.as_str(), "pip" | "setuptools" | "wheel")) {
                    io.out_line(&format!("{n}=={v}"));
                }
            }
            0
        }
        "uninstall" => {
            for name in rest.iter().filter(|a| !a.starts_with('-')) {
                let dist = lookup(name);
                let info = format!("{system_site}/{}-{}.dist-info", dist.name.replace('-', "_"), dist.version);
                if sys.fs.exists(&info) {
                    io.out_line(&format!("Found existing installation: {} {}", dist.name, dist.version));
                    io.out_line(&format!("Uninstalling {}-{}:", dist.name, dist.version));
                    io.out_line(&format!("  Successfully uninstalled {}-{}", dist.name, dist.version));
                    sys.fs.remove_all(&info);
                    sys.fs.remove_all(&format!("{system_site}/{}", dist.import));
                } else {
                    io.err_line(&format!("WARNING: Skipping {name} as it is not installed."));
                }
            }
            0
        }
        "cache" => {
            if rest.first().is_some_and(|a| a == "purge") {
                let home = sys.home();
                sys.fs.remove_all(&format!("{home}/.cache/pip"));
                io.out_line("Files removed: 0");
            }
            0
        }
        other => {
            io.err_line(&format!("ERROR: unknown command \"{other}\""));
            1
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn install(sys: &mut Sys, io: &mut Io, minor: &str, prefix: &str, system_site: &str, venv: bool, args: &[String]) -> i32 {
    let mut requirements: Vec<Requirement> = Vec::new();
    let mut no_cache = sys.env_var("PIP_NO_CACHE_DIR").is_some_and(|v| !v.is_empty() && v != "0" && v != "false");
    let mut user = false;
    let mut target_prefix: Option<String> = None;
    let mut target_dir: Option<String> = None;
    let mut break_system = sys.env_var("PIP_BREAK_SYSTEM_PACKAGES").is_some();
    let mut quiet = false;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        match flag.as_str() {
            "-r" | "--requirement" => {
                let Some(file) = inline.or_else(|| iter.next().cloned()) else {
                    io.err_line("ERROR: -r option requires 1 argument.");
                    return 2;
                };
                let path = sys.abs(&file);
                match sys.read(&path) {
                    Some(text) => {
                        for (number, line) in text.lines().enumerate() {
                            if let Some(req) = parse_requirement(line, &format!("-r {file} (line {})", number + 1)) {
                                requirements.push(req);
                            }
                        }
                    }
                    None => {
                        io.err_line(&format!("ERROR: Could not open requirements file: [Errno 2] No such file or directory: '{file}'"));
                        return 1;
                    }
                }
            }
            "--no-cache-dir" => no_cache = true,
            "--user" => user = true,
            "--prefix" => target_prefix = inline.or_else(|| iter.next().cloned()),
            "-t" | "--target" => target_dir = inline.or_else(|| iter.next().cloned()),
            "--break-system-packages" => break_system = true,
            "-q" | "--quiet" | "-qq" => quiet = true,
            "-i" | "--index-url" | "--extra-index-url" | "-c" | "--constraint" | "-f" | "--find-links" | "--trusted-host" | "--root" => {
                if inline.is_none() {
                    iter.next();
                }
            }
            "-e" | "--editable" => {
                iter.next();
            }
            f if f.starts_with('-') => {}
            _ => {
                if let Some(req) = parse_requirement(arg, "") {
                    requirements.push(req);
                }
            }
        }
    }
    if requirements.is_empty() {
        io.err_line("ERROR: You must give at least one requirement to install (see \"pip help install\")");
        return 1;
    }
    let externally_managed = !venv && prefix == "/usr" && sys.fs.exists(&format!("/usr/lib/python{minor}/EXTERNALLY-MANAGED"));
    if externally_managed && !break_system && target_prefix.is_none() && target_dir.is_none() {
        io.err_line("error: externally-managed-environment");
        io.err_line("");
        io.err_line("× This environment is externally managed");
        io.err_line("╰─> To install Python packages system-wide, try apt install");
        io.err_line("    python3-xyz, where xyz is the package you are trying to");
        io.err_line("    install.");
        io.err_line("");
        io.err_line("note: If you believe this is a mistake, please contact your Python installation or OS distribution provider. You can override this, at the risk of breaking your Python installation or OS, by passing --break-system-packages.");
        io.err_line("hint: See PEP 668 for the detailed specification.");
        return 1;
    }
    let home = sys.home();
    if !user && target_prefix.is_none() && target_dir.is_none() && !sys.can_write(&first_existing(sys, system_site)) {
        io.out_line("Defaulting to user installation because normal site-packages is not writeable");
        user = true;
    }
    let target = if let Some(dir) = &target_dir {
        let dir = sys.abs(dir);
        Target { site: dir.clone(), bin: format!("{dir}/bin"), python_minor: minor.to_string() }
    } else if let Some(p) = &target_prefix {
        let p = sys.abs(p);
        Target { site: format!("{p}/lib/python{minor}/site-packages"), bin: format!("{p}/bin"), python_minor: minor.to_string() }
    } else if user {
        Target { site: format!("{home}/.local/lib/python{minor}/site-packages"), bin: format!("{home}/.local/bin"), python_minor: minor.to_string() }
    } else {
        Target { site: system_site.to_string(), bin: format!("{prefix}/bin"), python_minor: minor.to_string() }
    };
    if !sys.network {
        let first = requirements.first().map(|r| r.spec.clone()).unwrap_or_default();
        let name = requirements.first().map(|r| normalize_name(&r.name)).unwrap_or_default();
        for attempt in (0..5).rev() {
            io.err_line(&format!("WARNING: Retrying (Retry(total={attempt}, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f3a1c2b4d90>: Failed to establish a new connection: [Errno -3] Temporary failure in name resolution')': /simple/{name}/"));
        }
        io.err_line(&format!("ERROR: Could not find a version that satisfies the requirement {first} (from versions: none)"));
        io.err_line(&format!("ERROR: No matching distribution found for {first}"));
        sys.elapsed += 15_000;
        return 1;
    }
    // Resolve: requested first, then dependencies, each once.
    let mut plan: Vec<(Dist, String)> = Vec::new();
    let mut queue: std::collections::VecDeque<(String, Option<String>, String)> = std::collections::VecDeque::new();
    for req in &requirements {
        queue.push_back((req.name.clone(), req.pin.clone(), req.origin.clone()));
        let key = format!("{}{}", normalize_name(&req.name), req.extras.to_lowercase());
        if let Some((_, extra)) = EXTRAS.iter().find(|(k, _)| *k == key) {
            for dep in extra.split(',') {
                queue.push_back((dep.to_string(), None, format!("{}{}", req.name, req.extras)));
            }
        }
    }
    let wheel_tag = |dist: &Dist| {
        if dist.kind.is_empty() || dist.kind == "source" {
            "py3-none-any".to_string()
        } else {
            let cp = format!("cp{}", minor.replace('.', ""));
            let platform = if sys.os.busybox_userland() { "musllinux_1_1_x86_64" } else { "manylinux_2_17_x86_64.manylinux2014_x86_64" };
            format!("{cp}-{cp}-{platform}")
        }
    };
    let mut guard = 0;
    while let Some((name, pin, origin)) = queue.pop_front() {
        guard += 1;
        if guard > 2_000 {
            break;
        }
        let mut dist = lookup(&name);
        if plan.iter().any(|(d, _)| d.name == dist.name) {
            continue;
        }
        if let Some(pin) = pin {
            dist.version = pin;
        }
        let spec = requirements.iter().find(|r| normalize_name(&r.name) == dist.name).map(|r| r.spec.clone()).unwrap_or_else(|| dist.name.clone());
        if !quiet {
            if origin.is_empty() {
                io.out_line(&format!("Collecting {spec}"));
            } else if origin.starts_with("-r ") {
                io.out_line(&format!("Collecting {spec} (from {origin})"));
            } else {
                io.out_line(&format!("Collecting {spec} (from {origin})"));
            }
        }
        let download = dist.kb * 2 / 5 + 5;
        if dist.kind == "source" {
            if !quiet {
                io.out_line(&format!("  Downloading {}-{}.tar.gz ({})", dist.name, dist.version, human_mb(download * 1000)));
                io.out_line("  Preparing metadata (setup.py): started");
            }
            if sys.resolve("pg_config").is_none() {
                source_build_failure(io, "Error: pg_config executable not found.");
                sys.elapsed += 4_000;
                return 1;
            }
            if !quiet {
                io.out_line("  Preparing metadata (setup.py): finished with status 'done'");
            }
        } else if !quiet {
            io.out_line(&format!("  Downloading {}-{}-{}.whl ({})", dist.name.replace('-', "_"), dist.version, wheel_tag(&dist), human_mb(download * 1000)));
        }
        for dep in &dist.depends {
            queue.push_back((dep.clone(), None, format!("{}=={}", dist.name, dist.version)));
        }
        plan.push((dist, origin));
    }
    // psycopg2 from source also needs a compiler.
    if plan.iter().any(|(d, _)| d.kind == "source") {
        if !quiet {
            io.out_line("Building wheels for collected packages: psycopg2");
            io.out_line("  Building wheel for psycopg2 (setup.py): started");
        }
        if sys.resolve("gcc").is_none() {
            io.out_line("  Building wheel for psycopg2 (setup.py): finished with status 'error'");
            io.err_line("  error: subprocess-exited-with-error");
            io.err_line("  ");
            io.err_line("  × python setup.py bdist_wheel did not run successfully.");
            io.err_line("  │ exit code: 1");
            io.err_line("  ╰─> [12 lines of output]");
            io.err_line("      running build_ext");
            io.err_line("      building 'psycopg2._psycopg' extension");
            io.err_line("      error: command 'gcc' failed: No such file or directory");
            io.err_line("      [end of output]");
            io.err_line("  ");
            io.err_line("  note: This error originates from a subprocess, and is likely not a problem with pip.");
            io.err_line("  ERROR: Failed building wheel for psycopg2");
            io.err_line("ERROR: Could not build wheels for psycopg2, which is required to install pyproject.toml-based projects");
            sys.elapsed += 8_000;
            return 1;
        }
        if !quiet {
            io.out_line("  Building wheel for psycopg2 (setup.py): finished with status 'done'");
            io.out_line("Successfully built psycopg2");
        }
        sys.elapsed += 20_000;
    }
    let mut installing: Vec<&Dist> = plan.iter().map(|(d, _)| d).collect();
    installing.reverse();
    if !quiet {
        let names: Vec<String> = installing.iter().map(|d| d.name.clone()).collect();
        io.out_line(&format!("Installing collected packages: {}", names.join(", ")));
    }
    let lib_dir = sys.os.lib_dir();
    let libffi = library_in_tree(sys, "libffi.so.");
    let libssl = library_in_tree(sys, "libssl.so.");
    let distro = format!("{:?} {}", sys.os.family, sys.os.codename);
    let cpython_tag = format!("cpython-{}-x86_64-linux-{}", minor.replace('.', ""), if sys.os.busybox_userland() { "musl" } else { "gnu" });
    for dist in &installing {
        let module = format!("{}/{}", target.site, dist.import);
        sys.mkdir_all(&module);
        let text_init = format!("# {} {}\n", dist.name, dist.version);
        sys.write_text(&format!("{module}/__init__.py"), &text_init);
        let bulk = (dist.kb * 1024).saturating_sub(text_init.len() as u64);
        sys.write_blob(&format!("{module}/_lib.bundle"), &format!("{} {} python{} files", dist.name, dist.version, target.python_minor), bulk, false);
        match dist.kind.as_str() {
            "ffi" => {
                let needs = libffi.clone().unwrap_or_else(|| "libffi.so.8".into());
                sys.write_blob(
                    &format!("{}/_cffi_backend.{cpython_tag}.so", target.site),
                    &format!("cffi {} _cffi_backend needs {needs} from {lib_dir} (built on {distro})", dist.version),
                    1_100_000,
                    true,
                );
            }
            "ssl" | "source" => {
                let needs = libssl.clone().unwrap_or_else(|| "libssl.so.3".into());
                let so = if dist.import == "psycopg2" { format!("{module}/_psycopg.{cpython_tag}.so") } else { format!("{module}/hazmat/bindings/_rust.abi3.so") };
                sys.write_blob(&so, &format!("{} {} native extension needs {needs} from {lib_dir} (built on {distro})", dist.name, dist.version), 3_200_000, true);
            }
            _ => {}
        }
        let info = format!("{}/{}-{}.dist-info", target.site, dist.name.replace('-', "_"), dist.version);
        sys.write_text(&format!("{info}/METADATA"), &format!("Metadata-Version: 2.1\nName: {}\nVersion: {}\n", dist.name, dist.version));
        sys.write_text(&format!("{info}/INSTALLER"), "pip\n");
        sys.write_text(&format!("{info}/RECORD"), &format!("{}/__init__.py,,\n", dist.import));
        for script in &dist.scripts {
            let python = format!("{prefix}/bin/python{minor}");
            sys.write_text(&format!("{}/{script}", target.bin), &format!("#!{python}\n# -*- coding: utf-8 -*-\nimport re\nimport sys\nfrom {} import main\nif __name__ == '__main__':\n    sys.exit(main())\n", dist.import));
            if let Some(node) = sys.fs.get_mut(&format!("{}/{script}", target.bin)) {
                node.meta_mut().mode = 0o755;
            }
        }
        if !no_cache {
            let cache = format!("{home}/.cache/pip/http-v2/{:x}/{:x}", hash(&dist.name) % 16, hash(&dist.name));
            sys.write_blob(&cache, &format!("pip cache {} {}", dist.name, dist.version), dist.kb * 2 / 5 * 1024 + 4096, false);
        }
        sys.elapsed += 1_800 + dist.kb / 10;
    }
    let installed: Vec<String> = {
        let mut list: Vec<String> = installing.iter().map(|d| format!("{}-{}", d.name, d.version)).collect();
        list.sort_by_key(|s| s.to_lowercase());
        list
    };
    if !quiet {
        io.out_line(&format!("Successfully installed {}", installed.join(" ")));
    }
    if sys.uid == 0 && !venv && target_dir.is_none() {
        io.err_line("WARNING: Running pip as the 'root' user can result in broken permissions and conflicting behaviour with the system package manager. It is recommended to use a virtual environment instead: https://pip.pypa.io/warnings/venv");
    }
    if user && !sys.env_var("PATH").unwrap_or_default().split(':').any(|p| p == target.bin) && installing.iter().any(|d| !d.scripts.is_empty()) {
        io.err_line(&format!("  WARNING: The scripts are installed in '{}' which is not on PATH.", target.bin));
    }
    0
}

fn first_existing(sys: &Sys, path: &str) -> String {
    let mut current = path.to_string();
    while !sys.fs.exists(&current) && current != "/" {
        current = parent(&current).to_string();
    }
    current
}

/// The file name of a shared library starting with `prefix` present in the tree's lib dirs.
fn library_in_tree(sys: &Sys, prefix: &str) -> Option<String> {
    for dir in ["/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib", "/lib", "/usr/local/lib"] {
        if let Some((name, _)) = sys.fs.children(dir).find(|(name, node)| name.starts_with(prefix) && matches!(node, Node::File { .. } | Node::Symlink { .. })) {
            return Some(name.to_string());
        }
    }
    None
}

/// Whether a library file named `name` is anywhere the dynamic loader looks.
pub fn library_present(sys: &Sys, name: &str) -> bool {
    ["/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib", "/lib", "/usr/local/lib"]
        .iter()
        .any(|dir| sys.fs.exists(&format!("{dir}/{name}")))
}

fn source_build_failure(io: &mut Io, reason: &str) {
    io.out_line("  Preparing metadata (setup.py): finished with status 'error'");
    io.err_line("  error: subprocess-exited-with-error");
    io.err_line("  ");
    io.err_line("  × python setup.py egg_info did not run successfully.");
    io.err_line("  │ exit code: 1");
    io.err_line("  ╰─> [23 lines of output]");
    io.err_line("      running egg_info");
    io.err_line("      ");
    io.err_line(&format!("      {reason}"));
    io.err_line("      ");
    io.err_line("      pg_config is required to build psycopg2 from source.  Please add the directory");
    io.err_line("      containing pg_config to the $PATH or specify the full executable path with the");
    io.err_line("      option:");
    io.err_line("      ");
    io.err_line("          python setup.py build_ext --pg-config /path/to/pg_config build ...");
    io.err_line("      ");
    io.err_line("      If you prefer to avoid building psycopg2 from source, please install the PyPI");
    io.err_line("      'psycopg2-binary' package instead.");
    io.err_line("      [end of output]");
    io.err_line("  ");
    io.err_line("  note: This error originates from a subprocess, and is likely not a problem with pip.");
    io.err_line("error: metadata-generation-failed");
    io.err_line("");
    io.err_line("× Encountered error while generating package metadata.");
    io.err_line("╰─> See above for output.");
}

/// Finds an installed distribution's module directory for `module` in `sites`.
pub fn find_module(sys: &Sys, sites: &[String], module: &str) -> Option<String> {
    for site in sites {
        let dir = format!("{site}/{module}");
        if sys.fs.is_dir(&dir) || sys.fs.exists(&format!("{dir}.py")) {
            return Some(dir);
        }
        // `import cffi` also needs `_cffi_backend*.so` next to it.
        let _ = file_name(&dir);
    }
    None
}
