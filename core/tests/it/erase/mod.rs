//! Erasure: a record of every kind, and evidence files, erased for real — no byte of them left under
//! the database's folder — while the change log still verifies, against an anchor taken before too,
//! and `check` and `history` say what was erased and why. Plaintext, encrypted, and a database whose
//! log was written before erasure existed.

mod copies;
mod old_log;
mod tampering;

use std::path::{Path, PathBuf};

use crate::common::*;
use dossier_core::care::erase::{self, EraseInput, EraseReport};
use dossier_core::generate::documents::text_pdf;
use dossier_core::record::agreement::{self, ClauseInput};
use dossier_core::record::case::{self, CaseInput};
use dossier_core::record::evidence::{self, EvidenceInput, FileInput, LinkInput};
use dossier_core::record::letter::{self, LetterInput};
use dossier_core::record::party::{self, PartyInput};
use dossier_core::record::response::{self, ResponseInput};
use dossier_core::store::anchor::Anchor;
use dossier_core::view::{history, search};
use dossier_core::Store;

/// The word the tests write into every record and file, and look for afterwards.
pub const MARKER: &str = "quokkasecret";

/// The files under `dir` that hold the marker, in any case (an index keeps words lower-cased).
pub fn holding_marker(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).expect("list a folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                if bytes.to_ascii_lowercase().windows(MARKER.len()).any(|w| w == MARKER.as_bytes()) {
                    found.push(path);
                }
            }
        }
    }
    found.sort();
    found
}

/// Erases `id` with `reason`.
pub fn erase(store: &mut Store, id: &str, reason: &str) -> EraseReport {
    erase::erase(store, &EraseInput { id: id.into(), reason: reason.into(), note: String::new() })
        .unwrap_or_else(|e| panic!("erase {id}: {e}"))
}

/// What [`marked`] wrote, by kind.
pub struct Marked {
    pub party: String,
    pub agreement: String,
    pub clause: String,
    pub letter: String,
    pub allegation: String,
    pub response: String,
    pub event: String,
    pub text_file: String,
    pub pdf_file: String,
    pub url: String,
    pub secret_case: String,
}

/// Writes the marker into a record of every kind, and into a text file and a PDF kept as evidence, in
/// the case `kept` (which stays), and into a second case (erased whole), with edits, links and
/// status changes so that each record has several images in the log.
pub fn marked(store: &mut Store, files: &Path) -> Marked {
    case(store, "kept");
    org(store, "Acme");
    org(store, "Widget");
    let source = party::create(
        store,
        &PartyInput {
            name: format!("Jane {MARKER}"),
            kind: "person".into(),
            aliases: vec![format!("the {MARKER} source")],
            ..Default::default()
        },
    )
    .expect("the source");
    let licence = agreement(store, "kept", &format!("Licence {MARKER}"), &["Acme", "Widget"]);
    let clause = agreement::add_clause(
        store,
        &licence.id,
        &ClauseInput { reference: "4.2".into(), text: format!("The {MARKER} clause") },
    )
    .expect("clause");
    clause_with_marker(store, &licence.id);
    let memo = letter_with(
        store,
        LetterInput {
            body: format!("Our source {MARKER} says so."),
            ..letter_input("kept", "Acme", &["Widget"], "Memo", "2024-03")
        },
    );
    letter::update(
        store,
        &memo.id,
        &LetterInput {
            body: format!("Our source {MARKER} says so, twice."),
            ..letter_input("kept", "Acme", &["Widget"], "Memo", "2024-03")
        },
    )
    .expect("edit the memo");
    let claim = allegation(store, "kept", "Acme", "Widget", &memo.id, &format!("Breach told by {MARKER}"));
    let answer = response::create(
        store,
        &ResponseInput {
            allegations: vec![claim.id.clone()],
            by: "Widget".into(),
            stance: "denies".into(),
            text: format!("We deny what {MARKER} said"),
            date: "2024-03".into(),
            ..Default::default()
        },
    )
    .expect("response");
    let meeting = event(store, "kept", &format!("Met {MARKER}"), "2024-02");
    let text_path = files.join("memo.txt");
    std::fs::write(&text_path, format!("Notes of the meeting with {MARKER}.\n")).expect("write the text file");
    let text_file = evidence::add_file(
        store,
        &FileInput { case: "kept".into(), path: text_path, note: format!("From {MARKER}"), ..Default::default() },
    )
    .expect("add the text file");
    evidence::link(
        store,
        &LinkInput {
            evidence: text_file.id.clone(),
            record: memo.id.clone(),
            pinpoint: "p. 1".into(),
            note: format!("what {MARKER} told us"),
            quote: None,
        },
    )
    .expect("link");
    let pdf_path = files.join("statement.pdf");
    std::fs::write(&pdf_path, text_pdf(&["Statement", &format!("Signed by {MARKER} in person.")]))
        .expect("write the PDF");
    let pdf_file = evidence::add_file(store, &FileInput { case: "kept".into(), path: pdf_path, ..Default::default() })
        .expect("PDF");
    evidence::read_text(store, &pdf_file.id, &mut |_, _| true).expect("read the PDF");
    let url = evidence::create(
        store,
        &EvidenceInput {
            case: "kept".into(),
            kind: "url".into(),
            title: format!("Post by {MARKER}"),
            url: format!("https://example.org/{MARKER}"),
            ..Default::default()
        },
    )
    .expect("url evidence");
    let secret = case::create(
        store,
        &CaseInput {
            slug: "hidden".into(),
            title: format!("The {MARKER} file"),
            summary: MARKER.into(),
            ..Default::default()
        },
    )
    .expect("second case");
    letter_with(
        store,
        LetterInput { body: format!("Dear {MARKER},"), ..letter_input("hidden", "Acme", &["Widget"], "Hello", "2024") },
    );
    let other_text = files.join("other.txt");
    std::fs::write(&other_text, format!("Another {MARKER} document.\n")).expect("write");
    evidence::add_file(store, &FileInput { case: "hidden".into(), path: other_text, ..Default::default() })
        .expect("add");
    Marked {
        party: source.id,
        agreement: licence.id,
        clause: clause.id,
        letter: memo.id,
        allegation: claim.id,
        response: answer.id,
        event: meeting.id,
        text_file: text_file.id,
        pdf_file: pdf_file.id,
        url: url.id,
        secret_case: secret.id,
    }
}

