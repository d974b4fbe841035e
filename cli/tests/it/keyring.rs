//! This installation's change-log key in a real keyring: GNOME Keyring's daemon on a private session
//! bus (`dbus-run-session`), looked at from outside with `secret-tool` and `dbus-send`, as a reviewer
//! would. Where a new key is made (the keyring when it is unlocked, else the file), that the app's and
//! the CLI's sessions seal with one key wherever they run, that a locked or unreachable keyring
//! refuses a write at once and says why (no prompt, nothing written) while reading and `check` go on,
//! and that `dossier log-key` moves the key and keeps every seal valid. They fail, not skip, when the
//! tools are missing: `scripts/setup.sh` installs them (`need_keyring`).

use std::io::BufRead;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};

use serde_json::Value;

use crate::common::Db;

/// Starts GNOME Keyring on a new session bus, prints the bus's address, and keeps both until its
/// standard input closes.
const SESSION: &str = r#"
set -e
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
if [ "$UNLOCK" = 1 ]; then
  printf pw | gnome-keyring-daemon --daemonize --unlock --components=secrets >/dev/null
else
  gnome-keyring-daemon --daemonize --components=secrets >/dev/null
fi
for _ in $(seq 100); do
  dbus-send --session --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.NameHasOwner \
    string:org.freedesktop.secrets | grep -q true && break
  sleep 0.1
done
echo "$DBUS_SESSION_BUS_ADDRESS"
read -r _ || true
"#;

/// GNOME Keyring's login keyring (password `pw`), kept in `home` across sessions, on a session bus of
/// its own; both end when this is dropped.
struct Keyring {
    session: Child,
    stdin: Option<ChildStdin>,
    address: String,
    runtime: tempfile::TempDir,
}

impl Keyring {
    /// A session whose login keyring is unlocked (as after logging in to the desktop).
    fn unlocked(home: &Path) -> Keyring {
        Keyring::start(home, true)
    }

    fn start(home: &Path, unlock: bool) -> Keyring {
        let runtime = tempfile::tempdir().expect("runtime dir");
        let log = std::fs::File::create(runtime.path().join("bus.log")).expect("the bus's log");
        let mut session = Command::new("dbus-run-session")
            .args(["--", "sh", "-c", SESSION])
            .env("HOME", home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_RUNTIME_DIR", runtime.path().join("run"))
            .env("UNLOCK", if unlock { "1" } else { "0" })
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("dbus-run-session (Debian's dbus-daemon; scripts/setup.sh installs it)");
        let mut address = String::new();
        std::io::BufReader::new(session.stdout.take().expect("stdout"))
            .read_line(&mut address)
            .expect("the session's bus address");
        let address = address.trim().to_string();
        assert!(address.starts_with("unix:"), "no session bus started (is gnome-keyring installed?): {address:?}");
        let stdin = session.stdin.take();
        let keyring = Keyring { session, stdin, address, runtime };
        assert!(keyring.tool("dbus-send", &names_owner()).contains("true"), "GNOME Keyring is not on the bus");
        keyring
    }

    /// Runs a program of the session (`secret-tool`, `dbus-send`) on its bus; its stdout and stderr.
    fn tool(&self, program: &str, args: &[&str]) -> String {
        let out = Command::new(program)
            .args(args)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .env("XDG_RUNTIME_DIR", self.runtime.path().join("run"))
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("{program}: {e} (scripts/setup.sh installs it)"));
        assert!(out.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    }

    /// Locks the login collection, through the Secret Service's own `Lock` (which never prompts).
    fn lock(&self) {
        self.tool(
            "dbus-send",
            &[
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.secrets",
                "/org/freedesktop/secrets",
                "org.freedesktop.Secret.Service.Lock",
                "array:objpath:/org/freedesktop/secrets/collection/login",
            ],
        );
        let locked = self.tool(
            "dbus-send",
            &[
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.secrets",
                "/org/freedesktop/secrets/collection/login",
                "org.freedesktop.DBus.Properties.Get",
                "string:org.freedesktop.Secret.Collection",
                "string:Locked",
            ],
        );
        assert!(locked.contains("boolean true"), "the collection did not lock: {locked}");
    }

    /// Whether anything asked for a prompt: the bus logs each service it starts, and GNOME Keyring's
    /// prompts are a service of their own (`org.gnome.keyring.SystemPrompter`), started on demand.
    fn prompted(&self) -> bool {
        std::fs::read_to_string(self.runtime.path().join("bus.log")).expect("the bus's log").contains("Prompter")
    }

    /// What `secret-tool` finds of Dossier's items (attributes, label and secret).
    fn dossier_items(&self) -> String {
        self.tool("secret-tool", &["search", "--all", "application", "org.dossier.app"])
    }

    /// Where the CLI runs inside this session.
    fn inside(&self, config: &Path) -> Place {
        Place { config: config.to_path_buf(), bus: Some(self.address.clone()), runtime: self.runtime.path().into() }
    }
}

impl Drop for Keyring {
    fn drop(&mut self) {
        // The script ends when its input closes; dbus-run-session then stops the bus, and the daemon
        // leaves with it.
        drop(self.stdin.take());
        let _ = self.session.wait();
    }
}

fn names_owner() -> [&'static str; 6] {
    [
        "--session",
        "--print-reply",
        "--dest=org.freedesktop.DBus",
        "/",
        "org.freedesktop.DBus.NameHasOwner",
        "string:org.freedesktop.secrets",
    ]
}

/// Where a `dossier` command runs: its configuration folder, and its session bus (none: a login over
/// ssh without one, a service).
struct Place {
    config: PathBuf,
    bus: Option<String>,
    /// `XDG_RUNTIME_DIR`: without a bus, a folder holding none, so no user bus is found there either.
    runtime: PathBuf,
}

impl Place {
    fn without_bus(config: &Path, empty: &Path) -> Place {
        Place { config: config.to_path_buf(), bus: None, runtime: empty.to_path_buf() }
    }

