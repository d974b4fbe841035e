//! An encrypted database: nothing of the record is readable on disk, it opens only with its
//! passphrase, the passphrase can change without rewriting the record, and converting a database
//! either way loses nothing, whenever it is interrupted.

use std::path::{Path, PathBuf};

use crate::common::*;
use dossier_core::care::backup;
use dossier_core::care::encryption::{change_passphrase, decrypt, encrypt};
use dossier_core::record::attribution::AttributionInput;
use dossier_core::record::case::{self, CaseInput};
use dossier_core::record::event::{self, EventInput};
use dossier_core::record::evidence::{self, FileInput, LinkInput};
use dossier_core::record::letter::{self, LetterInput};
use dossier_core::record::party::{self, PartyInput};
use dossier_core::store::files;
use dossier_core::transfer::bundle;
use dossier_core::{demo, Store};

const MARK: &str = "Zanzibarquux";

/// Every byte of every file under `dir` (the database, its WAL and shared memory, the key file, the
/// evidence files, anything else left there).
fn files_containing(dir: &Path, needle: &str) -> Vec<PathBuf> {
    files_under(dir)
        .into_iter()
        .filter(|f| {
            let bytes = std::fs::read(f).unwrap_or_default();
            bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
        })
        .collect()
}

/// A database holding the marker in a record of every kind and in an evidence file.
fn marked(fx: &mut Fixture) {
    let s = &mut fx.store;
    let c =
        case::create(s, &CaseInput { title: format!("{MARK} v. Globex"), summary: MARK.into(), ..Default::default() })
            .expect("case");
    party::create(s, &PartyInput { name: format!("{MARK} Corp"), kind: "organisation".into(), ..Default::default() })
        .expect("party");
    org(s, "Globex");
    letter::create(
        s,
        &LetterInput { body: format!("The {MARK} letter."), ..letter_input(&c.id, "Globex", &[], "Demand", "2024-03") },
    )
    .expect("letter");
    let e = event::create(
        s,
        &EventInput {
            case: c.id.clone(),
            title: "Talks".into(),
            date: "2024".into(),
            description: MARK.into(),
            attributions: vec![AttributionInput {
                asserted_by: "Globex".into(),
                how: MARK.into(),
                certainty: "reported".into(),
                ..Default::default()
            }],
            ..Default::default()
        },
    )
    .expect("event");
    let file = fx.dir.path().join("note.txt");
    std::fs::write(&file, format!("A note about {MARK}.\n").repeat(5_000)).expect("evidence file");
    let ev = evidence::add_file(s, &FileInput { case: c.id.clone(), path: file.clone(), ..Default::default() })
        .expect("evidence");
    std::fs::remove_file(file).expect("the original goes; the store keeps its copy");
    evidence::link(s, &LinkInput { evidence: ev.id, record: e.id, pinpoint: MARK.into(), ..Default::default() })
        .expect("link");
}

