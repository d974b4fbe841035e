//! Guards that the timeline's SQL order (sort key, rank, position) is the same as `FuzzyDate`'s own
//! order, for every form of date, so the database never sorts differently from the type.

use dossier_core::date::FuzzyDate;
use dossier_core::record::case::{self, CaseInput};
use dossier_core::record::event::{self, EventInput};
use dossier_core::view::timeline::{self, Filter};
use dossier_core::Store;

#[test]
fn timeline_sorts_events_as_fuzzy_dates_sort() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("order.sqlite")).expect("open");
    case::create(&mut store, &CaseInput { title: "Order".into(), ..Default::default() }).expect("case");
    let texts = [
        "2023",
        "<2023",
        ">2023",
        "~2023",
        "2023-01",
        "<2023-01",
        "2023-01-01",
        "2023-01-01T00:00Z",
        "2023-01..2023-04",
        "2022-12..2023-02",
        "~2023-01",
        "2023-03",
        "<2023-03",
        ">2023-02",
        "2023-02-28",
        "2023-03-01T09:00+02:00",
        "2023-03-01",
        "~2023-03-01",
        "2023-03-01..2023-03-15",
        "2024",
        "<2024-01-01",
        "2022-12-31T23:59:59Z",
    ];
    // Inserted in reverse so that insertion order cannot pass for chronological order.
    for t in texts.iter().rev() {
        let input = EventInput { case: "order".into(), title: (*t).into(), date: (*t).into(), ..Default::default() };
        event::create(&mut store, &input).expect("event");
    }
    let mut expected: Vec<FuzzyDate> = texts.iter().map(|t| FuzzyDate::parse(t).expect("parse")).collect();
    expected.sort();
    let expected: Vec<String> = expected.iter().map(FuzzyDate::canonical).collect();
    let got: Vec<String> = timeline::all(store.reader(), "order", &Filter::default())
        .expect("timeline")
        .into_iter()
        .map(|e| e.date)
        .collect();
    assert_eq!(got, expected);
}
