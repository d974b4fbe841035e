//! What an erasure does not excuse: content changed or removed from the log outside an erasure is
//! tampering, and `check` says so, naming the entry.

use rusqlite::Connection;

use super::erase;
use crate::common::*;

/// The problems `check` finds after `sql` ran on the closed database of `fx`, its triggers dropped as
/// whoever edits the file would.
fn after_editing(fx: Fixture, sql: &str) -> Vec<String> {
    let path = fx.db_path();
    let Fixture { store, dir } = fx;
    drop(store);
    let conn = Connection::open(&path).expect("open");
    log_as_text(&conn);
    conn.execute_batch(&format!("DROP TRIGGER change_log_no_update; DROP TRIGGER change_log_erased_only; {sql}"))
        .expect("edit");
    drop(conn);
    let found = messages(&checked(&path));
    drop(dir);
    found
}

/// Two events, one erased: (fixture, the erased id, the kept id, the erasure's entry).
fn one_erased() -> (Fixture, String, String, i64) {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let kept = event(&mut fx.store, "c", "Kept meeting", "2024");
    let gone = event(&mut fx.store, "c", "Erased meeting", "2024");
    let seq = erase(&mut fx.store, &gone.id, "clawback").entry;
    (fx, gone.id, kept.id, seq)
}

/// Guards: an image kept beside an erased one, changed afterwards, no longer matches its digest.
#[test]
fn a_kept_image_changed_is_tampering() {
    let (fx, _, _, _) = one_erased();
    let found = after_editing(fx, "UPDATE change_log SET images = replace(images, 'Kept meeting', 'Kept meetings');");
    assert!(found.iter().any(|m| m.contains("does not match its digest")), "{found:?}");
}

/// Guards: a record's image replaced by a tombstone that names the erasure, which did not erase it,
/// is tampering, not an erasure.
#[test]
fn a_tombstone_no_erasure_names_is_tampering() {
    let (fx, _, kept, seq) = one_erased();
    let sql = format!(
        "UPDATE change_log SET images = json_set(images, '$.{kept}', json('{{\"erased\":{seq}}}')) WHERE action = 'create event' AND record_id = '{kept}';"
    );
    let found = after_editing(fx, &sql);
    assert!(
        found.iter().any(
            |m| m.contains(&format!("its image of record {kept} was removed, and entry {seq} is no erasure of it"))
        ),
        "{found:?}"
    );
}

/// Guards: the erasure's own account of itself (what it erased, why) cannot be changed either.
#[test]
fn an_erasure_entry_changed_is_tampering() {
    let (fx, _, _, seq) = one_erased();
    let found = after_editing(
        fx,
        &format!("UPDATE change_log SET detail = replace(detail, 'clawback', 'other') WHERE seq = {seq};"),
    );
    assert!(found.iter().any(|m| m.contains(&format!("change-log entry {seq} (erase)"))), "{found:?}");
}

/// Guards: inside Dossier's own connection, the log still refuses every edit an erasure did not
/// announce, and any edit of an entry's hash, link or digests.
#[test]
fn the_log_refuses_edits_outside_an_erasure() {
    let (fx, gone, _, _) = one_erased();
    let path = fx.db_path();
    let Fixture { store, dir } = fx;
    drop(store);
    let conn = Connection::open(&path).expect("open");
    let err = conn.execute("UPDATE change_log SET images = '{}' WHERE seq = 2", []).expect_err("refused");
    assert!(err.to_string().contains("only an erasure rewrites an entry"), "{err}");
    let erased: i64 = conn
        .query_row("SELECT min(seq) FROM change_log WHERE record_id = ?1", [&gone], |r| r.get(0))
        .expect("an erased entry");
    let err = conn.execute("UPDATE change_log SET hash = 'x' WHERE seq = ?1", [erased]).expect_err("refused");
    assert!(err.to_string().contains("append-only"), "{err}");
    let err = conn.execute("DELETE FROM change_log_erasure", []).expect_err("refused");
    assert!(err.to_string().contains("append-only"), "{err}");
    drop(dir);
}
