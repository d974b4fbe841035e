//! Regression tests for defects found in review, one per test, each named for what it guards.

use dossier_core::record::agreement::{self, AgreementInput, ClauseInput};
use dossier_core::record::allegation::{self, AllegationInput, StatusInput};
use dossier_core::record::case::{self, CaseInput};
use dossier_core::record::event::{self, EventInput};
use dossier_core::record::party::{self, PartyInput};
use dossier_core::transfer::{self, ExportRequest};
use dossier_core::view::search;
use dossier_core::view::timeline::{self, Filter};
use dossier_core::{Error, Store};

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut s = Store::open(&dir.path().join("r.sqlite")).expect("open");
    case::create(&mut s, &CaseInput { title: "Regressions".into(), slug: "reg".into(), ..Default::default() })
        .expect("case");
    for name in ["Acme", "Widget"] {
        party::create(&mut s, &PartyInput { name: name.into(), kind: "organisation".into(), ..Default::default() })
            .expect("party");
    }
    (dir, s)
}

/// Guards: a status change dated at the raising's own day keeps being the current status (the raising
/// at 09:15 that day used to sort after it and win).
#[test]
fn a_status_change_on_the_day_of_raising_becomes_current() {
    let (_dir, mut s) = store();
    let a = allegation::create(
        &mut s,
        &AllegationInput {
            case: "reg".into(),
            made_by: "Acme".into(),
            against: "Widget".into(),
            summary: "Overuse".into(),
            date: "2023-04-20T09:15+02:00".into(),
            ..Default::default()
        },
    )
    .expect("allegation");
    let a = allegation::set_status(
        &mut s,
        &a.id,
        &StatusInput { status: "disputed".into(), date: "2023-04-20".into(), ..Default::default() },
    )
    .expect("status");
    assert_eq!(a.status, "disputed");
    assert_eq!(a.history.iter().map(|h| h.status.as_str()).collect::<Vec<_>>(), ["alleged", "disputed"]);
}

/// Guards: a slug can never stand for another record's id, and an id always finds its own case.
#[test]
fn a_slug_cannot_be_another_records_id() {
    let (_dir, mut s) = store();
    let reg = case::get(s.reader(), "reg").expect("case");
    let err = case::create(&mut s, &CaseInput { title: "Impostor".into(), slug: reg.id.clone(), ..Default::default() })
        .expect_err("refused");
    assert!(matches!(err, Error::Invalid { ref field, .. } if field == "slug"), "{err}");
    assert_eq!(case::resolve(s.reader(), &reg.id).expect("resolve"), reg.id);
}

/// Guards: clauses are found under their agreement's new title after a rename.
#[test]
fn clauses_follow_their_agreements_rename_in_search() {
    let (_dir, mut s) = store();
    let a = agreement::create(
        &mut s,
        &AgreementInput { case: "reg".into(), title: "API Terms".into(), ..Default::default() },
    )
    .expect("agreement");
    agreement::add_clause(&mut s, &a.id, &ClauseInput { reference: "§ 4".into(), text: "Volume caps apply.".into() })
        .expect("clause");
    let mut input = a.to_input();
    input.title = "Developer Agreement".into();
    agreement::update(&mut s, &a.id, &input).expect("rename");
    let hits = search::search(s.reader(), "developer volume", None, 10).expect("search");
    assert!(hits.iter().any(|h| h.kind == "clause" && h.title.contains("Developer Agreement")), "{hits:?}");
    assert!(search::search(s.reader(), "\"API Terms\"", None, 10).expect("search").is_empty(), "the old title is gone");
}

/// Guards: the timeline's title filter ignores case in every script, not only ASCII.
#[test]
fn the_title_filter_folds_accented_capitals() {
    let (_dir, mut s) = store();
    event::create(
        &mut s,
        &EventInput {
            case: "reg".into(),
            title: "Électricité de France écrit".into(),
            date: "2024".into(),
            ..Default::default()
        },
    )
    .expect("event");
    let filter = Filter { text: Some("électricité".into()), ..Default::default() };
    assert_eq!(timeline::all(s.reader(), "reg", &filter).expect("timeline").len(), 1);
}

/// Guards: exporting a bundle with its files under a chosen name leaves other files of the folder
/// alone (it used to write and then move `bundle.json`, destroying one already there).
#[test]
fn exporting_with_files_under_a_name_keeps_an_existing_bundle_json() {
    let (dir, s) = store();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).expect("folder");
    std::fs::write(out.join("bundle.json"), "precious").expect("write");
    let request = ExportRequest {
        case: "reg".into(),
        format: "json".into(),
        path: out.join("reg.json"),
        lang: "en".into(),
        with_files: true,
        options: Default::default(),
    };
    transfer::export(&s, &request).expect("export");
    assert_eq!(std::fs::read_to_string(out.join("bundle.json")).expect("still there"), "precious");
    assert!(std::fs::read_to_string(out.join("reg.json")).expect("written").contains("\"dossier-bundle\""));
}
