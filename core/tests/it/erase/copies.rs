//! What an erasure cannot reach, named: the exports of the record's case and the backups that the
//! change log notes since the record was written, each with where it was written and when.

use std::path::Path;

use super::erase;
use crate::common::*;
use dossier_core::care::backup;
use dossier_core::transfer::{self, ExportRequest};
use dossier_core::Store;

/// Exports case `case` as `format` to `dir/name`, noted in the change log as the front ends note it.
fn export(store: &mut Store, case: &str, format: &str, dir: &Path, name: &str) {
    let request =
        ExportRequest { case: case.into(), format: format.into(), path: dir.join(name), ..Default::default() };
    let mut report = transfer::export(store, &request).unwrap_or_else(|e| panic!("export {name}: {e}"));
    transfer::note_export(store, &mut report);
    assert!(report.messages.is_empty(), "{:?}", report.messages);
}

/// Later than anything written so far (the log's times are in milliseconds).
fn tick() {
    std::thread::sleep(std::time::Duration::from_millis(5));
}

/// Guards: an erasure lists the exports of the erased record's case and the backups made since the
/// record was written — not an export made before it existed, nor another case's.
#[test]
fn an_erasure_names_the_exports_and_backups_made_since_the_record() {
    let mut fx = fresh();
    case(&mut fx.store, "a");
    case(&mut fx.store, "b");
    let outside = tempfile::tempdir().expect("a folder outside the database's");
    export(&mut fx.store, "a", "md", outside.path(), "before.md");
    tick();
    let meeting = event(&mut fx.store, "a", "Meeting with the source", "2024");
    tick();
    export(&mut fx.store, "a", "docx", outside.path(), "a.docx");
    export(&mut fx.store, "b", "md", outside.path(), "b.md");
    let copy = outside.path().join("copy.sqlite");
    let made = backup::backup(&fx.store, &copy).expect("backup");
    assert_eq!(backup::note(&mut fx.store, &made), None, "the backup is noted");

    let report = erase(&mut fx.store, &meeting.id, "source_protection");

    let named: Vec<(&str, Option<&str>, &str)> =
        report.elsewhere.iter().map(|e| (e.what.as_str(), e.format.as_deref(), e.path.as_str())).collect();
    let (a, copy) = (outside.path().join("a.docx").display().to_string(), copy.display().to_string());
    assert_eq!(named, [("export", Some("docx"), a.as_str()), ("backup", None, copy.as_str())]);
    assert!(report.elsewhere.iter().all(|e| !e.when.is_empty() && e.at.as_str() > meeting.created_at.as_str()));
    let checked = dossier_core::care::check::check(&fx.store, None).expect("check");
    assert!(checked.problems.is_empty(), "{:?}", checked.problems);
}

/// Guards: erasing a whole case names its own exports, and a party, which belongs to no case, every
/// case's.
#[test]
fn a_case_names_its_exports_and_a_party_every_case() {
    let mut fx = fresh();
    case(&mut fx.store, "a");
    case(&mut fx.store, "b");
    let source = org(&mut fx.store, "Deep Throat Ltd");
    tick();
    let outside = tempfile::tempdir().expect("a folder outside the database's");
    export(&mut fx.store, "a", "html", outside.path(), "a.html");
    export(&mut fx.store, "b", "csv", outside.path(), "b.csv");

    let party = erase(&mut fx.store, &source.id, "erasure_request");
    let formats: Vec<Option<&str>> = party.elsewhere.iter().map(|e| e.format.as_deref()).collect();
    assert_eq!(formats, [Some("html"), Some("csv")], "a party may be in any case's export");

    let case = erase(&mut fx.store, "b", "clawback");
    let formats: Vec<Option<&str>> = case.elsewhere.iter().map(|e| e.format.as_deref()).collect();
    assert_eq!(formats, [Some("csv")], "only the case's own exports");
}
