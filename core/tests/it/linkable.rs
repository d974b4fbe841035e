//! The link picker's read model: every record of a case can be chosen as a link target, however large
//! the case, found by a few letters of its title, a page at a time.

use std::collections::BTreeSet;

use crate::common::*;
use dossier_core::generate::generate;
use dossier_core::record::evidence::{self, EvidenceInput, LinkInput};
use dossier_core::store::registry;
use dossier_core::view::{linkable, timeline};
use dossier_core::vocabulary::RecordKind;

/// Every record the picker offers for `text`, read in pages of `size`.
fn all(fx: &Fixture, text: &str, size: usize) -> Vec<linkable::Linkable> {
    let mut out = Vec::new();
    loop {
        let page = linkable::page(fx.store.reader(), "g", text, out.len(), size).expect("page");
        let done = page.items.is_empty();
        assert_eq!(page.offset, out.len());
        out.extend(page.items);
        if done || out.len() == page.total {
            assert_eq!(out.len(), page.total, "the pages hold the total");
            return out;
        }
    }
}

/// Guards: on a case past the timeline's 1,000-entry page (which the picker used to be built from),
/// the last records can still be chosen and linked.
#[test]
fn every_record_of_a_large_case_can_be_chosen() {
    let mut fx = fresh();
    generate(&mut fx.store, "g", 1_500, 7).expect("generate");
    let db = fx.store.reader();
    let case_id = dossier_core::record::case::resolve(db, "g").unwrap();
    let records: BTreeSet<String> = registry::ids_in_case(db, &case_id).unwrap().into_iter().collect();
    assert!(records.len() > 1_500, "the case is larger than a timeline page: {}", records.len());

    let offered = all(&fx, "", linkable::MAX_PAGE);
    let ids: BTreeSet<String> = offered.iter().map(|l| l.id.clone()).collect();
    assert_eq!(ids.len(), offered.len(), "each record is offered once");
    let non_party: BTreeSet<String> =
        offered.iter().filter(|l| l.kind != RecordKind::Party).map(|l| l.id.clone()).collect();
    assert_eq!(non_party, records, "every record of the case, and only those, besides its parties");
    assert!(offered.iter().any(|l| l.kind == RecordKind::Party), "the case's parties too");

    // Dated records come in the order they first stand on the timeline, read whole; the last of
    // them, which a 1,000-entry page never reached, can be linked.
    let filter = timeline::Filter::default();
    let mut first_seen: Vec<String> = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = timeline::page(db, "g", &filter, after.as_deref(), timeline::MAX_PAGE).unwrap();
        for e in &page.entries {
            if !first_seen.contains(&e.record_id) {
                first_seen.push(e.record_id.clone());
            }
        }
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    let dated: Vec<String> = offered.iter().filter(|l| l.date.is_some()).map(|l| l.id.clone()).collect();
    assert_eq!(dated, first_seen, "records come in timeline order");
    let last = first_seen.last().expect("a timeline").clone();
    assert!(first_seen.iter().position(|id| *id == last).unwrap() >= timeline::MAX_PAGE);

    let ev = evidence::create(
        &mut fx.store,
        &EvidenceInput {
            case: "g".into(),
            kind: "url".into(),
            title: "Source".into(),
            url: "https://example.org/a".into(),
            ..Default::default()
        },
    )
    .expect("evidence");
    let linked = evidence::link(
        &mut fx.store,
        &LinkInput { evidence: ev.id, record: last.clone(), pinpoint: String::new(), note: String::new(), quote: None },
    )
    .expect("link to the last record");
    assert_eq!(linked.record_id, last);
}

#[test]
fn a_few_letters_find_a_record_whatever_their_case_and_accents() {
    let mut fx = fresh();
    case(&mut fx.store, "g");
    org(&mut fx.store, "Société Générale");
    event(&mut fx.store, "g", "Réunion à Paris", "2023-04-18");
    event(&mut fx.store, "g", "Press statement", "2023-04-20");
    let titles = |text: &str| -> Vec<String> { all(&fx, text, 10).into_iter().map(|l| l.title).collect() };
    assert_eq!(titles("REUNION"), ["Réunion à Paris"]);
    assert_eq!(titles("à paris"), ["Réunion à Paris"]);
    assert_eq!(titles("statement"), ["Press statement"]);
    assert_eq!(titles(""), ["Réunion à Paris", "Press statement"], "timeline order");
    // Search syntax means nothing here: these are letters like any other.
    for odd in ["%", "_", "\"", "*", "' OR 1=1 --", "NEAR(", "\u{0}"] {
        assert!(titles(odd).is_empty(), "{odd:?} matches no title");
    }
}

#[test]
fn a_party_with_a_role_in_the_case_is_offered_once() {
    let mut fx = fresh();
    case(&mut fx.store, "g");
    let p = org(&mut fx.store, "Acme");
    for role in ["claimant", "counsel"] {
        dossier_core::record::role::add_role(&mut fx.store, "g", &p.id, role, None).expect("role");
    }
    let offered = all(&fx, "acme", 10);
    assert_eq!(offered.len(), 1);
    assert_eq!((offered[0].kind, offered[0].date.as_deref()), (RecordKind::Party, None));
}