    /// `dossier ARGS` on `db`, killed after 60 s: a command waiting on a keyring's prompt fails the
    /// test instead of hanging it.
    fn run(&self, db: &Db, args: &[&str]) -> Output {
        let mut c = Command::new("timeout");
        c.args(["--kill-after=5", "60", env!("CARGO_BIN_EXE_dossier"), "--db"]).arg(&db.path).args(args);
        c.env_remove("DOSSIER_DB").env_remove("DOSSIER_PASSPHRASE").env("DOSSIER_CONFIG_DIR", &self.config);
        c.env("XDG_RUNTIME_DIR", &self.runtime);
        match &self.bus {
            Some(address) => c.env("DBUS_SESSION_BUS_ADDRESS", address),
            None => c.env_remove("DBUS_SESSION_BUS_ADDRESS"),
        };
        let out = c.stdin(Stdio::null()).output().expect("run dossier under timeout");
        assert_ne!(out.status.code(), Some(124), "dossier {args:?} hung: {}", String::from_utf8_lossy(&out.stderr));
        out
    }

    fn ok(&self, db: &Db, args: &[&str]) -> String {
        let out = self.run(db, args);
        assert!(out.status.success(), "dossier {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf-8")
    }

    fn json(&self, db: &Db, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        serde_json::from_str(&self.ok(db, &all)).expect("JSON")
    }

    /// A command that must fail: (exit code, stderr).
    fn err(&self, db: &Db, args: &[&str]) -> (i32, String) {
        let out = self.run(db, args);
        assert!(!out.status.success(), "dossier {args:?} should have failed");
        (out.status.code().unwrap_or(-1), String::from_utf8(out.stderr).expect("utf-8"))
    }

    /// `check --json` whatever its exit code.
    fn check(&self, db: &Db) -> (i32, Value) {
        let out = self.run(db, &["check", "--json"]);
        (out.status.code().unwrap_or(-1), serde_json::from_slice(&out.stdout).expect("check's JSON"))
    }

