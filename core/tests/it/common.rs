//! Shared fixtures for the integration tests: a fresh store in its own temporary directory, small
//! builders for the records most tests need, and the "nothing was written" check that every refused
//! change must pass.

use std::fmt::Debug;
use std::path::{Path, PathBuf};

use dossier_core::record::agreement::{self, Agreement, AgreementInput, Clause, ClauseInput};
use dossier_core::record::allegation::{self, Allegation, AllegationInput};
use dossier_core::record::case::{self, Case, CaseInput};
use dossier_core::record::event::{self, Event, EventInput};
use dossier_core::record::letter::{self, Letter, LetterInput};
use dossier_core::record::party::{self, Party, PartyInput};
/// The category every refusal is checked against.
pub use dossier_core::ErrorCode;
use dossier_core::{Error, Result, Store};
use tempfile::TempDir;

/// A store on a real SQLite file inside a temporary directory that lives as long as the store.
/// `store` is declared first so that it is closed before the directory is removed.
pub struct Fixture {
    pub store: Store,
    pub dir: TempDir,
}

impl Fixture {
    /// The database file (`dossier.sqlite` in the temporary directory).
    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("dossier.sqlite")
    }
}

/// A fresh, empty store.
/// The demo database in its own folder, closed; the folder and the database's path.
pub fn demo_db() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("t.sqlite");
    let mut s = Store::open(&path).expect("open");
    dossier_core::demo::load(&mut s).expect("demo");
    (dir, path)
}

/// The demo database, encrypted under `passphrase`, in its own folder; the folder and its path.
pub fn encrypted_demo(passphrase: &str) -> (TempDir, PathBuf) {
    let (dir, path) = demo_db();
    dossier_core::care::encryption::encrypt(&path, &pass(passphrase), TEST_KDF).expect("encrypt");
    (dir, path)
}

/// `check` of the database at `path`, as a fresh open sees it.
pub fn checked(path: &Path) -> dossier_core::care::check::CheckReport {
    dossier_core::care::check::check(&Store::open(path).expect("open"), None).expect("check runs")
}

/// A check's problems as `area: message` lines.
pub fn messages(report: &dossier_core::care::check::CheckReport) -> Vec<String> {
    report.problems.iter().map(|p| format!("{}: {}", p.area, p.message)).collect()
}

/// A fresh store holding one case, `innocent`, whose summary is `summary`.
pub fn with_case(summary: &str) -> Fixture {
    let mut fx = fresh();
    case::create(
        &mut fx.store,
        &CaseInput { title: "Innocent".into(), slug: "innocent".into(), summary: summary.into(), ..Default::default() },
    )
    .expect("case");
    fx
}

/// Argon2 settings light enough for tests (the key file's format is what is tested, not its cost).
pub const TEST_KDF: dossier_core::store::KdfParams =
    dossier_core::store::KdfParams { memory_kib: 1024, iterations: 1, parallelism: 1 };

/// A passphrase for tests.
pub fn pass(text: &str) -> dossier_core::store::Passphrase {
    dossier_core::store::Passphrase::new(text).expect("passphrase")
}

pub fn fresh() -> Fixture {
    let dir = tempfile::tempdir().expect("create a temporary directory");
    let store = Store::open(&dir.path().join("dossier.sqlite")).expect("open a fresh store");
    Fixture { store, dir }
}

pub fn case(store: &mut Store, slug: &str) -> Case {
    case::create(store, &CaseInput { slug: slug.into(), title: format!("Case {slug}"), ..Default::default() })
        .unwrap_or_else(|e| panic!("create case {slug}: {e}"))
}

pub fn party(store: &mut Store, name: &str, kind: &str) -> Party {
    party::create(store, &PartyInput { name: name.into(), kind: kind.into(), ..Default::default() })
        .unwrap_or_else(|e| panic!("create party {name}: {e}"))
}

pub fn org(store: &mut Store, name: &str) -> Party {
    party(store, name, "organisation")
}

pub fn event(store: &mut Store, case: &str, title: &str, date: &str) -> Event {
    event_with(store, EventInput { case: case.into(), title: title.into(), date: date.into(), ..Default::default() })
}

pub fn event_with(store: &mut Store, input: EventInput) -> Event {
    event::create(store, &input).unwrap_or_else(|e| panic!("create event {}: {e}", input.title))
}

/// A letter from `sender` to `to` on `date`; the other fields are left empty.
pub fn letter(store: &mut Store, case: &str, sender: &str, to: &[&str], subject: &str, date: &str) -> Letter {
    letter_with(store, letter_input(case, sender, to, subject, date))
}

