//! Synthetic cases (`dossier gen`): as many items as asked, written in one write of the bulk path
//! (so the record checks sound, and the case is whole or absent), every kind and every date
//! precision, and the same case for the same seed.

use std::collections::HashMap;

use crate::common::*;
use dossier_core::care::check;
use dossier_core::date::{FuzzyDate, Precision, Qualifier};
use dossier_core::generate::generate;
use dossier_core::record::case;
use dossier_core::store::change_log;
use dossier_core::view::history;
use dossier_core::view::timeline::{self, Filter};
use dossier_core::Error;
use serde_json::Value;

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

/// A large generated case is one write: `check` finds it sound, every record's image is in exactly one
/// entry of the write, a hundred records at most to an entry, and a record's history reads back.
#[test]
fn a_generated_case_is_one_write_of_entries_of_a_hundred_records() {
    let mut fx = fresh();
    let before = log_len(&fx.store);
    let made = generate(&mut fx.store, "g", 1_200, 5).expect("generate");
    let report = checked(&fx.db_path());
    assert!(report.problems.is_empty(), "check: {:?}", messages(&report));

    let mut seen: HashMap<String, i64> = HashMap::new();
    let mut last = None;
    change_log::each(fx.store.reader(), |entry| {
        if entry.seq <= before {
            return Ok(());
        }
        assert_eq!(entry.action, "generate case", "entry {}", entry.seq);
        let slots = entry.image_slots()?;
        assert!(!slots.is_empty() && slots.len() <= 100, "entry {} holds {} records", entry.seq, slots.len());
        for id in slots.keys() {
            if let Some(other) = seen.insert(id.clone(), entry.seq) {
                panic!("{id} is in entries {other} and {}", entry.seq);
            }
        }
        last = Some(entry);
        Ok(())
    })
    .expect("walk the log");
    let records = count(&fx.store, "SELECT count(*) FROM record");
    assert_eq!(seen.len() as i64, records, "every record is logged once");
    let entries = log_len(&fx.store) - before;
    assert_eq!(entries, (records + 99) / 100, "{records} records in {entries} entries");
    let detail: Value = serde_json::from_str(&last.expect("an entry").detail).expect("detail");
    assert_eq!(detail["part"].as_i64(), Some(entries), "the last entry says it is the last part");
    assert_eq!(detail["generated"]["events"].as_u64(), Some(made.events as u64), "and what was generated");

    // A letter drawn late in the case, and so written late in the write.
    let late: String =
        fx.store.reader().one("SELECT id FROM letter ORDER BY rowid DESC LIMIT 1", [], |r| r.get(0)).expect("a letter");
    let steps = history::history(fx.store.reader(), &late).expect("history");
    assert_eq!(steps.len(), 1, "{steps:?}");
    assert_eq!((steps[0].action.as_str(), steps[0].change.as_str()), ("generate case", "created"));
    assert_eq!(steps[0].entry, seen.get(&late).copied());
}

/// A write that fails midway (here on a party name the database has already, after the case and
/// other parties were written) leaves every table as it was.
#[test]
fn a_generated_case_that_fails_midway_leaves_nothing() {
    let mut first = fresh();
    generate(&mut first.store, "g", 50, 9).expect("generate");
    let last_party: String = first
        .store
        .reader()
        .one("SELECT name FROM party ORDER BY rowid DESC LIMIT 1", [], |r| r.get(0))
        .expect("a party");
    let mut fx = fresh();
    party(&mut fx.store, &last_party, "organisation");
    let e = refused(&mut fx.store, |s| generate(s, "g", 50, 9));
    assert!(matches!(e, Error::Conflict(_)), "{e:?}");
    assert!(case::resolve(fx.store.reader(), "g").is_err(), "no case 'g'");
}
