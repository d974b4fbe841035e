//! The filtered timeline of a generated case, against what a reader would pick out of the whole
//! timeline by hand: the entries of one party, and those whose dates overlap a window, the same entries
//! in the same order, page after page, whichever index finds them. And the party's timeline and the
//! window following a record's edits.

use crate::common::*;
use crate::timeline::{all, titles};
use dossier_core::date::FuzzyDate;
use dossier_core::generate::generate;
use dossier_core::record::event::{self, EventInput};
use dossier_core::view::timeline::{self, Entry, Filter};
use dossier_core::Store;

/// The ids of a filtered timeline read in pages of `size`.
fn paged(s: &Store, filter: &Filter, size: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = timeline::page(s.reader(), "g", filter, after.as_deref(), size).expect("page");
        out.extend(page.entries.into_iter().map(|e| e.id));
        match page.next {
            Some(next) => after = Some(next),
            None => return out,
        }
    }
}

fn ids<'a>(entries: impl Iterator<Item = &'a Entry>) -> Vec<String> {
    entries.map(|e| e.id.clone()).collect()
}

/// Whether the entry's record involves the party or cites it as a source, as the entry shows it.
fn of_party(e: &Entry, name: &str) -> bool {
    e.parties.iter().any(|p| p == name)
        || e.attribution
            .iter()
            .any(|a| a.asserted_by.as_deref() == Some(name) || a.reported_by.as_deref() == Some(name))
}

/// Whether the entry's date range overlaps the window from `from` to `to` (fuzzy-date text, "" open).
fn overlaps(e: &Entry, from: &str, to: &str) -> bool {
    let lo = (!from.is_empty()).then(|| FuzzyDate::parse(from).unwrap().lower().unwrap_or(i64::MIN));
    let hi = (!to.is_empty()).then(|| FuzzyDate::parse(to).unwrap().upper().unwrap_or(i64::MAX));
    lo.is_none_or(|lo| e.hi.is_none_or(|h| h > lo)) && hi.is_none_or(|hi| e.lo.is_none_or(|l| l < hi))
}

/// A generated case: 400 items over 2009–2024, every precision and qualifier, parties on every record.
fn generated() -> (Fixture, Vec<Entry>) {
    let mut fx = fresh();
    generate(&mut fx.store, "g", 400, 11).expect("generate");
    let every = all(&fx.store, "g", &Filter::default());
    (fx, every)
}

/// Guards: the party filter (read from the party's own rows in timeline order) gives exactly the
/// entries of the whole timeline that involve or cite the party, in its order, across page boundaries,
/// alone and with other filters, and the outline counts them.
#[test]
fn a_party_filter_gives_the_partys_entries_in_order_across_pages() {
    let (fx, every) = generated();
    let mut names: Vec<&str> = every.iter().flat_map(|e| e.parties.iter().map(String::as_str)).collect();
    names.sort_unstable();
    names.dedup();
    assert!(names.len() >= 10, "{names:?}");
    for name in names.iter().take(5) {
        let expected = ids(every.iter().filter(|e| of_party(e, name)));
        assert!(expected.len() > 20, "{name}: enough entries to page ({})", expected.len());
        let filter = Filter { party: Some(name.to_string()), ..Default::default() };
        for size in [7, 200] {
            assert_eq!(paged(&fx.store, &filter, size), expected, "{name} in pages of {size}");
        }
        let outline = timeline::outline(fx.store.reader(), "g", &filter).expect("outline");
        assert_eq!(outline.total, expected.len() as i64, "{name}: the outline counts them");

        let letters = Filter { kinds: vec!["letter".into()], ..filter.clone() };
        let expected = ids(every.iter().filter(|e| of_party(e, name) && e.kind.as_str() == "letter"));
        assert_eq!(paged(&fx.store, &letters, 5), expected, "{name}'s letters");
        let window = Filter { from: Some("2013-06".into()), to: Some("2016".into()), ..filter };
        let expected = ids(every.iter().filter(|e| of_party(e, name) && overlaps(e, "2013-06", "2016")));
        assert_eq!(paged(&fx.store, &window, 5), expected, "{name} from June 2013 to 2016");
    }
}