    fn log_key(&self) -> String {
        std::fs::read_to_string(self.config.join("log.key")).expect("log.key")
    }
}

/// The key id `log.key` names (`keyring <id>`), checked to be all it holds.
fn reference(text: &str) -> String {
    let id = text.strip_suffix('\n').and_then(|t| t.strip_prefix("keyring ")).expect("a reference").to_string();
    assert!(id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit()), "{text:?}");
    id
}

/// Whether `text` is a key as the file keeps it: 64 hex digits.
fn is_key(text: &str) -> bool {
    text.trim().len() == 64 && text.trim().bytes().all(|b| b.is_ascii_hexdigit())
}

fn mode(file: &Path) -> u32 {
    std::fs::metadata(file).expect("stat").permissions().mode() & 0o777
}

/// Every file under `dir` holding `needle`.
fn holding(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).expect("list").flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(holding(&path, needle));
        } else if String::from_utf8_lossy(&std::fs::read(&path).expect("read")).contains(needle) {
            found.push(path);
        }
    }
    found
}

fn case(n: usize) -> Vec<String> {
    ["case", "add", "--slug", &format!("case-{n}"), "--title", &format!("Case {n}")].map(String::from).to_vec()
}

fn add_case(place: &Place, db: &Db, n: usize) {
    let args = case(n);
    place.ok(db, &args.iter().map(String::as_str).collect::<Vec<_>>());
}

fn refused_case(place: &Place, db: &Db, n: usize) -> (i32, String) {
    let args = case(n);
    place.err(db, &args.iter().map(String::as_str).collect::<Vec<_>>())
}