pub fn letter_input(case: &str, sender: &str, to: &[&str], subject: &str, date: &str) -> LetterInput {
    LetterInput {
        case: case.into(),
        sender: sender.into(),
        to: to.iter().map(|s| s.to_string()).collect(),
        subject: subject.into(),
        date: date.into(),
        ..Default::default()
    }
}

pub fn letter_with(store: &mut Store, input: LetterInput) -> Letter {
    letter::create(store, &input).unwrap_or_else(|e| panic!("create letter {}: {e}", input.subject))
}

/// An allegation raised in the letter or event `raised_in`, dated by it.
pub fn allegation(
    store: &mut Store,
    case: &str,
    made_by: &str,
    against: &str,
    raised_in: &str,
    summary: &str,
) -> Allegation {
    allegation_with(store, allegation_input(case, made_by, against, raised_in, summary))
}

pub fn allegation_input(case: &str, made_by: &str, against: &str, raised_in: &str, summary: &str) -> AllegationInput {
    AllegationInput {
        case: case.into(),
        made_by: made_by.into(),
        against: against.into(),
        raised_in: raised_in.into(),
        summary: summary.into(),
        ..Default::default()
    }
}

pub fn allegation_with(store: &mut Store, input: AllegationInput) -> Allegation {
    allegation::create(store, &input).unwrap_or_else(|e| panic!("create allegation {}: {e}", input.summary))
}