/// Guards: after encrypting, no file under the database's folder holds a byte of the record.
#[test]
fn an_encrypted_database_shows_nothing_of_the_record_on_disk() {
    let mut fx = fresh();
    marked(&mut fx);
    assert!(!files_containing(fx.dir.path(), MARK).is_empty(), "the plaintext database shows the marker");
    let path = fx.db_path();
    drop(std::mem::replace(&mut fx.store, Store::open_in_memory(fx.dir.path()).expect("placeholder")));
    assert_eq!(encrypt(&path, &pass("correct horse"), TEST_KDF).expect("encrypt").files, 1, "one evidence file");
    assert_eq!(files_containing(fx.dir.path(), MARK), Vec::<PathBuf>::new());

    // Writing to it keeps it so, the WAL included, before any checkpoint.
    let mut s = Store::open_with(&path, Some(&pass("correct horse"))).expect("unlock");
    let c = case::get(s.reader(), "zanzibarquux-v-globex").expect("the case reads back");
    event::create(
        &mut s,
        &EventInput { case: c.id, title: format!("Later {MARK}"), date: "2025".into(), ..Default::default() },
    )
    .expect("a write");
    assert!(with_suffix(&path, "-wal").is_file(), "the write went to the WAL");
    assert_eq!(files_containing(fx.dir.path(), MARK), Vec::<PathBuf>::new());
    assert!(s.is_encrypted());
    assert_eq!(s.verify_change_log().expect("the chain survives encryption"), 8);
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Guards: the demo database, encrypted, keeps neither a party's name nor a line of the seed article
/// anywhere on disk.
#[test]
fn the_encrypted_demo_hides_its_parties_and_the_seed_article() {
    let (dir, _path) = encrypted_demo("s3cret");
    assert_eq!(files_containing(dir.path(), "Microsoft"), Vec::<PathBuf>::new());
    assert_eq!(files_containing(dir.path(), "redevance"), Vec::<PathBuf>::new(), "a word of the seed article");
}

/// Guards: without the passphrase, or with a wrong one, the database does not open, says why in one
/// line, and nothing on disk changes.
#[test]
fn a_missing_or_wrong_passphrase_is_refused_and_changes_nothing() {
    let (dir, path) = encrypted_demo("s3cret");
    let before: Vec<(PathBuf, Vec<u8>)> =
        files_under(dir.path()).into_iter().map(|f| (f.clone(), std::fs::read(&f).unwrap_or_default())).collect();
    let err = Store::open(&path).err().expect("no passphrase");
    assert_eq!(
        (err.code(), err.to_string().as_str()),
        (ErrorCode::Locked, "database is encrypted: give the passphrase")
    );
    let err = Store::open_with(&path, Some(&pass("S3cret"))).err().expect("wrong passphrase");
    assert_eq!((err.code(), err.to_string().as_str()), (ErrorCode::Locked, "wrong passphrase"));
    let after: Vec<(PathBuf, Vec<u8>)> =
        files_under(dir.path()).into_iter().map(|f| (f.clone(), std::fs::read(&f).unwrap_or_default())).collect();
    assert!(before == after, "a refused open changes no file");

    // Without its key file, the database is not taken for a damaged plaintext one.
    std::fs::remove_file(files::key(&path)).expect("lose the key file");
    let err = Store::open(&path).err().expect("no key file");
    assert_eq!(err.code(), ErrorCode::Locked);
    assert!(err.to_string().contains("key file"), "{err}");
}

/// Guards: changing the passphrase rewraps the key only: the old one stops working, the new one
/// works, and the database and its files are not rewritten.
#[test]
fn changing_the_passphrase_rewrites_only_the_key_file() {
    let (dir, path) = encrypted_demo("old one");
    let untouched = |f: &PathBuf| f != &files::key(&path);
    let before: Vec<(PathBuf, Vec<u8>)> = files_under(dir.path())
        .into_iter()
        .filter(untouched)
        .map(|f| (f.clone(), std::fs::read(&f).unwrap_or_default()))
        .collect();
    let err = change_passphrase(&path, &pass("not it"), &pass("new one"), TEST_KDF).expect_err("wrong old passphrase");
    assert_eq!(err.to_string(), "wrong passphrase");
    change_passphrase(&path, &pass("old one"), &pass("new one"), TEST_KDF).expect("change");
    let after: Vec<(PathBuf, Vec<u8>)> = files_under(dir.path())
        .into_iter()
        .filter(untouched)
        .map(|f| (f.clone(), std::fs::read(&f).unwrap_or_default()))
        .collect();
    assert!(before == after, "only the key file changed");
    assert_eq!(
        Store::open_with(&path, Some(&pass("old one"))).err().map(|e| e.to_string()),
        Some("wrong passphrase".into())
    );
    let s = Store::open_with(&path, Some(&pass("new one"))).expect("the new passphrase opens it");
    assert_eq!(case::list(s.reader()).expect("cases").len(), 2);
}

/// Guards: encrypting and decrypting give back the same record, byte for byte in its JSON bundle, and
/// the same evidence files.
#[test]
fn encrypt_then_decrypt_gives_back_the_same_record() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("dossier.sqlite");
    let mut s = Store::open(&path).expect("open");
    demo::load(&mut s).expect("demo");
    let plain = bundle::export_json(s.reader(), "twitter-v-microsoft", bundle::Contents::ALL).expect("bundle");
    let plain_files = files_under(s.files_dir());
    drop(s);
    encrypt(&path, &pass("pw"), TEST_KDF).expect("encrypt");
    let s = Store::open_with(&path, Some(&pass("pw"))).expect("unlock");
    assert_eq!(
        bundle::export_json(s.reader(), "twitter-v-microsoft", bundle::Contents::ALL).expect("bundle"),
        plain,
        "while encrypted"
    );
    let stored = files_under(s.files_dir());
    assert_eq!(stored.len(), plain_files.len());
    let plain_names: Vec<_> = plain_files.iter().filter_map(|f| f.file_name()).collect();
    assert!(
        stored.iter().all(|f| !plain_names.contains(&f.file_name().expect("a name"))),
        "names do not give the hashes away"
    );
    drop(s);
    decrypt(&path, &pass("pw")).expect("decrypt");
    assert!(!files::is_encrypted(&path));
    let s = Store::open(&path).expect("plain again");
    assert_eq!(
        bundle::export_json(s.reader(), "twitter-v-microsoft", bundle::Contents::ALL).expect("bundle"),
        plain,
        "after decrypting"
    );
    assert_eq!(files_under(s.files_dir()), plain_files, "the same files, under their hashes again");
    assert!(!dir.path().read_dir().expect("list").any(|e| {
        let name = e.expect("entry").file_name().to_string_lossy().into_owned();
        name.contains(".new") || name.contains(".old") || name.ends_with(".switch")
    }));
}