/// A second clause, so that erasing the first one alone leaves the agreement something.
fn clause_with_marker(store: &mut Store, agreement_id: &str) {
    agreement::add_clause(store, agreement_id, &ClauseInput { reference: "7".into(), text: format!("Also {MARKER}") })
        .expect("second clause");
}

/// Erases everything [`marked`] wrote, each record on its own, in an order references allow.
pub fn erase_all(store: &mut Store, m: &Marked) -> Vec<EraseReport> {
    let reasons = ["source_protection", "clawback", "erasure-request", "Received in error"];
    let order = [
        &m.response,
        &m.allegation,
        &m.text_file,
        &m.letter,
        &m.event,
        &m.pdf_file,
        &m.url,
        &m.clause,
        &m.agreement,
        &m.party,
        &m.secret_case,
    ];
    order.iter().enumerate().map(|(i, id)| erase(store, id, reasons[i % reasons.len()])).collect()
}

/// Guards the test: a marker written into a record of every kind and into a text file and a
/// PDF kept as evidence is, once each is erased, in no file under the database's folder (database,
/// WAL, evidence store, anchor, the snapshot beside it); `check` is clean and lists the erasures; the
/// chain verifies against an anchor taken before; a backup made elsewhere before is named.
#[test]
fn every_kind_erased_leaves_no_trace_and_the_proof_holds() {
    let mut fx = fresh();
    let outside = tempfile::tempdir().expect("a folder outside the database's");
    let m = marked(&mut fx.store, outside.path());
    let db = fx.db_path();
    // A copy of the record Dossier keeps beside the database, as a restore leaves one.
    let snapshot = PathBuf::from(format!("{}.before-restore-20250101T000000Z", db.display()));
    dossier_core::care::backup::backup(&fx.store, &snapshot).expect("a snapshot beside");
    let backup = outside.path().join("copy.sqlite");
    dossier_core::care::backup::backup(&fx.store, &backup).expect("a backup elsewhere");
    let before: Anchor = fx.store.head().expect("head");
    assert!(holding_marker(fx.dir.path()).len() >= 5, "{:?}", holding_marker(fx.dir.path()));
    assert!(!search::search(fx.store.reader(), MARKER, None, 50).expect("search").is_empty());

    let reports = erase_all(&mut fx.store, &m);

    assert_eq!(holding_marker(fx.dir.path()), Vec::<PathBuf>::new(), "the marker is gone from every file");
    assert!(search::search(fx.store.reader(), MARKER, None, 50).expect("search").is_empty());
    assert!(!snapshot.exists(), "the snapshot beside the database is removed");
    assert_eq!(reports[0].elsewhere.len(), 1, "the backup made elsewhere is named");
    assert_eq!(reports[0].elsewhere[0].path, backup.display().to_string());
    assert_eq!(reports.iter().map(|r| r.copies.len()).sum::<usize>(), 1, "{reports:?}");
    assert_eq!(reports.iter().map(|r| r.files).sum::<usize>(), 3, "three evidence files left the store");
    assert!(reports.iter().all(|r| r.warnings.is_empty()), "{reports:?}");
    let secret = reports.last().expect("the case");
    assert_eq!(secret.records, 3, "the case, its letter and its evidence");

    assert_eq!(
        fx.store.verify_change_log().expect("the chain verifies"),
        count(&fx.store, "SELECT count(*) FROM change_log") as usize
    );
    let report = dossier_core::care::check::check(&fx.store, None).expect("check");
    assert!(report.problems.is_empty(), "{:?}", messages(&report));
    assert_eq!(report.erasures.len(), 11);
    assert_eq!(report.erasures[0].id, m.response);
    assert_eq!(report.erasures[0].reason.as_str(), "source_protection");
    let against = dossier_core::care::check::check(&fx.store, Some(before)).expect("check against the old anchor");
    assert!(against.problems.is_empty(), "{:?}", messages(&against));

    // The memo's history keeps each write, its values replaced by the erasure.
    let changes = history::history(fx.store.reader(), &m.letter).expect("history");
    assert!(changes.len() >= 4, "{changes:?}");
    assert!(changes.iter().all(|c| c.change == "erased" && c.differences.is_empty()), "{changes:?}");
    let last = changes.last().expect("the erasure");
    assert_eq!(last.action, "erase");
    assert_eq!(last.erased.as_ref().map(|e| e.reason.as_str()), Some("received_in_error"));
    // The records that stay keep their history.
    let acme = party::get(fx.store.reader(), "Acme").expect("Acme stays");
    assert_eq!(history::history(fx.store.reader(), &acme.id).expect("history")[0].change, "created");
}