/// Guards the keyring's key end to end: made there when the keyring is unlocked (the configuration
/// folder naming it, holding no key), refused writes while it is locked or out of reach (nothing
/// written, no prompt, a line that says what to do) with reading and `check` still working, then moved
/// to the file, after which a session with no bus seals with the very same key.
#[test]
fn a_key_kept_in_the_keyring_is_one_key_for_every_session_and_moves_to_a_file() {
    let home = tempfile::tempdir().expect("home");
    let config = tempfile::tempdir().expect("config");
    let empty = tempfile::tempdir().expect("a runtime folder with no bus");
    let db = Db::new();
    let keyring = Keyring::unlocked(home.path());
    let desktop = keyring.inside(config.path());
    add_case(&desktop, &db, 1);
    add_case(&desktop, &db, 2);

    let id = reference(&desktop.log_key());
    assert_eq!(mode(&config.path().join("log.key")), 0o600);
    let items = keyring.dossier_items();
    for expected in
        [format!("attribute.id = {id}"), "attribute.purpose = log-key".into(), "label = Dossier change-log key".into()]
    {
        assert!(items.contains(&expected), "{expected} not in:\n{items}");
    }
    let secret = items.lines().find_map(|l| l.strip_prefix("secret = ")).expect("the secret").to_string();
    assert!(is_key(&secret), "{secret}");
    assert_eq!(holding(config.path(), &secret), Vec::<PathBuf>::new(), "the key is on disk");
    assert_eq!(holding(db.dir(), &secret), Vec::<PathBuf>::new(), "the key is beside the database");
    let told = desktop.json(&db, &["log-key"]);
    assert_eq!(
        (told["kept"].as_str(), told["id"].as_str(), &told["problem"]),
        (Some("keyring"), Some(&*id), &Value::Null)
    );
    let (code, report) = desktop.check(&db);
    assert_eq!(code, 0, "{report}");
    let seals = &report["seals"];
    assert_eq!((seals["kept"].as_str(), seals["key"].as_str()), (Some("keyring"), Some(&*id)), "{report}");
    assert_eq!((seals["verified"].as_u64(), seals["unsealed"].as_u64()), (Some(2), Some(0)), "{report}");
    let text = desktop.ok(&db, &["check"]);
    assert!(
        text.contains(&format!("seals: 2 verified with this installation's key {id}, kept in the keyring")),
        "{text}"
    );

    // Locked: the write is refused at once and says why and what to do; nothing is written.
    keyring.lock();
    let (code, said) = refused_case(&desktop, &db, 3);
    assert_eq!(code, 6, "{said}");
    for expected in [&*id, "the keyring is locked", "nothing was written", "dossier log-key --to-file"] {
        assert!(said.contains(expected), "{expected} not in: {said}");
    }
    assert_eq!(said.trim().lines().count(), 1, "{said}");
    assert_eq!(db.writes(), 2);
    // Reading and checking go on; check says which seals it could not verify.
    assert!(desktop.ok(&db, &["--read-only", "case", "list"]).contains("case-2"));
    assert!(desktop.ok(&db, &["case", "list"]).contains("case-1"));
    let (code, report) = desktop.check(&db);
    assert_eq!(code, 7, "{report}");
    assert_eq!(report["problems"].as_array().map(Vec::len), Some(1), "{report}");
    let problem = report["problems"][0]["message"].as_str().expect("a message");
    for expected in
        ["2 change-log entries are sealed with this installation's key", "keyring is locked", "could not be verified"]
    {
        assert!(problem.contains(expected), "{expected} not in: {problem}");
    }
    assert_eq!((report["seals"]["unread"].as_u64(), report["seals"]["verified"].as_u64()), (Some(2), Some(0)));
    let told = desktop.json(&db, &["log-key"]);
    assert!(told["problem"].as_str().is_some_and(|p| p.contains("the keyring is locked")), "{told}");
    let (code, said) = desktop.err(&db, &["log-key", "--to-file"]);
    assert_eq!(code, 6, "{said}");
    assert!(said.contains("the key was not moved"), "{said}");
    assert_eq!(reference(&desktop.log_key()), id, "log.key is as it was");

    // Over ssh, with no session bus: the same refusal, never a key of its own nor an unsealed entry.
    let ssh = Place::without_bus(config.path(), empty.path());
    let (code, said) = refused_case(&ssh, &db, 3);
    assert_eq!(code, 6, "{said}");
    assert!(said.contains("no session bus") && said.contains("nothing was written"), "{said}");
    assert_eq!(db.writes(), 2);
    assert_eq!(reference(&ssh.log_key()), id, "no key made");
    assert!(!keyring.prompted(), "something asked the keyring for a prompt");
    drop(keyring);

    // Back on the desktop, unlocked: the key moves to the file, out of the keyring.
    let keyring = Keyring::unlocked(home.path());
    let desktop = keyring.inside(config.path());
    let moved = desktop.json(&db, &["log-key", "--to-file"]);
    assert_eq!(
        (moved["kept"].as_str(), moved["id"].as_str(), moved["moved"].as_bool()),
        (Some("file"), Some(&*id), Some(true))
    );
    assert_eq!(desktop.log_key().trim(), secret, "the same key");
    assert_eq!(mode(&config.path().join("log.key")), 0o600);
    assert!(!keyring.dossier_items().contains(&id), "the keyring keeps no copy");
    assert!(!keyring.prompted(), "something asked the keyring for a prompt");
    drop(keyring);

    // Now a session with no bus writes, sealed with that same key: one key for all the entries.
    add_case(&ssh, &db, 3);
    let (code, report) = ssh.check(&db);
    assert_eq!(code, 0, "{report}");
    let seals = &report["seals"];
    assert_eq!((seals["kept"].as_str(), seals["key"].as_str()), (Some("file"), Some(&*id)), "{report}");
    assert_eq!((seals["verified"].as_u64(), seals["elsewhere"].as_u64()), (Some(3), Some(0)), "{report}");
}

