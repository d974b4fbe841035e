//! Compact storage (schema version 14): the change log's detail and images kept as zstd frames. What
//! a user would check: an upgraded database says and proves what it did before, tampering with a
//! packed entry is still caught, and erasure still erases. (A word's forms kept only where they differ
//! from the word: `word_forms.rs`.)

use dossier_core::care::check::check;
use dossier_core::record::event::{self, EventInput};
use dossier_core::store::anchor::Anchor;
use dossier_core::transfer::as_of::as_of;
use dossier_core::view::history;
use dossier_core::Store;

use crate::common::*;

/// How many of the change log's parts are stored as `kind` (`text` or `blob`).
fn parts_stored_as(store: &Store, kind: &str) -> i64 {
    count(
        store,
        &format!(
            "SELECT (SELECT count(*) FROM change_log WHERE typeof(detail) = '{kind}') +
                         (SELECT count(*) FROM change_log WHERE typeof(images) = '{kind}')"
        ),
    )
}

/// A case with an event written, edited and deleted, and one kept: (fixture, kept id, deleted id).
fn with_history() -> (Fixture, String, String) {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let long = "The licensee exceeded the rate limits set by the agreement, again and again. ".repeat(8);
    let kept = event(&mut fx.store, "c", "Kept meeting", "2024-03");
    let input = EventInput {
        case: "c".into(),
        title: "Kept meeting".into(),
        date: "2024-03-02".into(),
        description: long,
        ..Default::default()
    };
    event::update(&mut fx.store, &kept.id, &input).expect("edit");
    let gone = event(&mut fx.store, "c", "Cancelled meeting", "2024-04");
    event::delete(&mut fx.store, &gone.id).expect("delete");
    (fx, kept.id, gone.id)
}

/// What a user reads of the past: each record's history, and the case as of now rebuilt from the log.
fn past(store: &Store, ids: &[&str]) -> String {
    let mut out = String::new();
    for id in ids {
        out.push_str(&format!("{:?}\n", history::history(store.reader(), id).expect("history")));
    }
    let replica = as_of(store, "2100").expect("as of");
    out.push_str(&format!("{:?}", event::list(replica.reader(), "c").expect("events")));
    out
}

/// Guards the upgrade to version 14: a database whose log is text is snapshotted, packed and
/// rewritten smaller; `check` is clean, also against the anchor taken before; history and `--as-of`
/// read as before.
#[test]
fn an_upgraded_database_is_packed_and_reads_and_proves_the_same() {
    let (mut fx, kept, gone) = with_history();
    for i in 0..40 {
        let description =
            format!("Minutes of meeting {i}: the parties discussed the audit of the royalties. ").repeat(6);
        let input = EventInput {
            case: "c".into(),
            title: format!("Meeting {i}"),
            date: "2024".into(),
            description,
            ..Default::default()
        };
        event_with(&mut fx.store, input);
    }
    let path = fx.db_path();
    let before = past(&fx.store, &[&kept, &gone]);
    let Fixture { store, dir } = fx;
    drop(store);
    as_version_before_packing(&path);
    let anchor = {
        let conn = rusqlite::Connection::open(&path).expect("open");
        let text: i64 = conn
            .query_row("SELECT count(*) FROM change_log WHERE typeof(images) = 'text'", [], |r| r.get(0))
            .expect("count");
        assert!(text > 40, "the log starts as text");
        conn.query_row("SELECT seq, hash FROM change_log ORDER BY seq DESC LIMIT 1", [], |r| {
            Ok(Anchor { seq: r.get(0)?, hash: r.get(1)? })
        })
        .expect("head")
    };
    let mut store = Store::open(&path).expect("upgrade");
    let upgrade = store.take_upgrade().expect("an upgrade");
    assert_eq!(upgrade.to, dossier_core::store::schema_version() as i64);
    drop(store);
    let backup = std::fs::metadata(&upgrade.backup).expect("the snapshot before the upgrade").len();
    let size = std::fs::metadata(&path).expect("db").len();
    assert!(size < backup, "the upgraded file is smaller: {size} bytes against {backup} before");
    let store = Store::open(&path).expect("open");
    assert!(parts_stored_as(&store, "blob") > 40, "the images are packed");
    let report = check(&store, Some(anchor)).expect("check");
    assert!(report.problems.is_empty(), "{:?}", messages(&report));
    assert_eq!(past(&store, &[&kept, &gone]), before);
    drop(store);
    drop(dir);
}

/// Guards: a packed entry whose text was changed (unpacked, edited, packed again) no longer matches
/// its digest, and one whose frame was damaged cannot be read: `check` names both.
#[test]
fn a_packed_entry_changed_or_damaged_is_tampering() {
    let (fx, kept, _) = with_history();
    let path = fx.db_path();
    let Fixture { store, dir } = fx;
    assert!(parts_stored_as(&store, "blob") > 0);
    drop(store);
    let conn = unpacking(&path);
    conn.execute_batch(&format!(
        "DROP TRIGGER change_log_no_update; DROP TRIGGER change_log_erased_only;
         UPDATE change_log SET images = dossier_pack(replace(dossier_unpack(images), 'rate limits', 'rate caps'))
          WHERE action = 'update event' AND typeof(images) = 'blob';
         UPDATE change_log SET images = substr(images, 1, length(images) - 8)
          WHERE action = 'create event' AND record_id = '{kept}' AND typeof(images) = 'blob';"
    ))
    .expect("edit the packed entries");
    assert_eq!(conn.changes(), 1);
    drop(conn);
    let found = messages(&checked(&path));
    assert!(
        found.iter().any(|m| m.contains(&format!("its image of record {kept} does not match its digest"))),
        "{found:?}"
    );
    assert!(found.iter().any(|m| m.contains("its images cannot be read")), "{found:?}");
    drop(dir);
}

/// Guards: an erasure rewrites packed entries: the erased record's images and the entries' detail
/// become tombstones, no packed part still holds its text, the other record's history reads as
/// before, and `check` is clean.
#[test]
fn an_erasure_rewrites_packed_entries() {
    let (mut fx, kept, _) = with_history();
    let gone = event(&mut fx.store, "c", "Privileged meeting with counsel", "2024-05");
    let kept_before = format!("{:?}", history::history(fx.store.reader(), &kept).expect("history"));
    dossier_core::care::erase::erase(
        &mut fx.store,
        &dossier_core::care::erase::EraseInput { id: gone.id.clone(), reason: "clawback".into(), note: String::new() },
    )
    .expect("erase");
    let left = count(
        &fx.store,
        "SELECT count(*) FROM change_log WHERE dossier_unpack(images) LIKE '%Privileged meeting%'
            OR dossier_unpack(detail) LIKE '%Privileged meeting%'",
    );
    assert_eq!(left, 0, "nothing of the erased record is left in the log");
    assert_eq!(format!("{:?}", history::history(fx.store.reader(), &kept).expect("history")), kept_before);
    let report = check(&fx.store, None).expect("check");
    assert!(report.problems.is_empty(), "{:?}", messages(&report));
}