/// Guards: a delete stays undoable — the log keeps the deleted record's image, and its history shows
/// what it was — where an erasure keeps nothing.
#[test]
fn a_delete_keeps_the_content_an_erasure_removes() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let deleted = event(&mut fx.store, "c", &format!("Deleted {MARKER}"), "2024");
    let erased = event(&mut fx.store, "c", &format!("Erased {MARKER}"), "2024");
    dossier_core::record::event::delete(&mut fx.store, &deleted.id).expect("delete");
    erase(&mut fx.store, &erased.id, "received_in_error");
    let kept = count(
        &fx.store,
        &format!("SELECT count(*) FROM change_log WHERE dossier_unpack(images) LIKE '%Deleted {MARKER}%'"),
    );
    let gone = count(
        &fx.store,
        &format!(
            "SELECT count(*) FROM change_log WHERE dossier_unpack(images) LIKE '%Erased {MARKER}%'
                    OR dossier_unpack(detail) LIKE '%Erased {MARKER}%'"
        ),
    );
    assert!(kept >= 2, "the deleted event's images are kept: {kept}");
    assert_eq!(gone, 0);
    assert_eq!(
        history::history(fx.store.reader(), &deleted.id).expect("history").last().expect("delete").change,
        "deleted"
    );
}

/// Guards: an erasure is refused, with nothing written, when its reason is missing or unknown, when
/// "other" comes without a note, when the record does not exist, and when other records still refer
/// to it (as a delete is); the message names what is wrong.
#[test]
fn bad_erasures_are_refused_and_write_nothing() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    org(&mut fx.store, "Acme");
    let memo = letter(&mut fx.store, "c", "Acme", &[], "Memo", "2024");
    let before = snapshot(&fx.store);
    let refused = |store: &mut Store, id: &str, reason: &str, note: &str| {
        erase::erase(store, &EraseInput { id: id.into(), reason: reason.into(), note: note.into() })
            .expect_err("refused")
    };
    let e = refused(&mut fx.store, &memo.id, "because", "");
    assert_eq!(e.code(), ErrorCode::InvalidInput);
    assert!(e.to_string().contains("'because' is not one of: clawback, source_protection"), "{e}");
    let e = refused(&mut fx.store, &memo.id, "other", " ");
    assert_eq!(e.code(), ErrorCode::InvalidInput);
    assert!(e.to_string().starts_with("note"), "{e}");
    let e = refused(&mut fx.store, "no-such-id", "clawback", "");
    assert_eq!(e.code(), ErrorCode::NotFound);
    let acme = party::get(fx.store.reader(), "Acme").expect("Acme");
    let e = refused(&mut fx.store, &acme.id, "clawback", "");
    assert_eq!(e.code(), ErrorCode::Conflict);
    assert!(e.to_string().starts_with("cannot erase party 'Acme': still referred to by"), "{e}");
    assert_eq!(snapshot(&fx.store), before, "nothing was written");
    let done = erase::erase(
        &mut fx.store,
        &EraseInput { id: memo.id.clone(), reason: "other".into(), note: "court order 12/3".into() },
    )
    .expect("other, with a note");
    let listed = erase::list(fx.store.reader()).expect("list");
    assert_eq!((listed[0].entry, listed[0].note.as_str()), (done.entry, "court order 12/3"));
}

