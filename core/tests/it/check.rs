//! `check` against someone with the database file and `sqlite3`: a row edited, the last entries of the
//! log deleted, the whole chain recomputed, an evidence file changed or deleted. Each is caught and
//! said exactly; a sound record passes.

use rusqlite::Connection;
use sha2::{Digest, Sha256};

use crate::common::*;
use dossier_core::care::check::check;
use dossier_core::store::anchor::Anchor;
use dossier_core::Store;

/// As an attacker would: drops the triggers that make the log append-only.
fn attacker(path: &std::path::Path) -> Connection {
    let conn = Connection::open(path).expect("open the file directly");
    log_as_text(&conn);
    conn.execute_batch(
        "DROP TRIGGER change_log_no_update; DROP TRIGGER change_log_erased_only; DROP TRIGGER change_log_no_delete;",
    )
    .expect("drop");
    conn
}

#[test]
fn a_sound_record_passes_and_says_its_head() {
    let (_dir, path) = demo_db();
    let report = checked(&path);
    assert!(report.is_sound(), "{:?}", messages(&report));
    assert!(report.entries > 50 && report.records >= 30 && report.files == 1, "{report:?}");
    assert_eq!(report.anchor.as_ref(), Some(&report.head), "the anchor beside the database is the head");
}

/// Guards "Done when": a row edited with sqlite3 is named, by record, table, column and values.
#[test]
fn a_row_edited_behind_dossiers_back_is_named() {
    let (_dir, path) = demo_db();
    let conn = Connection::open(&path).expect("open");
    let (id, summary): (String, String) = conn
        .query_row("SELECT id, summary FROM allegation ORDER BY id LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("one");
    conn.execute("UPDATE allegation SET summary = 'Microsoft admitted everything' WHERE id = ?1", [&id]).expect("edit");
    drop(conn);
    let report = checked(&path);
    let found = messages(&report);
    assert_eq!(found.len(), 1, "{found:?}");
    let expected =
        format!("column summary: '{}' → 'Microsoft admitted everything'", dossier_core::input::shorten(&summary));
    assert!(found[0].starts_with("record: allegation 'Microsoft admitted everything'"), "{}", found[0]);
    assert!(found[0].contains(&expected) && found[0].contains(&id), "{}", found[0]);
}

/// Guards "Done when": the last five entries deleted are caught against the anchor.
#[test]
fn the_last_entries_deleted_are_caught() {
    let (_dir, path) = demo_db();
    let head = checked(&path).head;
    let conn = attacker(&path);
    conn.execute("DELETE FROM change_log WHERE seq > ?1", [head.seq - 5]).expect("delete");
    drop(conn);
    let found = messages(&checked(&path));
    let expected = format!(
        "anchor: the change log ends at entry {} but entry {} was seen before (anchor {head}): the last 5 entries were removed",
        head.seq - 5,
        head.seq
    );
    assert!(found.contains(&expected), "{found:?}");
    assert!(
        found.iter().any(|m| m.starts_with("record: ")),
        "the records those entries wrote no longer match: {found:?}"
    );
}

/// Recomputes every hash of the chain, as anyone can without a secret (the review's rechain.py).
type Row = (i64, String, String, Option<String>, String, Option<String>, Option<String>);

fn rechain(conn: &Connection) {
    // Every entry hashed over its text, as before schema 12: the simplest chain to recompute.
    conn.execute("UPDATE change_log SET sums = NULL, nonces = NULL", []).expect("drop the digests");
    let rows: Vec<Row> = conn
        .prepare("SELECT seq, at, action, record_id, detail, images, actor FROM change_log ORDER BY seq")
        .expect("select")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("read");
    let mut prev = "0".repeat(64);
    for (seq, at, action, record, detail, images, actor) in rows {
        let seq_text = seq.to_string();
        let mut parts = vec![prev.clone(), seq_text, at, action, record.unwrap_or_default(), detail];
        if images.is_some() || actor.is_some() {
            parts.push(images.unwrap_or_default());
            parts.push(actor.unwrap_or_default());
        }
        let mut h = Sha256::new();
        for p in &parts {
            h.update((p.len() as u64).to_be_bytes());
            h.update(p.as_bytes());
        }
        let hash = format!("{:x}", h.finalize());
        conn.execute(
            "UPDATE change_log SET prev_hash = ?1, hash = ?2 WHERE seq = ?3",
            rusqlite::params![prev, hash, seq],
        )
        .expect("rechain");
        prev = hash;
    }
}

/// Guards "Done when": a chain recomputed from scratch, after a row and its logged image were both
/// edited to agree, verifies on its own but not against the anchor.
#[test]
fn a_chain_recomputed_from_scratch_is_caught() {
    let (_dir, path) = demo_db();
    let head = checked(&path).head;
    let conn = attacker(&path);
    conn.execute("UPDATE event SET title = 'Nothing happened' WHERE title LIKE 'Microsoft refuses%'", [])
        .expect("edit");
    conn.execute(
        "UPDATE change_log SET images = replace(images, 'Microsoft refuses to pay', 'Nothing happened') WHERE images LIKE '%Microsoft refuses to pay%'",
        [],
    )
    .expect("forge the images");
    rechain(&conn);
    drop(conn);
    let store = Store::open(&path).expect("open");
    store.verify_change_log().expect("the recomputed chain verifies on its own");
    let found = messages(&check(&store, None).expect("check"));
    assert!(
        found
            .iter()
            .any(|m| m.starts_with(&format!("anchor: change-log entry {} is not the one seen before", head.seq))
                && m.ends_with("the log was rewritten")),
        "{found:?}"
    );
    // A head kept elsewhere catches it too, even with the anchor beside the database rewritten.
    std::fs::remove_file(dossier_core::store::files::anchor(&path)).expect("the attacker removes the anchor");
    let kept: Anchor = head.to_string().parse().expect("an anchor");
    let found = messages(&check(&store, Some(kept)).expect("check"));
    assert!(found.iter().any(|m| m.ends_with("the log was rewritten")), "{found:?}");
}

/// Guards "Done when": an evidence file with one byte changed, or deleted, is named.
#[test]
fn an_altered_or_deleted_evidence_file_is_named() {
    let (dir, path) = demo_db();
    let blob = files_under(&dir.path().join("t.sqlite.files")).pop().expect("the article");
    let sha = blob.file_name().expect("name").to_string_lossy().into_owned();
    let mut bytes = std::fs::read(&blob).expect("read");
    bytes[100] ^= 1;
    std::fs::write(&blob, &bytes).expect("alter");
    let found = messages(&checked(&path));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("file: the evidence file of '")
            && found[0].contains(&format!("({sha}) was altered: its content hashes to")),
        "{}",
        found[0]
    );
    std::fs::remove_file(&blob).expect("delete");
    let found = messages(&checked(&path));
    assert!(found[0].ends_with(&format!("({sha}) is missing")), "{found:?}");
}

