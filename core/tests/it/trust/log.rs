//! M2, M3, M4: a log nobody can extend unseen, derived tables and history that check covers, and a
//! bundle's history that cannot rewrite the past.

use std::path::Path;

use rusqlite::Connection;

use crate::common::*;
use dossier_core::store::{anchor, files};
use dossier_core::transfer::{self, as_of::as_of, ImportRequest};
use dossier_core::Store;

fn first_allegation(path: &Path) -> String {
    let s = Store::open(path).expect("open");
    s.reader().strings("SELECT id FROM allegation ORDER BY id", []).expect("ids").remove(0)
}

/// Runs the review's forgery script (`core/tests/fixtures/forge/forge.py`).
fn forge(args: &[&str]) {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/forge/forge.py");
    let mut all = vec![script];
    all.extend_from_slice(args);
    tool("python3", &all);
}

/// Guards M2: an entry appended behind Dossier's back (backdated, under another name) after the anchor
/// is reported, naming the entry, and its date going backwards too; the anchor is not moved over it.
#[test]
fn m2_a_forged_entry_appended_after_the_anchor_is_reported() {
    let (_dir, path) = demo_db();
    let id = first_allegation(&path);
    assert!(checked(&path).is_sound());
    let conn = Connection::open(&path).expect("open the file directly");
    conn.execute("UPDATE allegation SET summary = 'Microsoft admitted everything' WHERE id = ?1", [&id]).expect("edit");
    drop(conn);
    forge(&["append", path.to_str().expect("path"), &id, "2023-04-01T09:00:00.000Z"]);
    let report = checked(&path);
    let said = messages(&report);
    assert!(
        said.iter().any(|m| m.starts_with("anchor: entry") && m.contains("not sealed by this installation")),
        "{said:?}"
    );
    assert!(said.iter().any(|m| m.contains("before the entry ahead of it") && m.contains("2023-04-01")), "{said:?}");
    assert!(report.repaired.is_empty(), "the anchor is not moved over a forged entry");
    let kept = anchor::load(&path).expect("anchor").expect("there");
    assert_eq!(kept.seq + 1, report.head.seq, "left where Dossier last wrote");
}

/// Guards M2: a log rewritten from its first entry, hashes recomputed, with both anchors deleted, is
/// reported: the seals no longer match.
#[test]
fn m2_a_rechained_log_with_its_anchors_deleted_is_reported() {
    let (_dir, path) = demo_db();
    forge(&["rechain", path.to_str().expect("path")]);
    std::fs::remove_file(files::anchor(&path)).expect("rm the anchor");
    if let Some(kept) = anchor::kept_path(&path) {
        std::fs::remove_file(kept).expect("rm the installation's copy");
    }
    let report = checked(&path);
    let said = messages(&report);
    assert!(said.iter().any(|m| m.contains("does not match its seal")), "{said:?}");
    assert!(!report.is_sound());
}

/// Guards M2: with the anchor beside the database deleted, the copy this installation keeps still
/// catches a log cut short.
#[test]
fn m2_the_installations_copy_of_the_anchor_catches_a_cut_log() {
    let (_dir, path) = demo_db();
    let head = checked(&path).head;
    std::fs::remove_file(files::anchor(&path)).expect("rm the anchor");
    let conn = Connection::open(&path).expect("open");
    conn.execute_batch("DROP TRIGGER change_log_no_delete; DROP TRIGGER log_seal_no_delete;").expect("drop");
    conn.execute("DELETE FROM log_seal WHERE seq > ?1", [head.seq - 3]).expect("cut seals");
    conn.execute("DELETE FROM change_log_record WHERE seq > ?1", [head.seq - 3]).expect("cut index");
    conn.execute("DELETE FROM change_log WHERE seq > ?1", [head.seq - 3]).expect("cut");
    drop(conn);
    let said = messages(&checked(&path));
    assert!(said.iter().any(|m| m.contains("the last 3 entries were removed")), "{said:?}");
}

/// Guards M2 and "Two writers at once": an anchor left behind by a write whose anchor could not be
/// saved is brought to the head by `check`, which says so, since the entries after it are sealed here.
#[test]
fn m2_check_repairs_an_anchor_left_behind_by_this_installation() {
    let (_dir, path) = demo_db();
    let head = checked(&path).head;
    let s = Store::open(&path).expect("open");
    let older = dossier_core::store::change_log::entry(s.reader(), head.seq - 2).expect("read").expect("entry");
    drop(s);
    let behind = anchor::Anchor { seq: older.seq, hash: older.hash };
    std::fs::write(files::anchor(&path), serde_json::to_string(&behind).expect("json")).expect("put it back");
    let report = checked(&path);
    assert!(report.is_sound(), "{:?}", messages(&report));
    assert_eq!(report.repaired.len(), 1, "{:?}", report.repaired);
    assert_eq!(anchor::load(&path).expect("anchor"), Some(head));
}