/// Guards: a date window (each width of date read from just before the window, the open-ended and
/// widest ones from anywhere, then merged) gives exactly the entries of the whole timeline whose range
/// overlaps it, in its order, across page boundaries: windows of an instant, a day, months and years,
/// open on either side, at the case's ends and beyond them.
#[test]
fn a_date_window_gives_every_overlapping_entry_in_order_across_pages() {
    let (fx, every) = generated();
    for (from, to) in [
        ("2015-03", "2015-06"),
        ("2012-05-17", "2012-05-17"),
        ("2016-02-29T12:00Z", "2016-02-29T12:00Z"),
        ("2011", "2011"),
        ("2009", "2010"),
        ("2024-12", ""),
        ("", "2009-02"),
        ("2020", ""),
        ("", "2012"),
        ("2030", ""),
        ("", "1999"),
    ] {
        let expected = ids(every.iter().filter(|e| overlaps(e, from, to)));
        let filter = Filter { from: Some(from.into()), to: Some(to.into()), ..Default::default() };
        for size in [9, 200] {
            assert_eq!(paged(&fx.store, &filter, size), expected, "from {from:?} to {to:?} in pages of {size}");
        }
    }
    let spans: std::collections::BTreeSet<Option<i64>> =
        every.iter().map(|e| e.lo.zip(e.hi).map(|(lo, hi)| (hi - lo) / 86_400)).collect();
    assert!(spans.len() > 5, "dates of many widths, open-ended ones among them: {spans:?}");
}

/// Guards: an entry moves in a party's timeline when its date changes, leaves it when the party is
/// taken off, and is found by a date window after turning from a day into an open-ended date (the
/// rows kept per party and the window's index follow every edit).
#[test]
fn a_partys_timeline_and_a_window_follow_a_records_edits() {
    let mut fx = fresh();
    case(&mut fx.store, "g");
    org(&mut fx.store, "Acme");
    org(&mut fx.store, "Globex");
    let mut made = Vec::new();
    for (title, date, parties) in [
        ("first", "2020-01-01", &["Acme"][..]),
        ("second", "2020-02-01", &["Acme"]),
        ("third", "2020-03-01", &["Acme", "Globex"]),
    ] {
        let input = EventInput {
            case: "g".into(),
            title: title.into(),
            date: date.into(),
            parties: parties.iter().map(|p| p.to_string()).collect(),
            ..Default::default()
        };
        made.push(event_with(&mut fx.store, input));
    }
    let of = |s: &Store, filter: Filter| -> Vec<String> {
        titles(&all(s, "g", &filter)).into_iter().map(String::from).collect()
    };
    let party = |name: &str| Filter { party: Some(name.into()), ..Default::default() };
    assert_eq!(of(&fx.store, party("Acme")), ["first", "second", "third"]);

    let edit = |s: &mut Store, id: &str, change: &dyn Fn(&mut EventInput)| {
        let mut input = event::get(s.reader(), id).expect("event").to_input();
        change(&mut input);
        event::update(s, id, &input).expect("update");
    };
    edit(&mut fx.store, &made[0].id, &|i| i.date = "2020-12-01".into());
    assert_eq!(of(&fx.store, party("Acme")), ["second", "third", "first"], "the first moved to December");
    edit(&mut fx.store, &made[2].id, &|i| i.parties = vec!["Globex".into()]);
    assert_eq!(of(&fx.store, party("Acme")), ["second", "first"], "Acme taken off the third");
    assert_eq!(of(&fx.store, party("Globex")), ["third"]);

    let window = Filter { from: Some("2021-06".into()), to: Some("2021-06".into()), ..Default::default() };
    assert!(of(&fx.store, window.clone()).is_empty());
    edit(&mut fx.store, &made[1].id, &|i| i.date = ">2020-02-01".into());
    edit(&mut fx.store, &made[0].id, &|i| i.date = "2019..2023".into());
    // "2019..2023" sorts at 2019, "after 1 February 2020" at the end of that day.
    assert_eq!(of(&fx.store, window), ["first", "second"], "a four-year and an open-ended date overlap June 2021");
    assert_eq!(of(&fx.store, party("Acme")), ["first", "second"], "and Acme's timeline follows their new dates");

    event::delete(&mut fx.store, &made[0].id).expect("delete");
    assert_eq!(of(&fx.store, party("Acme")), ["second"], "a deleted event is gone");
}
