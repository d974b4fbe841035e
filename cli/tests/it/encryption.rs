//! End to end: encrypting a database with the `dossier` binary, the passphrase every command then
//! needs, and nothing of the record on disk, even while a large import is killed half-way.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use crate::common::Db;
use dossier_core::store::files;

/// Guards the contract: `dossier --db PATH encrypt --passphrase-file F`, then every command needs the
/// passphrase, a missing or wrong one is one line on stderr and a non-zero exit with nothing changed.
#[test]
fn after_encrypt_every_command_needs_the_passphrase() {
    let db = Db::new();
    db.ok(&["demo"]);
    assert!(!db.holding("Microsoft").is_empty());
    let pw = db.file("pw.txt", "a long passphrase\n");
    let said = db.ok(&["encrypt", "--passphrase-file", &pw]);
    assert!(said.contains("encrypted") && said.contains("1 evidence file"), "{said}");
    assert_eq!(db.holding("Microsoft"), Vec::<PathBuf>::new(), "no file names a party");
    assert_eq!(db.holding("redevance"), Vec::<PathBuf>::new(), "no file holds a line of the seed article");

    let wrong = db.file("wrong.txt", "a short one");
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
    let backup = db.dir().join("backups/case.sqlite");
    let said = db.ok(&["backup", backup.to_str().expect("path"), "--passphrase-file", &pw]);
    assert!(said.contains("1 evidence file") && said.contains("encrypted"), "{said}");
    assert_eq!(db.holding("Microsoft"), Vec::<PathBuf>::new(), "the backup shows nothing either");
    let locked = db.command_on(&backup, &["case", "list"]).output().expect("run");
    assert_eq!(locked.status.code(), Some(6), "the backup needs the passphrase");
    let opened = db.command_on(&backup, &["case", "list", "--passphrase-file", &pw]).output();
    assert!(String::from_utf8_lossy(&opened.expect("run").stdout).contains("twitter-v-microsoft"));

    // A new passphrase, then back to plain text.
    let new = db.file("new.txt", "another passphrase");
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
    let pw = db.file("pw.txt", "pw for the import");
    db.ok(&["encrypt", "--passphrase-file", &pw]);
    let csv = db.dir().join("big.csv");
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
    let wal = files::wal(&db.path);
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
    assert!(db.ok(&["verify", "--passphrase-file", &pw]).contains("chained; this does not tell"));
}