/// Guards: a record inserted or deleted with sqlite3 is named, and a log entry edited in place breaks
/// the chain at that entry, naming the part that no longer matches its digest.
#[test]
fn rows_added_or_removed_and_entries_edited_are_named() {
    let (_dir, path) = demo_db();
    let conn = attacker(&path);
    let tag: String = conn.query_row("SELECT tag FROM case_tag LIMIT 1", [], |r| r.get(0)).expect("a tag");
    conn.execute("DELETE FROM case_tag WHERE tag = ?1", [&tag]).expect("remove a tag");
    conn.execute("UPDATE change_log SET detail = detail || ' ' WHERE seq = 12", []).expect("edit an entry");
    drop(conn);
    let found = messages(&checked(&path));
    assert!(
        found
            .iter()
            .any(|m| m.starts_with("log: change-log entry 12 (") && m.ends_with("its detail does not match its digest")),
        "{found:?}"
    );
    assert!(found.iter().any(|m| m.contains(&format!("table case_tag: a row removed: tag='{tag}'"))), "{found:?}");
}

/// Guards: the rows that file each entry under its parties (what a party's timeline reads) are
/// compared with the timeline: one dropped and one added with sqlite3 are each named; and a forged sort
/// key in the timeline does not make the next write of its record fail, which puts every row right.
#[test]
fn the_timeline_of_a_party_forged_is_named_and_the_next_write_repairs_it() {
    let (_dir, path) = demo_db();
    let conn = Connection::open(&path).expect("open");
    let (entry, party): (String, String) = conn
        .query_row("SELECT entry_id, party_id FROM timeline_party_row ORDER BY entry_id LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("a row");
    conn.execute("DELETE FROM timeline_party_row WHERE entry_id = ?1 AND party_id = ?2", [&entry, &party])
        .expect("drop it");
    conn.execute_batch(
        "INSERT INTO timeline_party_row
              SELECT p.id, t.case_id, t.sort, t.rank, t.position, t.kind_rank, t.entry_id
                FROM timeline_row t, party p WHERE p.name LIKE 'Getty%' AND t.kind = 'letter'
                 AND NOT EXISTS (SELECT 1 FROM record_party_row rp WHERE rp.record_id = t.record_id AND rp.party_id = p.id)
               LIMIT 1",
    )
    .expect("add one");
    drop(conn);
    let found = messages(&checked(&path));
    assert!(found.iter().any(|m| m.contains(&format!("wrongly leaves out entry {entry}"))), "{found:?}");
    assert!(
        found.iter().any(|m| m.contains("the timeline filtered by Getty") && m.contains("wrongly shows entry")),
        "{found:?}"
    );

    let (_dir, path) = demo_db();
    let conn = Connection::open(&path).expect("open");
    let id: String = conn
        .query_row(
            "SELECT t.record_id FROM timeline_row t JOIN record_party_row rp ON rp.record_id = t.record_id
              WHERE t.kind = 'event' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("an event with parties");
    conn.execute("UPDATE timeline_row SET sort = sort + 1 WHERE record_id = ?1", [&id]).expect("forge its sort key");
    drop(conn);
    assert!(!checked(&path).is_sound(), "the forged key is named");
    let mut store = Store::open(&path).expect("open");
    let mut input = dossier_core::record::event::get(store.reader(), &id).expect("event").to_input();
    input.title.push_str(" (edited)");
    dossier_core::record::event::update(&mut store, &id, &input).expect("the write goes through");
    drop(store);
    let report = checked(&path);
    assert!(report.is_sound(), "{:?}", messages(&report));
}

/// Guards: two instances on one database (two windows, the app and the CLI) both work, and an edit
/// made from a stale read is refused, not silently written over the other one.
#[test]
fn a_second_instance_works_and_a_stale_edit_is_refused() {
    let (_dir, path) = demo_db();
    let mut first = Store::open(&path).expect("the app");
    let mut second = Store::open(&path).expect("the CLI beside it");
    let seen = dossier_core::record::event::list(first.reader(), "twitter-v-microsoft").expect("events").remove(0);
    // The second instance edits the event the first has open.
    let mut theirs = seen.to_input();
    theirs.title = "Edited in the other window".into();
    dossier_core::record::event::update(&mut second, &seen.id, &theirs).expect("the other edit");
    // The first, still showing what it read, edits it too: refused, nothing written.
    let mut mine = seen.to_input();
    mine.title = "Edited from a stale read".into();
    let err = first
        .edit_from(&seen.id, &seen.updated_at, |s| dossier_core::record::event::update(s, &seen.id, &mine))
        .expect_err("a stale edit");
    assert_eq!(err.code(), ErrorCode::Conflict);
    assert!(err.to_string().starts_with("this record was changed elsewhere"), "{err}");
    let now = dossier_core::record::event::get(first.reader(), &seen.id).expect("the event");
    assert_eq!(now.title, "Edited in the other window");
    // From a fresh read, the edit goes through; both instances see every write.
    first
        .edit_from(&now.id, &now.updated_at, |s| dossier_core::record::event::update(s, &now.id, &mine))
        .expect("a fresh edit");
    assert_eq!(
        dossier_core::record::event::get(second.reader(), &seen.id).expect("it").title,
        "Edited from a stale read"
    );
    assert!(check(&second, None).expect("check").is_sound());
}

/// Guards: a write that cannot get the database (another instance holds it for writing) fails with a
/// message saying so, not SQLite's code.
#[test]
fn a_busy_database_says_why() {
    let (_dir, path) = demo_db();
    let holder = Connection::open(&path).expect("another instance");
    holder.execute_batch("PRAGMA busy_timeout = 0; BEGIN IMMEDIATE;").expect("holds the write lock");
    let mut s = Store::open(&path).expect("open for reading");
    let err = dossier_core::record::case::create(
        &mut s,
        &dossier_core::record::case::CaseInput { title: "Blocked".into(), ..Default::default() },
    )
    .expect_err("busy");
    assert_eq!(
        (err.code(), err.to_string().as_str()),
        (ErrorCode::Busy, "the database is busy: another Dossier window or command is writing to it; nothing was written: try again when it is done")
    );
}

/// The anchor file as a slower writer, or someone cutting the log, would leave it.
fn put_anchor(path: &std::path::Path, anchor: &Anchor) {
    let file = dossier_core::store::files::anchor(path);
    std::fs::write(file, serde_json::to_string(anchor).expect("json")).expect("write the anchor");
}

/// Guards "Two writers at once", 2: an anchor a late writer left behind the head is brought to the
/// head by the next write; one the log does not continue (entries cut) is left as it is, for `check`
/// to report, and the write warns rather than fails.
#[test]
fn the_next_write_moves_the_anchor_forward_only() {
    let (_dir, path) = demo_db();
    let mut s = Store::open(&path).expect("open");
    let head = s.head().expect("head");
    let older = dossier_core::store::change_log::entry(s.reader(), head.seq - 3).expect("read").expect("entry");
    put_anchor(&path, &Anchor { seq: older.seq, hash: older.hash });
    dossier_core::record::case::create(
        &mut s,
        &dossier_core::record::case::CaseInput { title: "After".into(), ..Default::default() },
    )
    .expect("write");
    assert_eq!(s.take_warnings(), Vec::<String>::new());
    let now = s.head().expect("head");
    assert_eq!(dossier_core::store::anchor::load(&path).expect("load"), Some(now.clone()), "at the head");

    let ahead = Anchor { seq: now.seq + 5, hash: "ab".repeat(32) };
    put_anchor(&path, &ahead);
    dossier_core::record::case::create(
        &mut s,
        &dossier_core::record::case::CaseInput { title: "Later".into(), ..Default::default() },
    )
    .expect("the write is done even though its anchor is not moved");
    let warnings = s.take_warnings();
    assert!(
        warnings.len() == 1 && warnings[0].contains("does not continue the anchor"),
        "one warning that names the problem: {warnings:?}"
    );
    assert_eq!(dossier_core::store::anchor::load(&path).expect("load"), Some(ahead), "left for check to report");
}
