//! H1, L2, L7: no plaintext left beside an encrypted database, and nothing deleted that Dossier did not
//! make.

use std::path::{Path, PathBuf};

use crate::common::*;
use dossier_core::care::backup;
use dossier_core::care::encryption::encrypt;
use dossier_core::store::companions;
use dossier_core::store::files;
use dossier_core::{demo, Store};

/// A database at schema version 1 (the project's own fixture) in `dir`, not opened yet.
fn version_1(dir: &Path) -> PathBuf {
    let path = dir.join("v1.sqlite");
    let conn = rusqlite::Connection::open(&path).expect("create");
    conn.execute_batch(include_str!("../../../src/store/migrations/0001_record.sql")).expect("schema 1");
    conn.pragma_update(None, "foreign_keys", false).expect("load as a dump loads");
    conn.execute_batch(include_str!("../../fixtures/db-v1.sql")).expect("rows");
    conn.pragma_update(None, "user_version", 1).expect("version 1");
    path
}

/// Every file under `dir` whose bytes hold `needle`.
fn holding(dir: &Path, needle: &str) -> Vec<PathBuf> {
    files_under(dir)
        .into_iter()
        .filter(|f| std::fs::read(f).is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle.as_bytes())))
        .collect()
}

/// Guards H1: encrypting a database that was upgraded (a plaintext snapshot beside it) and restored
/// (the database it replaced, with its evidence, beside it) leaves no file of the folder holding the
/// record's words; each copy is encrypted under the same passphrase and said so.
#[test]
fn h1_encrypting_an_upgraded_and_restored_database_leaves_no_plaintext() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = version_1(dir.path());
    let mut s = Store::open(&path).expect("upgrade");
    demo::load(&mut s).expect("demo");
    backup::backup(&s, &dir.path().join("elsewhere").join("b.sqlite")).expect("backup");
    drop(s);
    backup::restore(&path, &dir.path().join("elsewhere").join("b.sqlite"), None).expect("restore");
    std::fs::remove_dir_all(dir.path().join("elsewhere")).expect("the backup leaves the folder");
    let before = companions::plaintext(&path).expect("list");
    let kinds: Vec<companions::Kind> = before.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, [companions::Kind::Restore, companions::Kind::Upgrade], "{before:?}");
    assert!(!holding(dir.path(), "Acme v. Widget").is_empty(), "the words are there in plaintext to begin with");

    let report = encrypt(&path, &pass("correct horse"), TEST_KDF).expect("encrypt");
    assert!(report.is_whole(), "{report:?}");
    let done: Vec<_> = report.companions.iter().map(|c| c.done).collect();
    assert_eq!(done, [Some(companions::Done::Encrypted); 2]);
    for needle in ["Acme v. Widget", "Microsoft", "Twitter"] {
        assert_eq!(holding(dir.path(), needle), Vec::<PathBuf>::new(), "{needle} in plaintext");
    }
    for c in &report.companions {
        let copy = PathBuf::from(&c.path);
        assert_eq!(Store::open(&copy).err().map(|e| e.code()), Some(ErrorCode::Locked), "{}", c.path);
        let opened = Store::open_with(&copy, Some(&pass("correct horse"))).expect("the same passphrase opens it");
        assert!(count(&opened, "SELECT count(*) FROM case_file") >= 1, "{} holds the record", c.path);
    }
    assert!(companions::plaintext(&path).expect("list").is_empty());
}

/// Guards H1: an unfinished conversion an older Dossier left (`<db>.new`, a whole plaintext copy) is
/// listed, then removed by encrypting, and said so.
#[test]
fn h1_an_unfinished_plaintext_copy_is_removed_by_encrypting() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("d.sqlite");
    let mut s = Store::open(&path).expect("open");
    demo::load(&mut s).expect("demo");
    drop(s);
    let leftover = dir.path().join("d.sqlite.new");
    std::fs::copy(&path, &leftover).expect("an old conversion's copy");
    let listed = companions::plaintext(&path).expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].kind, companions::Kind::Unfinished);
    let report = encrypt(&path, &pass("pw"), TEST_KDF).expect("encrypt");
    assert_eq!(report.companions[0].done, Some(companions::Done::Removed));
    assert!(!leftover.exists());
    assert_eq!(holding(dir.path(), "Microsoft"), Vec::<PathBuf>::new());
}

