//! Long lists a page at a time: the correspondence as threads, allegations with their responses,
//! evidence and agreements. Pages concatenate to exactly the whole list, say the total, and stop
//! cleanly past the end; threads keep every reply right under what it answers.

use std::collections::HashMap;

use crate::common::*;
use dossier_core::generate::generate;
use dossier_core::record::{agreement, allegation, evidence, letter, response, Listed, MAX_LISTED};
use dossier_core::view::allegations;
use dossier_core::Result;

/// Every page of `size` of a list, checked on the way, concatenated.
fn pages<T>(size: usize, read: impl Fn(usize, usize) -> Result<Listed<T>>) -> Vec<T> {
    let mut out = Vec::new();
    loop {
        let page = read(out.len(), size).expect("page");
        assert_eq!(page.offset, out.len());
        assert!(page.items.len() <= size);
        let last = page.items.len() < size || out.len() + page.items.len() == page.total;
        out.extend(page.items);
        if last {
            assert_eq!(out.len(), page.total, "the pages hold the total");
            return out;
        }
    }
}

fn generated() -> Fixture {
    let mut fx = fresh();
    generate(&mut fx.store, "g", 500, 21).expect("generate");
    fx
}

fn ids<T>(items: &[T], id: impl Fn(&T) -> &str) -> Vec<String> {
    items.iter().map(|i| id(i).to_string()).collect()
}

#[test]
fn pages_of_every_list_concatenate_to_the_whole_list() {
    let fx = generated();
    let db = fx.store.reader();
    for size in [1, 7, 1000] {
        let threads = pages(size, |o, l| letter::threads_page(db, "g", o, l));
        let whole = letter::threads(db, "g").unwrap();
        assert_eq!(ids(&threads, |t| &t.letter.id), ids(&whole, |t| &t.letter.id), "threads in pages of {size}");
        assert_eq!(
            threads.iter().map(|t| t.depth).collect::<Vec<_>>(),
            whole.iter().map(|t| t.depth).collect::<Vec<_>>()
        );

        let evidence = pages(size, |o, l| evidence::page(db, "g", o, l));
        assert_eq!(ids(&evidence, |e| &e.id), ids(&evidence::list(db, "g").unwrap(), |e| &e.id), "evidence, {size}");

        let agreements = pages(size, |o, l| agreement::page(db, "g", o, l));
        assert_eq!(
            ids(&agreements, |a| &a.id),
            ids(&agreement::list(db, "g").unwrap(), |a| &a.id),
            "agreements, {size}"
        );

        let items = pages(size, |o, l| allegations::page(db, "g", o, l));
        assert_eq!(
            ids(&items, |i| &i.allegation.id),
            ids(&allegation::list(db, "g").unwrap(), |a| &a.id),
            "allegations"
        );
    }
    let big = letter::threads_page(db, "g", 0, 1_000_000).unwrap();
    assert_eq!(big.items.len(), big.total.min(MAX_LISTED), "a page is at most {MAX_LISTED} items");
    let past = evidence::page(db, "g", 1_000_000, 10).unwrap();
    assert!(past.items.is_empty() && past.total > 0, "past the end: nothing, and the total");
}

/// Guards: a reply sits right under the letter it answers, or under that letter's other replies,
/// one level deeper; a letter whose parent is in another case starts a thread.
#[test]
fn threads_keep_each_reply_under_what_it_answers() {
    let fx = generated();
    let threads = letter::threads(fx.store.reader(), "g").unwrap();
    assert!(threads.iter().any(|t| t.depth >= 2), "the generated case has reply chains");
    let mut seen: HashMap<&str, u32> = HashMap::new();
    for t in &threads {
        match t.letter.in_reply_to.as_deref() {
            Some(parent) => {
                let depth = seen.get(parent).unwrap_or_else(|| panic!("{} comes before its parent", t.letter.id));
                assert_eq!(t.depth, depth + 1, "{}", t.letter.id);
            }
            None => assert_eq!(t.depth, 0),
        }
        seen.insert(&t.letter.id, t.depth);
    }
}

/// Guards: each allegation of a page comes with exactly the responses that answer it.
#[test]
fn an_allegation_page_carries_its_responses() {
    let fx = generated();
    let db = fx.store.reader();
    let every = response::list(db, "g").unwrap();
    let items = pages(50, |o, l| allegations::page(db, "g", o, l));
    assert!(items.iter().any(|i| !i.responses.is_empty()), "some allegations are answered");
    for i in &items {
        let expected: Vec<&str> =
            every.iter().filter(|r| r.allegations.contains(&i.allegation.id)).map(|r| r.id.as_str()).collect();
        let mut got: Vec<&str> = i.responses.iter().map(|r| r.id.as_str()).collect();
        let mut want = expected.clone();
        got.sort();
        want.sort();
        assert_eq!(got, want, "responses to {}", i.allegation.id);
    }
}

/// Guards: the case list's record count and last activity are what reading every record of the case
/// gives, for a large case and a small one beside it, whichever was written last.
#[test]
fn the_case_list_counts_every_record_and_finds_the_last_activity() {
    let mut fx = generated();
    case(&mut fx.store, "quiet");
    event(&mut fx.store, "quiet", "Only event", "2020");
    case(&mut fx.store, "later");
    event(&mut fx.store, "later", "Written last", "2021-05");
    let summaries = dossier_core::view::overview::summaries(fx.store.reader()).unwrap();
    assert_eq!(summaries.len(), 3);
    let conn = raw(&fx);
    for s in &summaries {
        let (count, newest): (i64, String) = conn
            .query_row(
                "SELECT count(*), max(updated_at) FROM record r
                  WHERE r.id = ?1 OR r.id IN (SELECT record_id FROM timeline_row WHERE case_id = ?1)
                     OR r.id IN (SELECT id FROM evidence WHERE case_id = ?1)
                     OR r.id IN (SELECT c.id FROM clause c JOIN agreement a ON a.id = c.agreement_id WHERE a.case_id = ?1)
                     OR r.id IN (SELECT id FROM agreement WHERE case_id = ?1)",
                [&s.case.id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((s.records, s.last_activity.as_str()), (count - 1, newest.as_str()), "{}", s.case.slug);
    }
}
