//! A long timeline read at any position: the outline counts a filtered timeline month by month, and a
//! slice (a month's start plus a number of entries to skip) reads the same entries the keyset pages
//! give at that position. This is what lets the app draw a scrollbar for the whole case and jump to a
//! year without reading what lies before it.

use crate::common::*;
use dossier_core::generate::generate;
use dossier_core::view::timeline::{self, Entry, Filter, Outline};
use dossier_core::Store;

fn ids(entries: &[Entry]) -> Vec<&str> {
    entries.iter().map(|e| e.id.as_str()).collect()
}

/// Where entry `index` of the filtered timeline is: its month's start and how far into the month.
fn position(outline: &Outline, index: usize) -> (i64, usize) {
    let mut before = 0usize;
    for month in &outline.months {
        let count = month.count as usize;
        if index < before + count {
            return (month.lo, index - before);
        }
        before += count;
    }
    panic!("entry {index} is past the outline's {} entries", outline.total);
}

fn filters(s: &Store) -> Vec<Filter> {
    let party: String = s
        .reader()
        .one("SELECT party_id FROM case_party ORDER BY party_id LIMIT 1", [], |r| r.get(0))
        .expect("a party of the case");
    vec![
        Filter::default(),
        Filter { kinds: vec!["letter".into()], ..Default::default() },
        Filter { party: Some(party), ..Default::default() },
        Filter { from: Some("2012".into()), to: Some("2015-06".into()), ..Default::default() },
        Filter { kinds: vec!["event".into()], from: Some("~2018".into()), ..Default::default() },
        Filter { text: Some("no title says this".into()), ..Default::default() },
    ]
}

/// Guards: the outline's months are the months the entries are filed under, with their counts, in
/// order, and each month's bounds hold its entries' sort keys.
#[test]
fn the_outline_counts_the_filtered_timeline_month_by_month() {
    let mut fx = fresh();
    generate(&mut fx.store, "g", 400, 11).expect("generate");
    for filter in filters(&fx.store) {
        let every = timeline::all(fx.store.reader(), "g", &filter).unwrap();
        let outline = timeline::outline(fx.store.reader(), "g", &filter).unwrap();
        assert_eq!(outline.total as usize, every.len(), "{filter:?}");
        let mut expected: Vec<(String, i64)> = Vec::new();
        for e in &every {
            match expected.last_mut() {
                Some((key, n)) if *key == e.group.key => *n += 1,
                _ => expected.push((e.group.key.clone(), 1)),
            }
        }
        let got: Vec<(String, i64)> = outline.months.iter().map(|m| (m.group.key.clone(), m.count)).collect();
        assert_eq!(got, expected, "{filter:?}");
        for m in &outline.months {
            assert!(m.lo < m.hi && m.hi - m.lo <= 31 * 86_400, "{} spans one month: {}..{}", m.group.key, m.lo, m.hi);
        }
    }
    let every = timeline::outline(fx.store.reader(), "g", &Filter::default()).unwrap();
    assert!(every.months.len() > 24, "a generated case spans years: {} months", every.months.len());
}

/// Guards: a slice at any position holds the same entries, in the same order, as the full list there,
/// with the same `next`, for every filter (the date window merges two index ranges, so it is among them).
#[test]
fn a_slice_reads_the_entries_at_any_position() {
    let mut fx = fresh();
    generate(&mut fx.store, "g", 400, 12).expect("generate");
    for filter in filters(&fx.store) {
        let every = timeline::all(fx.store.reader(), "g", &filter).unwrap();
        let outline = timeline::outline(fx.store.reader(), "g", &filter).unwrap();
        for size in [1, 7, 50] {
            for index in (0..every.len()).step_by(13).chain(every.len().checked_sub(1)) {
                let (from, skip) = position(&outline, index);
                let page = timeline::slice(fx.store.reader(), "g", &filter, from, skip, size).unwrap();
                let end = (index + size).min(every.len());
                assert_eq!(ids(&page.entries), ids(&every[index..end]), "{filter:?}: {size} from entry {index}");
                assert_eq!(page.next.is_some(), end < every.len(), "{filter:?}: more after {end}?");
            }
        }
    }
}

/// Guards: a slice past the end is empty, not an error; an unknown case is refused as a page is.
#[test]
fn a_slice_past_the_end_is_empty() {
    let mut fx = fresh();
    generate(&mut fx.store, "g", 60, 3).expect("generate");
    let outline = timeline::outline(fx.store.reader(), "g", &Filter::default()).unwrap();
    let last = outline.months.last().expect("months");
    let page = timeline::slice(fx.store.reader(), "g", &Filter::default(), last.lo, last.count as usize, 10).unwrap();
    assert!(page.entries.is_empty() && page.next.is_none());
    assert!(timeline::outline(fx.store.reader(), "nope", &Filter::default()).is_err());
}