/// Guards: a stored evidence file with one byte changed is refused when read, and cannot be passed
/// off as another file by renaming it.
#[test]
fn a_tampered_evidence_file_is_refused() {
    let (dir, path) = encrypted_demo("pw");
    let s = Store::open_with(&path, Some(&pass("pw"))).expect("unlock");
    let blob = files_under(s.files_dir()).into_iter().next().expect("the seed article");
    let mut bytes = std::fs::read(&blob).expect("read");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    std::fs::write(&blob, bytes).expect("tamper");
    let out = dir.path().join("out");
    let err = bundle::export_with_files(&s, "twitter-v-microsoft", &out, bundle::Contents::ALL)
        .expect_err("the altered file is refused");
    assert!(err.to_string().contains("altered"), "{err}");
}

/// Guards: an encryption interrupted at any step leaves the old database (before its commit marker)
/// or the new one (after it), never a mix.
#[test]
fn an_interrupted_encryption_leaves_the_old_or_the_new_database() {
    // What both ends look like: the plaintext demo and its encryption, side by side.
    let dir = tempfile::tempdir().expect("temp dir");
    let plain = dir.path().join("plain.sqlite");
    let mut s = Store::open(&plain).expect("open");
    demo::load(&mut s).expect("demo");
    let expected = bundle::export_json(s.reader(), "getty-v-stability-ai", bundle::Contents::ALL).expect("bundle");
    drop(s);
    let copy = |from: &Path, to: &Path| {
        let status = std::process::Command::new("cp").arg("-a").arg(from).arg(to).status().expect("cp");
        assert!(status.success());
    };
    let encrypted = dir.path().join("enc.sqlite");
    copy(&plain, &encrypted);
    copy(&files::evidence(&plain), &files::evidence(&encrypted));
    encrypt(&encrypted, &pass("pw"), TEST_KDF).expect("encrypt");

    // A database caught between the two: the new copies written (`.new-<tag>`, or `.new` as Dossier
    // named them before the tag), and the switch done up to `step`.
    let tag = "0193a7c2-5b1e-7d2a-9c4f-3e8b1a2d4c6f";
    let between = |name: &str, marker: bool, step: usize, tagged: bool| -> PathBuf {
        let db = dir.path().join(name);
        let (new, old) =
            if tagged { (format!(".new-{tag}"), format!(".old-{tag}")) } else { (".new".into(), ".old".into()) };
        copy(&plain, &db);
        copy(&files::evidence(&plain), &files::evidence(&db));
        copy(&encrypted, &with_suffix(&db, &new));
        copy(&files::evidence(&encrypted), &with_suffix(&files::evidence(&db), &new));
        copy(&files::key(&encrypted), &with_suffix(&files::key(&db), &new));
        if marker {
            let text = if tagged {
                format!(r#"{{"database":"Replace","files":"Replace","key":"Replace","tag":"{tag}"}}"#)
            } else {
                r#"{"database":"Replace","files":"Replace","key":"Replace"}"#.to_string()
            };
            std::fs::write(with_suffix(&db, ".switch"), text).expect("marker");
        }
        let parts = [db.clone(), files::evidence(&db), files::key(&db)];
        for part in parts.iter().take(step) {
            if part.exists() {
                std::fs::rename(part, with_suffix(part, &old)).expect("old aside");
            }
            std::fs::rename(with_suffix(part, &new), part).expect("new in place");
        }
        db
    };
    // Killed before the marker: the old database, as it was, and the unfinished copies gone.
    let db = between("before.sqlite", false, 0, true);
    let s = Store::open(&db).expect("the plaintext database opens");
    assert_eq!(
        bundle::export_json(s.reader(), "getty-v-stability-ai", bundle::Contents::ALL).expect("bundle"),
        expected
    );
    assert!(!with_suffix(&db, &format!(".new-{tag}")).exists(), "the unfinished copy is gone");
    // Killed after the marker, at each step of the renames: the new database, whole; also from a
    // marker an earlier Dossier wrote.
    for (step, tagged) in [(0, true), (1, true), (2, true), (3, true), (0, false), (2, false)] {
        let name = format!("after-{step}-{tagged}.sqlite");
        let db = between(&name, true, step, tagged);
        let err = Store::open(&db).err().expect("it is encrypted now");
        assert_eq!(err.code(), ErrorCode::Locked, "step {step}");
        let s = Store::open_with(&db, Some(&pass("pw"))).expect("the encrypted database opens");
        assert_eq!(
            bundle::export_json(s.reader(), "getty-v-stability-ai", bundle::Contents::ALL).expect("bundle"),
            expected,
            "step {step}"
        );
        let leftovers: Vec<PathBuf> = files_under(dir.path())
            .into_iter()
            .filter(|f| f.to_string_lossy().contains(&format!("{name}.")) && f.to_string_lossy().contains(".old"))
            .collect();
        assert!(leftovers.is_empty(), "step {step}: {leftovers:?}");
    }
}

/// Guards: a file of many chunks, of a whole number of chunks, and an empty one read back as written.
#[test]
fn evidence_files_of_any_length_read_back() {
    let (dir, path) = encrypted_demo("pw");
    let mut s = Store::open_with(&path, Some(&pass("pw"))).expect("unlock");
    for (name, len) in [("empty.txt", 0usize), ("one-chunk.bin", 65_536), ("many.bin", 65_536 * 3 + 17)] {
        let bytes: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
        let e = evidence::add_stream(
            &mut s,
            &FileInput { case: "getty-v-stability-ai".into(), path: name.into(), ..Default::default() },
            bytes.as_slice(),
        )
        .expect("add");
        assert_eq!(e.size, Some(len as i64));
        let sha = e.sha256.expect("a file");
        bundle::export_with_files(&s, "getty-v-stability-ai", &dir.path().join("export"), bundle::Contents::ALL)
            .expect("export");
        assert_eq!(std::fs::read(dir.path().join("export/files").join(&sha)).expect("copied out"), bytes, "{name}");
    }
}

/// Guards: a backup of an encrypted database is encrypted too, opens with the same passphrase and
/// holds the same record; a backup of a plaintext one is plaintext. Neither overwrites anything.
#[test]
fn a_backup_stays_as_encrypted_as_its_database() {
    let (dir, path) = encrypted_demo("pw");
    let mut s = Store::open_with(&path, Some(&pass("pw"))).expect("unlock");
    // A write still in the WAL goes into the backup too.
    let late = event::create(
        &mut s,
        &EventInput {
            case: "getty-v-stability-ai".into(),
            title: "Late".into(),
            date: "2025".into(),
            ..Default::default()
        },
    )
    .expect("a write");
    let expected = bundle::export_json(s.reader(), "getty-v-stability-ai", bundle::Contents::ALL).expect("bundle");
    let copies = dir.path().join("copies");
    let target = copies.join("backup.sqlite");
    assert_eq!(backup::backup(&s, &target).expect("backup").files, 1, "the seed article");
    assert_eq!(files_containing(&copies, "Microsoft"), Vec::<PathBuf>::new(), "nothing readable in the backup");
    assert_eq!(Store::open(&target).err().map(|e| e.code()), Some(ErrorCode::Locked));
    let b = Store::open_with(&target, Some(&pass("pw"))).expect("the same passphrase opens it");
    assert_eq!(
        bundle::export_json(b.reader(), "getty-v-stability-ai", bundle::Contents::ALL).expect("bundle"),
        expected
    );
    assert_eq!(event::get(b.reader(), &late.id).expect("the late write").title, "Late");
    bundle::export_with_files(&b, "twitter-v-microsoft", &dir.path().join("out"), bundle::Contents::ALL)
        .expect("its files read back");
    let err = backup::backup(&s, &target).expect_err("the target exists");
    assert!(err.to_string().contains("already exists"), "{err}");
    drop(b);

    decrypt(&path, &pass("pw")).expect("decrypt");
    let s = Store::open(&path).expect("plain");
    let plain = copies.join("plain.sqlite");
    backup::backup(&s, &plain).expect("backup");
    assert!(!files::is_encrypted(&plain));
    let b = Store::open(&plain).expect("a plaintext backup opens without a passphrase");
    assert_eq!(
        bundle::export_json(b.reader(), "getty-v-stability-ai", bundle::Contents::ALL).expect("bundle"),
        expected
    );
}
