//! Synthetic cases (`dossier gen`): as many items as asked, written through the write path (so the
//! record checks sound), every kind and every date precision, and the same case for the same seed.

use crate::common::*;
use dossier_core::care::check;
use dossier_core::date::{FuzzyDate, Precision, Qualifier};
use dossier_core::generate::generate;
use dossier_core::view::timeline::{self, Filter};
use dossier_core::Error;

#[test]
fn a_generated_case_holds_what_was_asked_and_checks_sound() {
    let mut fx = fresh();
    let made = generate(&mut fx.store, "synthetic", 600, 42).expect("generate");
    let items = made.events + made.letters + made.evidence + made.allegations + made.responses + made.agreements;
    assert_eq!(items, 600, "{made:?}");
    for (kind, n) in [
        ("events", made.events),
        ("letters", made.letters),
        ("evidence", made.evidence),
        ("allegations", made.allegations),
        ("responses", made.responses),
        ("agreements", made.agreements),
    ] {
        assert!(n > 0, "no {kind}: {made:?}");
    }
    assert!(made.status_changes >= made.allegations && made.clauses >= 2 * made.agreements && made.links > 0);
    assert!(count(&fx.store, "SELECT count(*) FROM letter WHERE in_reply_to IS NOT NULL") > 0, "reply chains");
    assert!(count(&fx.store, "SELECT count(*) FROM letter WHERE deadline IS NOT NULL") > 0, "deadlines");
    assert!(count(&fx.store, "SELECT count(*) FROM evidence WHERE sha256 IS NOT NULL") > 0, "text files in the store");

    let entries = timeline::all(fx.store.reader(), "synthetic", &Filter::default()).unwrap();
    let dates: Vec<FuzzyDate> = entries.iter().map(|e| FuzzyDate::parse(&e.date).unwrap()).collect();
    for precision in [Precision::Year, Precision::Month, Precision::Day, Precision::Instant] {
        assert!(dates.iter().any(|d| d.precision() == precision), "no date at {precision:?}");
    }
    for qualifier in [Qualifier::Exact, Qualifier::About, Qualifier::Before, Qualifier::After, Qualifier::Between] {
        assert!(dates.iter().any(|d| d.qualifier() == qualifier), "no date {qualifier:?}");
    }
    let report = check::check(&fx.store, None).unwrap();
    assert!(report.is_sound(), "{:?}", report.problems);
}

#[test]
fn the_same_seed_gives_the_same_case() {
    let titles = |seed: u64| {
        let mut fx = fresh();
        generate(&mut fx.store, "s", 150, seed).unwrap();
        timeline::all(fx.store.reader(), "s", &Filter::default())
            .unwrap()
            .into_iter()
            .map(|e| (e.date, e.title))
            .collect::<Vec<_>>()
    };
    assert_eq!(titles(7), titles(7));
    assert_ne!(titles(7), titles(8));
}

#[test]
fn a_slug_in_use_or_no_items_is_refused_whole() {
    let mut fx = fresh();
    case(&mut fx.store, "taken");
    let before = log_len(&fx.store);
    let e = refused(&mut fx.store, |s| generate(s, "taken", 10, 1));
    assert!(matches!(e, Error::Conflict(_)), "{e:?}");
    let e = refused(&mut fx.store, |s| generate(s, "new", 0, 1));
    assert!(e.to_string().contains("between 1 and"), "{e}");
    assert_eq!(log_len(&fx.store), before);
}
