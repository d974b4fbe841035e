//! Keyset pages of a case's timeline: they concatenate to the whole of it, and each entry reads the
//! same whatever page it falls on.

use crate::common::*;
use crate::timeline::{all, fuzzy_case, scene, titles, SCENE};
use dossier_core::record::event::EventInput;
use dossier_core::view::timeline::{self, Entry, Filter};
use dossier_core::Store;

fn paged(s: &Store, case: &str, filter: &Filter, size: usize) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    for _ in 0..100 {
        let page = timeline::page(s.reader(), case, filter, after.as_deref(), size).expect("page");
        assert!(!page.entries.is_empty(), "no page is empty (after {after:?})");
        assert!(page.entries.len() <= size, "a page holds at most {size} entries");
        if let Some(next) = &page.next {
            assert_eq!(page.entries.len(), size, "only the last page is short");
            assert_eq!(
                Some(next),
                page.entries.last().map(|e| &e.cursor),
                "next is the cursor of the page's last entry"
            );
        }
        out.extend(page.entries);
        match page.next {
            Some(next) => after = Some(next),
            None => return out,
        }
    }
    panic!("paging did not end");
}

/// Guards: keyset pages concatenate to exactly the full list, and the last page says there is no more.
#[test]
fn pages_concatenate_to_the_full_list() {
    let mut fx = fresh();
    scene(&mut fx.store);
    fuzzy_case(&mut fx.store);
    let ids = |entries: &[Entry]| entries.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
    for (case, filter) in [
        ("c", Filter::default()),
        ("fuzzy", Filter::default()),
        ("c", Filter { party: Some("Globex".into()), ..Default::default() }),
        ("fuzzy", Filter { from: Some("2023-03".into()), ..Default::default() }),
    ] {
        let full = all(&fx.store, case, &filter);
        assert!(full.len() > 2, "{case}: enough entries to page");
        for size in [1, 2, 3, full.len(), full.len() + 1] {
            assert_eq!(ids(&paged(&fx.store, case, &filter, size)), ids(&full), "{case} {filter:?} in pages of {size}");
        }
    }
    // Dates before 1970 (negative sort keys) and negative positions survive the cursor too.
    case(&mut fx.store, "old");
    for (title, date, position) in [
        ("a", "0001", 0),
        ("b", "1815-06-18", -2),
        ("c", "1815-06-18", -1),
        ("d", "1969-07-20T20:17Z", 0),
        ("e", "<1970", 0),
    ] {
        event_with(
            &mut fx.store,
            EventInput { case: "old".into(), title: title.into(), date: date.into(), position, ..Default::default() },
        );
    }
    let old = paged(&fx.store, "old", &Filter::default(), 1);
    assert_eq!(titles(&old), ["a", "b", "c", "d", "e"]);
    let last = timeline::page(fx.store.reader(), "c", &Filter::default(), None, 1000).expect("one page");
    assert_eq!((last.entries.len(), last.next), (SCENE.len(), None));
}

/// Guards: every entry of a record carries the record's parties and attributions, whichever page it
/// falls on and whatever else that page holds (an allegation and its status change, an agreement's
/// start and end, used to leave all but the first of a page without them).
#[test]
fn each_entry_of_a_record_carries_its_parties_in_any_page() {
    let mut fx = fresh();
    let sc = scene(&mut fx.store);
    let of = |entries: &[Entry], record: &str| -> Vec<(String, String, usize)> {
        let entries = entries.iter().filter(|e| e.record_id == record);
        entries.map(|e| (e.kind.as_str().to_string(), e.parties.join(", "), e.attribution.len())).collect()
    };
    let whole = all(&fx.store, "c", &Filter::default());
    let allegation = of(&whole, &sc.allegation);
    assert_eq!(allegation.len(), 2, "the allegation and its status change: {allegation:?}");
    assert!(
        allegation.iter().all(|(_, parties, _)| parties.contains("Acme") && parties.contains("Globex")),
        "{allegation:?}"
    );
    let agreement: Vec<&Entry> = whole.iter().filter(|e| e.kind.as_str().starts_with("agreement")).collect();
    assert_eq!(agreement.len(), 2);
    assert!(agreement.iter().all(|e| e.parties == ["Acme", "Globex"]), "both ends of the agreement name its parties");
    for size in [1, 2, 3] {
        let paged = paged(&fx.store, "c", &Filter::default(), size);
        assert_eq!(of(&paged, &sc.allegation), allegation, "in pages of {size}");
    }
}
