//! A database whose change log was written before erasure existed (schema version 11: each entry
//! hashed over its text, no digests): it upgrades, its old entries are erased through what the
//! erasure vouches for them, and its pre-upgrade snapshot, which holds the text, goes too.

use std::path::Path;

use rusqlite::Connection;

use super::{erase_all, holding_marker, marked};
use crate::common::*;
use dossier_core::store::anchor::Anchor;
use dossier_core::Store;

/// Guards: a version-11 database upgrades; every record of it erased leaves no trace under its folder
/// (its pre-upgrade snapshot removed), its old entries keep their hashes, and `check` is clean, also
/// against the anchor taken before the upgrade.
#[test]
fn a_log_from_before_erasure_is_erased_and_still_verifies() {
    let Fixture { mut store, dir } = fresh();
    let outside = tempfile::tempdir().expect("temp");
    let m = marked(&mut store, outside.path());
    let path = dir.path().join("dossier.sqlite");
    drop(store);
    let before = as_version_11(&path);
    let old = checked_old(&path, &before);
    assert!(old.is_empty(), "the version-11 log verifies: {old:?}");
    let mut store = Store::open(&path).expect("upgrade");
    let upgrade = store.take_upgrade().expect("an upgrade");
    assert_eq!(upgrade.from, 11);
    assert!(holding_marker(dir.path()).iter().any(|p| p.display().to_string() == upgrade.backup));
    let old_hash_kept = dossier_core::store::change_log::entry(store.reader(), 5).expect("read").expect("entry 5").hash;

    let reports = erase_all(&mut store, &m);

    assert_eq!(holding_marker(dir.path()), Vec::<std::path::PathBuf>::new());
    assert!(!Path::new(&upgrade.backup).exists(), "the pre-upgrade snapshot held the text: removed");
    assert!(reports.iter().any(|r| r.copies == [upgrade.backup.clone()]), "{reports:?}");
    let entry_5 = dossier_core::store::change_log::entry(store.reader(), 5).expect("read").expect("entry 5");
    assert_eq!(entry_5.hash, old_hash_kept, "an old entry keeps its hash");
    assert!(entry_5.detail.starts_with("{\"erased\":"), "{}", entry_5.detail);
    let report = dossier_core::care::check::check(&store, None).expect("check");
    assert!(report.problems.is_empty(), "{:?}", messages(&report));
    let against = dossier_core::care::check::check(&store, Some(before)).expect("check");
    assert!(against.problems.is_empty(), "{:?}", messages(&against));
}

/// Guards: an old entry that was altered before the erasure (its text no longer matches its hash) is
/// not erased over: the erasure is refused, nothing is written, and `check` still shows the entry.
#[test]
fn an_erasure_does_not_hide_an_entry_altered_before() {
    let Fixture { mut store, dir } = fresh();
    case(&mut store, "c");
    let meeting = event(&mut store, "c", "Met the source", "2024");
    let path = dir.path().join("dossier.sqlite");
    drop(store);
    as_version_11(&path);
    {
        let conn = Connection::open(&path).expect("open");
        conn.execute_batch(
            "DROP TRIGGER change_log_no_update;
             UPDATE change_log SET images = replace(images, 'Met the source', 'Met nobody') WHERE action = 'create event';",
        )
        .expect("alter an old entry");
    }
    let mut store = Store::open(&path).expect("upgrade");
    let before = log_len(&store);
    let err = dossier_core::care::erase::erase(
        &mut store,
        &dossier_core::care::erase::EraseInput {
            id: meeting.id.clone(),
            reason: "clawback".into(),
            note: String::new(),
        },
    )
    .expect_err("refused");
    assert_eq!(err.code(), ErrorCode::Tampered);
    assert!(err.to_string().contains("content does not match its hash: nothing was erased"), "{err}");
    assert_eq!(log_len(&store), before);
    let report = dossier_core::care::check::check(&store, None).expect("check");
    assert!(messages(&report).iter().any(|m| m.contains("content does not match its hash")), "{:?}", messages(&report));
}

/// The problems `check` finds in a copy of a version-11 file (upgraded), against its head `anchor`,
/// but for its evidence files (not copied); the file itself is left as it is.
fn checked_old(path: &Path, anchor: &Anchor) -> Vec<String> {
    let copy = tempfile::tempdir().expect("temp");
    let at = copy.path().join("copy.sqlite");
    std::fs::copy(path, &at).expect("copy");
    let store = Store::open(&at).expect("upgrade the copy");
    let found = messages(&dossier_core::care::check::check(&store, Some(anchor.clone())).expect("check"));
    found.into_iter().filter(|m| !m.starts_with("file:")).collect()
}