/// Guards H1: a plaintext copy put back beside an encrypted database (or one a kill left) is encrypted
/// the next time the database is opened with its passphrase.
#[test]
fn h1_a_plaintext_copy_beside_an_encrypted_database_is_encrypted_on_open() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("d.sqlite");
    let mut s = Store::open(&path).expect("open");
    demo::load(&mut s).expect("demo");
    drop(s);
    let stray = dir.path().join("stray.sqlite");
    std::fs::copy(&path, &stray).expect("copy");
    encrypt(&path, &pass("pw"), TEST_KDF).expect("encrypt");
    std::fs::rename(&stray, dir.path().join("d.sqlite.before-v8-20260101T000000Z")).expect("put back");
    assert!(!holding(dir.path(), "Microsoft").is_empty());
    let _s = Store::open_with(&path, Some(&pass("pw"))).expect("unlock");
    assert_eq!(holding(dir.path(), "Microsoft"), Vec::<PathBuf>::new());
}

/// Guards L2: restoring a plaintext backup over an encrypted database keeps the record encrypted
/// (under the same passphrase), and the report says so.
#[test]
fn l2_restoring_a_plaintext_backup_keeps_the_database_encrypted() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("r.sqlite");
    let mut s = Store::open(&path).expect("open");
    demo::load(&mut s).expect("demo");
    let old = dir.path().join("old-backup.sqlite");
    backup::backup(&s, &old).expect("plaintext backup");
    drop(s);
    encrypt(&path, &pass("pw-one"), TEST_KDF).expect("encrypt");
    let report = backup::restore(&path, &old, Some(&pass("pw-one"))).expect("restore");
    assert!(report.encrypted_again && report.encrypted, "{report:?}");
    assert!(files::is_encrypted(&path));
    assert_eq!(Store::open(&path).err().map(|e| e.code()), Some(ErrorCode::Locked), "no passphrase, no record");
    Store::open_with(&path, Some(&pass("pw-one"))).expect("the same passphrase opens it");
    std::fs::remove_file(&old).expect("the backup leaves");
    std::fs::remove_dir_all(files::evidence(&old)).ok();
    assert_eq!(holding(dir.path(), "Microsoft"), Vec::<PathBuf>::new());
}

/// Guards L7: a backup never removes `<target>.new`, which may be the user's.
#[test]
fn l7_a_backup_leaves_the_users_dot_new_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut s = Store::open(&dir.path().join("r2.sqlite")).expect("open");
    demo::load(&mut s).expect("demo");
    let notes = dir.path().join("mybackup.new").join("important").join("notes.txt");
    std::fs::create_dir_all(notes.parent().expect("folder")).expect("mkdir");
    std::fs::write(&notes, "notes").expect("notes");
    backup::backup(&s, &dir.path().join("mybackup")).expect("backup");
    assert_eq!(std::fs::read_to_string(&notes).expect("still there"), "notes");
}

/// Guards L7: opening a database never removes an untagged `<db>.new` (it may be the user's), and a
/// switch marker asking to remove the database or its evidence is refused, with nothing removed.
#[test]
fn l7_a_marker_asking_to_remove_the_database_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("r3.sqlite");
    let mut s = Store::open(&path).expect("open");
    demo::load(&mut s).expect("demo");
    drop(s);
    std::fs::write(dir.path().join("r3.sqlite.new"), "mine").expect("a file of the user's");
    Store::open(&path).expect("reopen");
    assert!(dir.path().join("r3.sqlite.new").exists(), "left alone");

    let marker = dir.path().join("r3.sqlite.switch");
    std::fs::write(&marker, r#"{"database":"Remove","files":"Remove","key":"Remove"}"#).expect("marker");
    let err = Store::open(&path).err().expect("refused");
    says(&err, &["never does", "r3.sqlite.switch"]);
    std::fs::remove_file(&marker).expect("the user removes it");
    let s = Store::open(&path).expect("the database is all there");
    assert!(count(&s, "SELECT count(*) FROM case_file") == 2);
    assert!(files::key(&path).exists() || !files::is_encrypted(&path));
}
