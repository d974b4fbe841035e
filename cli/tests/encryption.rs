//! End to end: encrypting a database with the `dossier` binary, the passphrase every command then
//! needs, and nothing of the record on disk, even while a large import is killed half-way.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

struct Db {
    dir: tempfile::TempDir,
    path: PathBuf,
}

impl Db {
    fn new() -> Db {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("case.sqlite");
        Db { dir, path }
    }

    fn command(&self, args: &[&str]) -> Command {
        self.command_on(&self.path, args)
    }

    /// A command on another database in the same folder (a backup).
    fn command_on(&self, db: &Path, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_dossier"));
        c.arg("--db").arg(db).args(args).env_remove("DOSSIER_DB").env_remove("DOSSIER_PASSPHRASE");
        c.stdin(Stdio::null());
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run dossier")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "dossier {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf-8 output")
    }

    fn passphrase_file(&self, name: &str, text: &str) -> String {
        let file = self.dir.path().join(name);
        std::fs::write(&file, text).expect("passphrase file");
        file.to_string_lossy().into_owned()
    }

    /// Every file under the database's folder that holds `needle`.
    fn holding(&self, needle: &str) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let mut todo = vec![self.dir.path().to_path_buf()];
        while let Some(dir) = todo.pop() {
            for entry in std::fs::read_dir(&dir).expect("list").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    todo.push(path);
                } else if !path.extension().is_some_and(|e| e == "csv" || e == "txt")
                    && std::fs::read(&path).unwrap_or_default().windows(needle.len()).any(|w| w == needle.as_bytes())
                {
                    out.push(path);
                }
            }
        }
        out
    }

    fn bytes(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut all: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(self.dir.path())
            .expect("list")
            .flatten()
            .filter(|e| e.path().is_file())
            .map(|e| (e.path(), std::fs::read(e.path()).expect("read")))
            .collect();
        all.sort();
        all
    }
}

/// Guards the contract: `dossier --db PATH encrypt --passphrase-file F`, then every command needs the
/// passphrase, a missing or wrong one is one line on stderr and a non-zero exit with nothing changed.
#[test]
fn after_encrypt_every_command_needs_the_passphrase() {
    let db = Db::new();
    db.ok(&["demo"]);
    assert!(!db.holding("Microsoft").is_empty());
    let pw = db.passphrase_file("pw.txt", "a long passphrase\n");
    let said = db.ok(&["encrypt", "--passphrase-file", &pw]);
    assert!(said.contains("encrypted") && said.contains("1 evidence file"), "{said}");
    assert_eq!(db.holding("Microsoft"), Vec::<PathBuf>::new(), "no file names a party");
    assert_eq!(db.holding("redevance"), Vec::<PathBuf>::new(), "no file holds a line of the seed article");

    let wrong = db.passphrase_file("wrong.txt", "a short one");
    let before = db.bytes();
    let out = db.run(&["case", "list"]);
    assert_eq!(out.status.code(), Some(6));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "dossier: database is encrypted: give the passphrase\n");
    let out = db.run(&["case", "list", "--passphrase-file", &wrong]);
    assert_eq!(out.status.code(), Some(6));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "dossier: wrong passphrase\n");
    assert!(db.bytes() == before, "a refused command changes no file");

    assert!(db.ok(&["case", "list", "--passphrase-file", &pw]).contains("twitter-v-microsoft"));
    let by_env =
        db.command(&["timeline", "twitter-v-microsoft"]).env("DOSSIER_PASSPHRASE", "a long passphrase").output();
    let by_env = by_env.expect("run");
    assert!(by_env.status.success() && String::from_utf8_lossy(&by_env.stdout).contains("Microsoft"));

    // A backup stays encrypted under the same passphrase.
    let backup = db.dir.path().join("backups/case.sqlite");
    let said = db.ok(&["backup", backup.to_str().expect("path"), "--passphrase-file", &pw]);
    assert!(said.contains("1 evidence file") && said.contains("encrypted"), "{said}");
    assert_eq!(db.holding("Microsoft"), Vec::<PathBuf>::new(), "the backup shows nothing either");
    let locked = db.command_on(&backup, &["case", "list"]).output().expect("run");
    assert_eq!(locked.status.code(), Some(6), "the backup needs the passphrase");
    let opened = db.command_on(&backup, &["case", "list", "--passphrase-file", &pw]).output();
    assert!(String::from_utf8_lossy(&opened.expect("run").stdout).contains("twitter-v-microsoft"));

    // A new passphrase, then back to plain text.
    let new = db.passphrase_file("new.txt", "another passphrase");
    db.ok(&["passphrase", "--passphrase-file", &pw, "--new-passphrase-file", &new]);
    assert_eq!(db.run(&["case", "list", "--passphrase-file", &pw]).status.code(), Some(6));
    db.ok(&["decrypt", "--passphrase-file", &new]);
    assert!(db.ok(&["case", "list"]).contains("twitter-v-microsoft"), "plain again, no passphrase needed");
}

/// Guards: an encrypted database's WAL and temporary files never hold plaintext, even when the
/// process writing a large import is killed half-way (the import is then not there at all).
#[test]
fn a_large_import_killed_half_way_leaves_no_plaintext_and_no_half_import() {
    let db = Db::new();
    db.ok(&["case", "add", "--title", "Acme v. Widget"]);
    let pw = db.passphrase_file("pw.txt", "pw for the import");
    db.ok(&["encrypt", "--passphrase-file", &pw]);
    let csv = db.dir.path().join("big.csv");
    let mut text = String::from("date,title,description\n");
    for i in 0..20_000 {
        text.push_str(&format!(
            "2024-01-{:02},Quokkamarker event {i},A description of the Quokkamarker row {i}\n",
            i % 28 + 1
        ));
    }
    std::fs::write(&csv, text).expect("csv");

    let mut child = db
        .command(&["import", csv.to_str().expect("path"), "--case", "acme-v-widget", "--passphrase-file", &pw])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the import");
    // Kill it once it has written some of the import into the WAL.
    let wal = with_suffix(&db.path, "-wal");
    for _ in 0..400 {
        if std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) > 256 * 1024 {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(child.try_wait().expect("poll").is_none(), "the import was still running when killed");
    child.kill().expect("SIGKILL");
    let _ = child.wait();
    assert_eq!(db.holding("Quokkamarker"), Vec::<PathBuf>::new(), "no plaintext, WAL and leftovers included");
    let events = db.ok(&["event", "list", "acme-v-widget", "--passphrase-file", &pw]);
    assert!(
        events.trim().is_empty() || events.lines().count() == 20_000,
        "all of the import or none: {} events",
        events.lines().count()
    );
    assert!(db.ok(&["verify", "--passphrase-file", &pw]).contains("chain intact"));
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}
