//! A throw-away PostgreSQL cluster for tests: Debian's binaries, one cluster per test binary, one
//! database per test made from a template that already holds `server.sql`.
//!
//! initdb and postgres refuse to run as root, and CI runs as root: then they run as the `postgres`
//! user (which Debian's package creates) through `runuser`, on a 0700 folder that user owns. The
//! server listens on a unix socket in that folder, and on 127.0.0.1 with TLS (a self-signed
//! certificate made by `openssl req`) for the TLS tests; fsync is off. It is stopped when the test
//! binary exits, and by a watchdog if the binary is killed.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use postgres::{Client, NoTls};

use crate::schema::{login_sql, quote_ident, server_sql};

/// The database every test database is copied from.
const TEMPLATE: &str = "dossier_template";

/// A running PostgreSQL cluster.
pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    /// The TCP port on 127.0.0.1 (TLS), also the number of the unix socket.
    port: u16,
    as_postgres: bool,
}

/// One test's database on the shared cluster, and the prefix of its logins.
pub struct Db {
    pub name: String,
    pub prefix: String,
}

static SHARED: OnceLock<Cluster> = OnceLock::new();
static SETUP: Mutex<()> = Mutex::new(());
static NEXT: AtomicUsize = AtomicUsize::new(0);

extern "C" fn stop_shared() {
    if let Some(cluster) = SHARED.get() {
        cluster.stop();
    }
}