/// Guards "never a prompt" at first use, and the move into the keyring: a keyring that is locked when
/// the key is made gets none of it (the key goes to the file), `--to-keyring` is then refused and
/// leaves it there; once the keyring is unlocked, it moves the same key in, and every seal still
/// verifies.
#[test]
fn a_keyring_locked_when_the_key_is_made_leaves_it_in_the_file_until_moved() {
    let home = tempfile::tempdir().expect("home");
    let config = tempfile::tempdir().expect("config");
    let db = Db::new();
    let keyring = Keyring::unlocked(home.path());
    keyring.lock();
    let desktop = keyring.inside(config.path());
    add_case(&desktop, &db, 1);
    let key = desktop.log_key();
    assert!(is_key(&key), "{key:?}");
    assert!(!keyring.dossier_items().contains("log-key"), "nothing in the keyring");
    let (code, said) = desktop.err(&db, &["log-key", "--to-keyring"]);
    assert_eq!(code, 4, "{said}");
    assert!(said.contains("the keyring is locked") && said.contains("the key stays in"), "{said}");
    assert_eq!(desktop.log_key(), key);
    assert!(!keyring.prompted(), "something asked the keyring for a prompt");
    drop(keyring);

    let keyring = Keyring::unlocked(home.path());
    let desktop = keyring.inside(config.path());
    let id = desktop.json(&db, &["log-key"])["id"].as_str().expect("an id").to_string();
    let moved = desktop.json(&db, &["log-key", "--to-keyring"]);
    assert_eq!((moved["kept"].as_str(), moved["moved"].as_bool()), (Some("keyring"), Some(true)), "{moved}");
    assert_eq!(reference(&desktop.log_key()), id, "the same key, named");
    let items = keyring.dossier_items();
    assert!(items.contains(&format!("secret = {}", key.trim())) && items.contains(&id), "{items}");
    add_case(&desktop, &db, 2);
    let (code, report) = desktop.check(&db);
    assert_eq!(code, 0, "{report}");
    assert_eq!((report["seals"]["verified"].as_u64(), report["seals"]["kept"].as_str()), (Some(2), Some("keyring")));
    assert!(!keyring.prompted(), "something asked the keyring for a prompt");
}

/// Guards the file as it always was: with no session bus at all, a new installation's key is made in
/// `log.key`, mode 0600, and cannot be moved into a keyring that is not there.
#[test]
fn with_no_session_bus_a_new_installation_keeps_its_key_in_a_0600_file() {
    let config = tempfile::tempdir().expect("config");
    let empty = tempfile::tempdir().expect("a runtime folder with no bus");
    let db = Db::new();
    let here = Place::without_bus(&config.path().join("org.dossier.app"), empty.path());
    assert!(here.json(&db, &["log-key"])["kept"].is_null());
    add_case(&here, &db, 1);
    let file = here.config.join("log.key");
    assert!(is_key(&here.log_key()));
    assert_eq!((mode(&file), mode(&here.config)), (0o600, 0o700));
    let told = here.json(&db, &["log-key"]);
    assert_eq!((told["kept"].as_str(), told["problem"].is_null()), (Some("file"), true), "{told}");
    let (code, said) = here.err(&db, &["log-key", "--to-keyring"]);
    assert_eq!(code, 4, "{said}");
    assert!(said.contains("no session bus"), "{said}");
    assert!(is_key(&here.log_key()));
    let (code, report) = here.check(&db);
    assert_eq!(code, 0, "{report}");
    assert_eq!((report["seals"]["kept"].as_str(), report["seals"]["verified"].as_u64()), (Some("file"), Some(1)));
}

/// Guards "never an unsealed write": a `log.key` that is damaged refuses writes, saying what to do,
/// rather than letting them through unsealed (which `check` would then report as forged), and `check`
/// says it could not verify the seals.
#[test]
fn a_damaged_key_file_refuses_writes_rather_than_leave_them_unsealed() {
    let config = tempfile::tempdir().expect("config");
    let empty = tempfile::tempdir().expect("a runtime folder with no bus");
    let db = Db::new();
    let here = Place::without_bus(config.path(), empty.path());
    add_case(&here, &db, 1);
    std::fs::write(config.path().join("log.key"), "not a key\n").expect("damage it");
    let (code, said) = refused_case(&here, &db, 2);
    assert_eq!(code, 6, "{said}");
    for expected in ["log.key, which is damaged", "nothing was written", "move it away"] {
        assert!(said.contains(expected), "{expected} not in: {said}");
    }
    assert_eq!(db.writes(), 1);
    let (code, report) = here.check(&db);
    assert_eq!(code, 7, "{report}");
    let problem = report["problems"][0]["message"].as_str().expect("a problem");
    assert!(problem.contains("could not be verified") && problem.contains("is restored"), "{problem}");
}