pub fn agreement(store: &mut Store, case: &str, title: &str, parties: &[&str]) -> Agreement {
    agreement::create(
        store,
        &AgreementInput {
            case: case.into(),
            title: title.into(),
            parties: parties.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("create agreement {title}: {e}"))
}

pub fn clause(store: &mut Store, agreement_id: &str, reference: &str) -> Clause {
    agreement::add_clause(
        store,
        agreement_id,
        &ClauseInput { reference: reference.into(), text: format!("Text of {reference}") },
    )
    .unwrap_or_else(|e| panic!("add clause {reference}: {e}"))
}

/// Number of entries in the change log.
pub fn log_len(store: &Store) -> i64 {
    count(store, "SELECT count(*) FROM change_log")
}

pub fn count(store: &Store, sql: &str) -> i64 {
    store.reader().one(sql, [], |r| r.get(0)).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Row counts of every table in the database, the change log included: two equal snapshots mean no
/// change added or removed a row anywhere.
pub fn snapshot(store: &Store) -> Vec<(String, i64)> {
    let tables = store
        .reader()
        .strings("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name", [])
        .expect("list tables");
    tables
        .into_iter()
        .map(|t| {
            let n = count(store, &format!("SELECT count(*) FROM \"{t}\""));
            (t, n)
        })
        .collect()
}

/// Runs a change that must be refused, checks that it wrote nothing (no row added or removed in
/// any table, no change log entry), and returns the error for the caller to inspect.
pub fn refused<T: Debug>(store: &mut Store, change: impl FnOnce(&mut Store) -> Result<T>) -> Error {
    let before = snapshot(store);
    let outcome = change(store);
    let after = snapshot(store);
    let err = match outcome {
        Ok(v) => panic!("the change should have been refused, but it returned {v:?}"),
        Err(e) => e,
    };
    assert_eq!(before, after, "a refused change ({err}) must leave every table as it was");
    store.verify_change_log().unwrap_or_else(|e| panic!("change log after a refused change ({err}): {e}"));
    err
}

/// Where the store keeps the file with this SHA-256.
pub fn stored_file(store: &Store, sha256: &str) -> PathBuf {
    store.blobs().path(sha256).unwrap_or_else(|e| panic!("{sha256}: {e}"))
}

/// A second connection to the fixture's database file, as any SQLite tool would open it: what a
/// person with file access could do behind Dossier's back.
pub fn raw(fx: &Fixture) -> rusqlite::Connection {
    rusqlite::Connection::open(fx.db_path()).expect("open the database file directly")
}

/// Asserts that `err` reads as a message containing every one of `parts`.
pub fn says(err: &Error, parts: &[&str]) {
    let text = err.to_string();
    for p in parts {
        assert!(text.contains(p), "error {text:?} should mention {p:?}");
    }
}

/// Every regular file under `dir`, recursively, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for entry in entries {
            let path = entry.expect("read directory entry").path();
            if path.is_dir() {
                todo.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The JSON form of a record with its `updated_at` removed, for comparing a record before and after
/// an edit that should have changed nothing else.
pub fn without_stamp<T: serde::Serialize>(record: &T) -> serde_json::Value {
    let mut v = serde_json::to_value(record).expect("records serialize");
    if let Some(o) = v.as_object_mut() {
        o.remove("updated_at");
    }
    v
}

/// A case `hostile` whose title, summary and one event (title and description) carry `payload`, as
/// an attacker who can write a record would place it.
pub fn hostile_case(store: &mut Store, payload: &str) {
    case::create(
        store,
        &CaseInput {
            title: format!("Case {payload}"),
            slug: "hostile".into(),
            summary: format!("Summary {payload} [link](javascript:alert(1))"),
            ..Default::default()
        },
    )
    .expect("hostile case");
    event::create(
        store,
        &EventInput {
            case: "hostile".into(),
            title: format!("Event {payload}"),
            date: "2023-01".into(),
            description: payload.into(),
            ..Default::default()
        },
    )
    .expect("hostile event");
}

/// Runs a tool a reader would open an export with (pandoc, unzip, pdftotext…, installed by
/// `scripts/setup.sh`) and returns what it prints; fails the test if it fails.
pub fn tool(program: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} (scripts/setup.sh installs it): {e}"));
    assert!(out.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A watcher of a long import or export that records every call `(done, total)`, and answers "stop"
/// once `stop_after` calls were made.
pub struct Recorder {
    pub calls: std::cell::RefCell<Vec<(u64, u64)>>,
    stop_after: usize,
}

impl Recorder {
    pub fn new(stop_after: usize) -> Recorder {
        Recorder { calls: std::cell::RefCell::new(Vec::new()), stop_after }
    }
}

impl dossier_core::transfer::progress::Watch for Recorder {
    fn progress(&self, done: u64, total: u64) -> bool {
        let mut calls = self.calls.borrow_mut();
        calls.push((done, total));
        calls.len() < self.stop_after
    }
}

/// The hash schema version 11 gave an entry: SHA-256 over its length-prefixed fields.
pub fn old_hash(parts: &[&str]) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    for part in parts {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    format!("{:x}", h.finalize())
}

/// The change log's trigger that lets only an erasure rewrite an entry, as migration 0014 makes it.
const ERASED_ONLY: &str = "CREATE TRIGGER change_log_erased_only BEFORE UPDATE OF detail, images, nonces ON change_log
    WHEN NOT EXISTS (SELECT 1 FROM change_log_erasure WHERE seq = OLD.seq)
BEGIN SELECT RAISE(ABORT, 'the change log is append-only: only an erasure rewrites an entry'); END;";

/// A connection on the database at `path` that reads and writes the change log's text in SQL, as a
/// tool that unpacks its zstd frames would: `dossier_unpack(part)` and `dossier_pack(text)`.
pub fn unpacking(path: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).expect("open with rusqlite");
    dossier_core::store::packed::register(&conn).expect("the packing functions");
    conn
}

/// Stores every part of the change log on `conn` as its text, which the core reads as well as a packed
/// part: what someone editing the file without zstd would start from. Storage only: `check` is as
/// clean after as before.
pub fn log_as_text(conn: &rusqlite::Connection) {
    dossier_core::store::packed::register(conn).expect("the packing functions");
    conn.execute_batch(&format!(
        "DROP TRIGGER change_log_erased_only;
         UPDATE change_log SET detail = dossier_unpack(detail), images = dossier_unpack(images);
         {ERASED_ONLY}"
    ))
    .expect("the log as text");
}

/// What undoes migrations 0017 (deadlines counted from an event), 0018 (privilege) and 0019
/// (redaction), for a database made older.
pub const UNDO_SINCE_17: &str = "DROP TABLE team_space; DROP TABLE team_device; DROP TABLE team_key;
    DROP TABLE team_member; DROP TABLE team_entry; DROP TABLE team_outbox; DROP TABLE team_shared;
    DROP TABLE team_conflict; DROP TABLE team_file;
    DROP TABLE production_document; DROP TABLE production;
    DROP TABLE redaction_box; DROP TABLE redaction;
    DROP TABLE record_privilege;
    DROP INDEX letter_deadline_event;
    ALTER TABLE letter DROP COLUMN deadline_event;
    ALTER TABLE letter DROP COLUMN deadline_before;
    ALTER TABLE letter DROP COLUMN deadline_mail;";

/// Turns the closed database at `path` into what schema version 13 wrote: the change log's detail and
/// images as text in STRICT `TEXT` columns (0012's table, triggers and index), no deadline rules on
/// letters (0015's and 0017's columns) and no captures (0016's table and view), so that opening it
/// runs migrations 0014 to 0017.
pub fn as_version_before_packing(path: &Path) {
    let conn = unpacking(path);
    conn.execute_batch(&format!(
        "CREATE TABLE change_log_text (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, action TEXT NOT NULL,
             record_id TEXT, detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, images TEXT,
             actor TEXT, sums TEXT, nonces TEXT) STRICT;
         INSERT INTO change_log_text SELECT seq, at, action, record_id, dossier_unpack(detail), prev_hash, hash,
             dossier_unpack(images), actor, sums, nonces FROM change_log;
         DROP TABLE change_log;
         ALTER TABLE change_log_text RENAME TO change_log;
         CREATE TRIGGER change_log_no_update BEFORE UPDATE OF seq, at, action, record_id, prev_hash, hash, actor, sums
             ON change_log
         BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
         CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log
         BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
         {ERASED_ONLY}
         CREATE INDEX change_log_record_id ON change_log(record_id);
         DROP VIEW evidence_file;
         DROP TABLE evidence_capture;
         ALTER TABLE letter DROP COLUMN received;
         ALTER TABLE letter DROP COLUMN deadline_rule;
         ALTER TABLE letter DROP COLUMN deadline_calendar;
         {UNDO_SINCE_17}
         PRAGMA user_version = 13;"
    ))
    .expect("the log as before version 14");
}

/// Turns the closed database at `path` into what schema version 11 wrote: the log hashed over each
/// entry's text, without digests, nonces or the erasure table, and its seals gone (a version older
/// than 10 sealed nothing); the anchors moved to its head; and the timeline without version 13's rows
/// by party and index by width, with version 5's index of the wide entries. Returns that head.
pub fn as_version_11(path: &Path) -> dossier_core::store::anchor::Anchor {
    as_version_before_packing(path);
    let conn = rusqlite::Connection::open(path).expect("open with rusqlite");
    conn.execute_batch(
        "DROP TABLE timeline_party_row; DROP INDEX timeline_row_span;
         CREATE INDEX timeline_row_wide ON timeline_row(case_id, sort, rank, position, kind_rank, entry_id)
             WHERE (lo IS NULL OR hi IS NULL OR hi - lo > 94867200);",
    )
    .expect("undo version 13");
    conn.execute_batch(
        "DROP TRIGGER change_log_no_update; DROP TRIGGER change_log_erased_only;
         DROP TRIGGER change_log_erasure_no_update; DROP TRIGGER change_log_erasure_no_delete;
         DROP TABLE change_log_erasure; DROP INDEX change_log_record_id;
         DROP TRIGGER log_seal_no_delete; DELETE FROM log_seal;
         CREATE TRIGGER log_seal_no_delete BEFORE DELETE ON log_seal
             BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;",
    )
    .expect("undo version 12");
    type Row = (i64, String, String, Option<String>, String, String, String);
    let rows: Vec<Row> = conn
        .prepare("SELECT seq, at, action, record_id, detail, images, actor FROM change_log ORDER BY seq")
        .expect("prepare")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))
        .expect("entries")
        .collect::<rusqlite::Result<_>>()
        .expect("read");
    let mut prev = "0".repeat(64);
    for (seq, at, action, record_id, detail, images, actor) in &rows {
        let seq_text = seq.to_string();
        let hash = old_hash(&[&prev, &seq_text, at, action, record_id.as_deref().unwrap_or(""), detail, images, actor]);
        conn.execute(
            "UPDATE change_log SET prev_hash = ?2, hash = ?3 WHERE seq = ?1",
            rusqlite::params![seq, prev, hash],
        )
        .expect("re-hash");
        prev = hash;
    }
    conn.execute_batch(
        "ALTER TABLE change_log DROP COLUMN sums; ALTER TABLE change_log DROP COLUMN nonces;
         CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
             BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
         PRAGMA user_version = 11;",
    )
    .expect("as version 11");
    let head = dossier_core::store::anchor::Anchor { seq: rows.len() as i64, hash: prev };
    let text = serde_json::to_string(&head).expect("anchor");
    std::fs::write(dossier_core::store::files::anchor(path), &text).expect("anchor beside");
    if let Some(kept) = dossier_core::store::anchor::kept_path(path) {
        let kept_text =
            serde_json::json!({ "database": path.display().to_string(), "seq": head.seq, "hash": head.hash });
        std::fs::write(kept, kept_text.to_string()).expect("anchor kept");
    }
    head
}
