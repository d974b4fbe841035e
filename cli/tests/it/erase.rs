//! The contract of `dossier erase`, end to end: confirmed or refused, a reason from the list, the
//! content gone from every file under the database's folder, and `history` and `check` saying what
//! was erased and why.

use crate::common::Db;

const MARKER: &str = "wombatsource";

/// The demo database with a piece of evidence whose file and note hold the marker; its id.
fn with_marked_evidence(db: &Db) -> String {
    db.ok(&["demo"]);
    let file = db.file("memo.txt", &format!("Met {MARKER} at the station.\n"));
    let id = db.ok(&["evidence", "add-file", "twitter-v-microsoft", &file]).trim().to_string();
    db.ok(&["evidence", "edit", &id, "--note", &format!("from {MARKER}")]);
    id
}

/// Guards: without `--yes` and with no terminal to ask at, nothing is erased and the message says how
/// to confirm; a reason not on the list, or "other" without a note, is refused by name.
#[test]
fn erase_is_refused_without_confirmation_or_reason() {
    let db = Db::new();
    let id = with_marked_evidence(&db);
    let writes = db.writes();
    let (code, stderr) = db.err(&["erase", &id, "--reason", "clawback"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("erasing removes the record for good (it cannot be restored): confirm with --yes"),
        "{stderr}"
    );
    let (code, stderr) = db.err(&["erase", &id, "--reason", "tidy-up", "--yes"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("'tidy-up' is not one of: clawback, source_protection, erasure_request"), "{stderr}");
    let (code, stderr) = db.err(&["erase", &id, "--reason", "other", "--yes"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("note: is required"), "{stderr}");
    let (code, _) = db.err(&["erase", "no-such-record", "--reason", "clawback", "--yes"]);
    assert_eq!(code, 3);
    assert_eq!(db.writes(), writes, "nothing was written");
    assert!(!db.holding(MARKER).is_empty(), "the evidence is still there");
}

/// Guards: an erased piece of evidence leaves no byte of its file or note under the database's
/// folder; its history says "erased on … (reason)"; `check` passes and lists the erasure.
#[test]
fn erased_evidence_is_gone_and_said_so() {
    let db = Db::new();
    let id = with_marked_evidence(&db);
    assert!(!db.holding(MARKER).is_empty());
    let said = db.ok(&["erase", &id, "--reason", "source-protection", "--note", "order 12", "--yes"]);
    assert!(said.starts_with(&format!("erased evidence {id} (source protection): 1 record")), "{said}");
    assert!(said.contains("1 file removed of the evidence store"), "{said}");
    assert_eq!(db.holding(MARKER), Vec::<std::path::PathBuf>::new());

    let history = db.ok(&["history", &id]);
    let lines: Vec<&str> = history.lines().collect();
    assert!(lines.iter().any(|l| l.contains("erased: erase by cli (")), "{history}");
    assert!(lines.iter().filter(|l| l.trim_start().starts_with("erased on ")).count() >= 3, "{history}");
    assert!(history.contains("(source protection: order 12)"), "{history}");
    let french = db.ok(&["--lang", "fr", "history", &id]);
    assert!(french.contains("(protection des sources: order 12)"), "{french}");

    let check = db.ok(&["check"]);
    assert!(
        check.lines().any(
            |l| l.starts_with(&format!("erased: evidence {id} on ")) && l.contains("(source protection: order 12)")
        ),
        "{check}"
    );
    assert!(check.lines().last().is_some_and(|l| l.starts_with("all as Dossier wrote it")), "{check}");
    let json = db.json(&["check"]);
    assert_eq!(json["erasures"][0]["reason"], "source_protection");
}