impl Cluster {
    /// The test binary's cluster, started on first use and stopped when the binary exits.
    pub fn shared() -> &'static Cluster {
        SHARED.get_or_init(|| {
            let cluster = Cluster::start().unwrap_or_else(|e| panic!("cannot start PostgreSQL for the tests: {e}"));
            // SAFETY: `stop_shared` is an `extern "C" fn()` that touches only a static.
            unsafe { libc::atexit(stop_shared) };
            cluster
        })
    }

    fn start() -> Result<Cluster, String> {
        let bin = find_bin()?;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let as_postgres = unsafe { libc::geteuid() } == 0;
        let dir = tempfile::Builder::new().prefix("dossier-pg-").tempdir().map_err(|e| e.to_string())?.keep();
        let port = free_port()?;
        let cluster = Cluster { dir, bin, port, as_postgres };
        if as_postgres {
            let (uid, gid) = postgres_ids()?;
            std::os::unix::fs::chown(&cluster.dir, Some(uid), Some(gid)).map_err(|e| e.to_string())?;
        }
        cluster.initdb()?;
        cluster.certificate()?;
        cluster.configure()?;
        cluster.run("pg_ctl", &["-D", &cluster.data(), "-l", &cluster.path("log"), "-w", "-t", "60", "start"])?;
        cluster.watchdog();
        cluster.make_template()?;
        Ok(cluster)
    }

    fn data(&self) -> String {
        self.path("data")
    }

    fn path(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }

    /// Runs one of PostgreSQL's programs, as `postgres` when this runs as root.
    fn run(&self, program: &str, args: &[&str]) -> Result<(), String> {
        let exe = self.bin.join(program);
        let mut command = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        let out = command.args(args).stdin(Stdio::null()).output().map_err(|e| format!("{program}: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            let log = std::fs::read_to_string(self.dir.join("log")).unwrap_or_default();
            Err(format!(
                "{program} failed: {}{}\n{log}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }

    fn initdb(&self) -> Result<(), String> {
        let data = self.data();
        self.run("initdb", &["-D", &data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"])
    }

    /// A self-signed certificate for 127.0.0.1 and localhost, valid a day.
    fn certificate(&self) -> Result<(), String> {
        let out = Command::new("openssl")
            .args(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1"])
            .args(["-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"])
            .args(["-keyout", &self.path("server.key"), "-out", &self.path("server.crt")])
            .output()
            .map_err(|e| format!("openssl: {e}"))?;
        if !out.status.success() {
            return Err(format!("openssl req failed: {}", String::from_utf8_lossy(&out.stderr)));
        }
        if self.as_postgres {
            let (uid, gid) = postgres_ids()?;
            for file in ["server.key", "server.crt"] {
                std::os::unix::fs::chown(self.dir.join(file), Some(uid), Some(gid)).map_err(|e| e.to_string())?;
            }
        }
        Ok(())
    }

    fn configure(&self) -> Result<(), String> {
        let settings = format!(
            "\n# dossier tests\nlisten_addresses = '127.0.0.1'\nport = {}\nunix_socket_directories = '{}'\n\
             fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 200\n\
             ssl = on\nssl_cert_file = '{}'\nssl_key_file = '{}'\n",
            self.port,
            self.dir.display(),
            self.path("server.crt"),
            self.path("server.key"),
        );
        let conf = self.dir.join("data/postgresql.conf");
        let mut text = std::fs::read_to_string(&conf).map_err(|e| e.to_string())?;
        text.push_str(&settings);
        std::fs::write(&conf, text).map_err(|e| e.to_string())
    }

    /// Stops the cluster once this process is gone, even killed: a shell that waits for it.
    fn watchdog(&self) {
        let pg_ctl = shell_quote(&self.bin.join("pg_ctl").display().to_string());
        let data = shell_quote(&self.data());
        let stop = format!("{pg_ctl} -D {data} -m immediate stop");
        let stop = if self.as_postgres { format!("runuser -u postgres -- {stop}") } else { stop };
        let script = format!(
            "while [ -d /proc/{pid} ]; do sleep 1; done; [ -d {data} ] && {stop} >/dev/null 2>&1; rm -rf {dir}",
            pid = std::process::id(),
            dir = shell_quote(&self.dir.display().to_string()),
        );
        let _ = Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
    }

    fn make_template(&self) -> Result<(), String> {
        let mut admin = self.superuser("postgres").map_err(|e| e.to_string())?;
        admin.batch_execute(&format!("CREATE DATABASE {TEMPLATE}")).map_err(|e| e.to_string())?;
        let mut template = self.superuser(TEMPLATE).map_err(|e| e.to_string())?;
        template.batch_execute(&server_sql(None)).map_err(|e| format!("server.sql: {}", crate::connect::describe(&e)))
    }

    /// Stops the cluster now and removes its files.
    fn stop(&self) {
        let _ = self.run("pg_ctl", &["-D", &self.data(), "-m", "immediate", "-w", "stop"]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }

    /// The folder of the cluster's unix socket.
    pub fn socket_dir(&self) -> &Path {
        &self.dir
    }

    /// The unix socket's path.
    pub fn socket(&self) -> PathBuf {
        self.dir.join(format!(".s.PGSQL.{}", self.port))
    }

    /// The TCP port the cluster listens on at 127.0.0.1 (TLS available).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The self-signed certificate the server presents over TCP.
    pub fn certificate_file(&self) -> PathBuf {
        self.dir.join("server.crt")
    }

    /// A `key=value` connection string to database `db` as `user`, through the unix socket.
    pub fn url(&self, db: &str, user: &str) -> String {
        format!("host={} port={} dbname={db} user={user}", self.dir.display(), self.port)
    }

    /// A connection as the superuser (`postgres`) to database `db`, to play a malicious server.
    pub fn superuser(&self, db: &str) -> Result<Client, postgres::Error> {
        Client::connect(&self.url(db, "postgres"), NoTls)
    }

    /// A new database for one test, a copy of the template holding `server.sql`; its logins are
    /// prefixed by `Db::prefix`, since roles are the cluster's, not the database's.
    pub fn database(&self) -> Db {
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let name = format!("t{}_{n}", std::process::id());
        let _one_at_a_time = SETUP.lock().unwrap_or_else(|e| e.into_inner());
        let mut admin = self.superuser("postgres").expect("superuser connection");
        admin
            .batch_execute(&format!("CREATE DATABASE {} TEMPLATE {TEMPLATE}", quote_ident(&name)))
            .expect("create database");
        Db { prefix: format!("{name}_"), name }
    }

    /// Creates the login `prefix + name` (a member of `dossier_member`) and returns its full name.
    pub fn login(&self, db: &Db, name: &str) -> String {
        let login = format!("{}{name}", db.prefix);
        let _one_at_a_time = SETUP.lock().unwrap_or_else(|e| e.into_inner());
        let mut admin = self.superuser(&db.name).expect("superuser connection");
        admin.batch_execute(&login_sql(&login)).expect("create login");
        login
    }
}

fn find_bin() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("DOSSIER_PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if out.status.success() && dir.join("initdb").is_file() {
            return Ok(dir);
        }
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|_| {
            "no PostgreSQL found: install Debian's postgresql (scripts/setup.sh) or set DOSSIER_PG_BIN".to_string()
        })?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|bin| bin.join("initdb").is_file())
        .collect();
    found.sort();
    found.pop().ok_or_else(|| "no initdb under /usr/lib/postgresql/*/bin: set DOSSIER_PG_BIN".to_string())
}

fn postgres_ids() -> Result<(u32, u32), String> {
    let id = |flag: &str| -> Result<u32, String> {
        let out = Command::new("id").args([flag, "postgres"]).output().map_err(|e| e.to_string())?;
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .map_err(|_| "no user 'postgres' to run PostgreSQL as".to_string())
    };
    Ok((id("-u")?, id("-g")?))
}

/// A word the shell reads as exactly `text`.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}