/// Guards: a case given by its slug is erased with everything in it, and one whose records are still
/// cited from another case is refused, naming what refers to it.
#[test]
fn a_case_is_erased_whole_by_its_slug() {
    let mut fx = fresh();
    case(&mut fx.store, "gone");
    org(&mut fx.store, "Acme");
    let memo = letter(&mut fx.store, "gone", "Acme", &[], "Memo", "2024");
    event(&mut fx.store, "gone", "Meeting", "2024");
    let report = erase(&mut fx.store, "gone", "clawback");
    assert_eq!(report.kind.as_str(), "case");
    assert_eq!(report.records, 3);
    assert!(letter::get(fx.store.reader(), &memo.id).is_err());
    assert_eq!(count(&fx.store, "SELECT count(*) FROM case_file"), 0);
    assert!(dossier_core::care::check::check(&fx.store, None).expect("check").problems.is_empty());
}

/// Guards: the same in an encrypted database — the erased text is in no table, index or log entry
/// once decrypted, and the erased evidence file's sealed blob is gone from the store.
#[test]
fn an_encrypted_database_keeps_nothing_of_what_was_erased() {
    let (dir, path) = encrypted_demo("correct horse");
    let files = tempfile::tempdir().expect("temp");
    let mut store = Store::open_with(&path, Some(&pass("correct horse"))).expect("unlock");
    let m = marked(&mut store, files.path());
    let blob = store
        .blobs()
        .path(&evidence::get(store.reader(), &m.pdf_file).expect("pdf").sha256.expect("a file"))
        .expect("path");
    assert!(blob.is_file());
    assert!(tables_holding(&store, MARKER).len() > 5);
    let before = store.head().expect("head");
    erase_all(&mut store, &m);
    assert_eq!(tables_holding(&store, MARKER), Vec::<String>::new());
    assert!(!blob.exists(), "the sealed file is removed");
    assert_eq!(holding_marker(dir.path()), Vec::<PathBuf>::new());
    let report = dossier_core::care::check::check(&store, Some(before)).expect("check");
    assert!(report.problems.is_empty(), "{:?}", messages(&report));
    assert_eq!(report.erasures.len(), 11);
}

/// The tables (FTS5's own included) with a value holding `word`, in any case.
pub fn tables_holding(store: &Store, word: &str) -> Vec<String> {
    let db = store.reader();
    let tables = db
        .strings(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name",
            [],
        )
        .expect("tables");
    let mut found = Vec::new();
    for table in tables {
        let columns = db.strings(&format!("SELECT name FROM pragma_table_info('{table}')"), []).expect("columns");
        for column in columns {
            let sql = format!(
                "SELECT count(*) FROM \"{table}\" WHERE instr(CAST(\"{column}\" AS BLOB), CAST(?1 AS BLOB)) > 0
                    OR instr(lower(\"{column}\"), ?1) > 0"
            );
            let n: i64 = db.one(&sql, [word], |r| r.get(0)).expect("scan");
            if n > 0 {
                found.push(format!("{table}.{column}"));
            }
        }
    }
    found
}