/// Guards M3: a forged title and date in the timeline, a forged page of a document's text, a party
/// added to a record's "who" and an entry dropped from a record's history are each reported.
#[test]
fn m3_forged_derived_rows_are_reported() {
    let (_dir, path) = demo_db();
    let id = first_allegation(&path);
    let conn = Connection::open(&path).expect("open");
    conn.execute_batch(&format!(
        "UPDATE timeline_row SET title = 'Microsoft: we admit using the data without a licence', date = '2023-01-01'
          WHERE kind = 'letter' AND rowid = (SELECT min(rowid) FROM timeline_row WHERE kind = 'letter');
         UPDATE file_page SET text = 'Microsoft agreed in writing to pay 10 million dollars' WHERE page = 1;
         INSERT INTO record_party_row SELECT (SELECT record_id FROM timeline_row WHERE kind = 'letter' LIMIT 1), id, 1, 0
           FROM party WHERE name LIKE 'Getty%';
         DELETE FROM change_log_record WHERE record_id = '{id}' AND seq = (SELECT max(seq) FROM change_log_record WHERE record_id = '{id}');"
    ))
    .expect("forge");
    drop(conn);
    let said = messages(&checked(&path));
    for expected in [
        "timeline: the timeline shows, though the record does not say it, the letter entry 'Microsoft: we admit",
        "parties: the parties shown with record",
        "changed after it was read",
        "leaves out change-log entry",
    ] {
        assert!(said.iter().any(|m| m.contains(expected)), "{expected}: {said:?}");
    }
}

/// Guards M4: a bundle whose history holds rows of a record of another case is refused whole, and the
/// past of that other record is not rewritten.
#[test]
fn m4_a_bundle_history_holding_another_records_rows_is_refused() {
    let (dir, path) = demo_db();
    let id = first_allegation(&path);
    let mut s = Store::open(&path).expect("open");
    let row: serde_json::Value = {
        let conn = Connection::open(&path).expect("open");
        let mut stmt = conn.prepare("SELECT * FROM allegation WHERE id = ?1").expect("prepare");
        let names: Vec<String> = stmt.column_names().iter().map(|c| c.to_string()).collect();
        stmt.query_row([&id], |r| {
            let mut row = serde_json::Map::new();
            for (i, name) in names.iter().enumerate() {
                let v: rusqlite::types::Value = r.get(i)?;
                row.insert(
                    name.clone(),
                    match v {
                        rusqlite::types::Value::Integer(n) => n.into(),
                        rusqlite::types::Value::Text(t) => t.into(),
                        _ => serde_json::Value::Null,
                    },
                );
            }
            row.insert("summary".into(), "Twitter withdrew this allegation and apologised to Microsoft".into());
            Ok(serde_json::Value::Object(row))
        })
        .expect("row")
    };
    let t = "2001-01-01T00:00:00Z";
    let bundle = serde_json::json!({"format": "dossier-bundle", "version": 1,
        "case": {"id": "evilcase", "slug": "harmless-case", "title": "Harmless case", "status": "open", "created_at": t, "updated_at": t},
        "events": [{"id": "zzzz-event", "title": "A harmless event", "date": "2020-01-01", "created_at": t, "updated_at": t}],
        "history": [{"record": "zzzz-event", "at": t, "action": "create event", "actor": "app (nobody)", "source": "00",
                     "image": {"kind": "event", "tables": {"allegation": [row]}}}]});
    let file = dir.path().join("evil.json");
    std::fs::write(&file, bundle.to_string()).expect("write");
    let before = log_len(&s);
    let err = transfer::import(&mut s, &ImportRequest { path: file, ..Default::default() }).expect_err("refused");
    says(&err, &["zzzz-event", "only the record's own rows"]);
    assert_eq!(log_len(&s), before, "nothing written");
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let past = as_of(&s, &today).expect("as of today");
    let summary: String =
        past.reader().one("SELECT summary FROM allegation WHERE id = ?1", [&id], |r| r.get(0)).expect("there");
    assert!(!summary.contains("apologised"), "{summary}");
}
