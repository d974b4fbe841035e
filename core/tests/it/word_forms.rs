//! Search that understands word forms, in English and French, as a new user tries it: "rate limit"
//! finds "rate limits", "redevances" finds "redevance", "payé" finds "payer"; the exact words rank
//! first; phrases stay exact.

use crate::common::*;
use dossier_core::record::event::EventInput;
use dossier_core::view::search::search;
use dossier_core::Store;

fn ids(s: &Store, query: &str) -> Vec<String> {
    search(s.reader(), query, None, 50).expect("search").into_iter().map(|h| h.record_id).collect()
}

fn with_events(titles: &[&str]) -> (Fixture, Vec<String>) {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let ids = titles
        .iter()
        .map(|t| {
            event_with(
                &mut fx.store,
                EventInput { case: "c".into(), title: t.to_string(), date: "2023".into(), ..Default::default() },
            )
            .id
        })
        .collect();
    (fx, ids)
}

#[test]
fn a_word_finds_its_other_forms_in_english_and_french() {
    let (fx, e) = with_events(&[
        "The licensee exceeded the rate limits",
        "Microsoft n'a pas payé la redevance",
        "Twitter demande de payer les frais",
        "Unrelated meeting",
    ]);
    assert_eq!(ids(&fx.store, "rate limit"), [e[0].clone()], "plural found from the singular");
    assert_eq!(ids(&fx.store, "redevances"), [e[1].clone()], "singular found from the plural");
    let paid = ids(&fx.store, "payé");
    assert_eq!(paid.first(), Some(&e[1]), "the exact form first: {paid:?}");
    assert!(paid.contains(&e[2]), "'payé' finds 'payer': {paid:?}");
    assert!(!paid.contains(&e[3]));
}

#[test]
fn exact_matches_rank_before_other_forms_and_phrases_stay_exact() {
    let (fx, e) = with_events(&["Limits on the audit", "An audit limit was agreed"]);
    assert_eq!(ids(&fx.store, "limit"), [e[1].clone(), e[0].clone()], "the exact word first");
    assert_eq!(ids(&fx.store, "\"audit limits\""), Vec::<String>::new(), "a phrase matches only as typed");
    assert_eq!(ids(&fx.store, "\"audit limit\""), [e[1].clone()]);
    assert_eq!(ids(&fx.store, "limit -agreed"), [e[0].clone()], "an exclusion still applies");
}

#[test]
fn a_hit_on_another_form_marks_that_word_in_its_snippet() {
    let (fx, e) = with_events(&["Le contrat prévoit des redevances annuelles"]);
    let hits = search(fx.store.reader(), "redevance", None, 10).expect("search");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].record_id, e[0]);
    let marked: Vec<&str> = hits[0].snippet.iter().filter(|p| p.matched).map(|p| p.text.as_str()).collect();
    assert_eq!(marked, ["redevances"]);
}

#[test]
fn a_hit_on_another_form_in_the_title_marks_it_there() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let input = EventInput {
        case: "c".into(),
        title: "Audit request".into(),
        description: "Sent by the claimant's counsel.".into(),
        date: "2023".into(),
        ..Default::default()
    };
    event_with(&mut fx.store, input);
    let hits = search(fx.store.reader(), "audits", None, 10).expect("search");
    let marked: Vec<&str> = hits[0].snippet.iter().filter(|p| p.matched).map(|p| p.text.as_str()).collect();
    assert_eq!(marked, ["Audit"], "{:?}", hits[0].snippet);
}

#[test]
fn an_exclusion_applies_to_the_words_not_their_stems() {
    // "42" has no other forms: the exact pass is the only one.
    let (fx, e) = with_events(&["Clause 42 limits", "Clause 42 without limit", "Clause 42 unrelated"]);
    let found = ids(&fx.store, "42 -limit");
    assert!(found.contains(&e[0]) && found.contains(&e[2]), "'limits' is not the excluded word: {found:?}");
    assert!(!found.contains(&e[1]), "'limit' is excluded: {found:?}");
}

/// Guards: a word whose form is the word itself is not stored among the stems, and is still found by
/// another form of it ("contracts" finds "contract"); a form that differs is stored and found.
#[test]
fn a_word_is_found_by_another_form_when_its_stem_is_the_word() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let contract = event(&mut fx.store, "c", "Breach of contract", "2023");
    let terminated = event(&mut fx.store, "c", "Licence terminated", "2023");
    let stems: String = fx
        .store
        .reader()
        .one("SELECT stems FROM search_index WHERE record_id = ?1", [&contract.id], |r| r.get(0))
        .expect("stems");
    assert!(!stems.split(' ').any(|s| s == "contract" || s == "breach"), "a word that is its own stem: {stems}");
    let found = |q: &str| ids(&fx.store, q);
    assert_eq!(found("contracts"), vec![contract.id.clone()], "the plural finds the singular");
    assert_eq!(found("breaches"), vec![contract.id.clone()]);
    assert_eq!(found("termination"), vec![terminated.id.clone()], "through the stems column");
    assert_eq!(found("contract"), vec![contract.id.clone()]);
}
