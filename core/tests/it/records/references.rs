//! Referential rules: what refers to what, and deletes.

use super::scene;
use crate::common::*;
use dossier_core::record::agreement::{self, AgreementInput};
use dossier_core::record::allegation::{self, AllegationInput};
use dossier_core::record::case::{self};
use dossier_core::record::event::{self, EventInput};
use dossier_core::record::evidence::{self};
use dossier_core::record::letter::{self, LetterInput};
use dossier_core::record::party::{self};
use dossier_core::record::response::{self};
use dossier_core::{Error, Result, Store};

/// Checks that `delete` is refused as a conflict whose message contains every one of `parts`, and
/// that it wrote nothing (so the record is still there, with everything that refers to it).
fn conflict(s: &mut Store, what: &str, parts: &[&str], delete: impl FnOnce(&mut Store) -> Result<()>) {
    let err = refused(s, delete);
    assert!(matches!(err, Error::Conflict(_)), "{what}: expected a conflict, got {err:?}");
    let text = err.to_string();
    for p in parts {
        assert!(text.contains(p), "{what}: error {text:?} should mention {p:?}");
    }
}

/// Guards: a record still referred to cannot be deleted; the refusal says what refers to it and
/// leaves the database as it was.
#[test]
fn deleting_a_referenced_record_is_refused() {
    let mut fx = fresh();
    let sc = scene(&mut fx.store);
    let s = &mut fx.store;
    for (name, parts) in [
        ("Daily Planet", ["party 'Daily Planet'", "letter recipient"].as_slice()),
        ("Ed Sender", &["party 'Ed Sender'", "letter"]),
        ("Acme", &["party 'Acme'", "letter", "agreement", "case role"]),
    ] {
        conflict(s, name, parts, |s| party::delete(s, name));
        assert!(party::get(s.reader(), name).is_ok(), "{name} is still there");
    }
    conflict(s, "letter raising an allegation", &["letter 'Late deliveries'", "allegation"], |s| {
        letter::delete(s, &sc.letter)
    });
    conflict(s, "answered allegation", &["allegation 'Globex delivered late'", "response"], |s| {
        allegation::delete(s, &sc.allegation)
    });
    conflict(s, "agreement with a cited clause", &["agreement 'Supply agreement'", "allegation citing it"], |s| {
        agreement::delete(s, &sc.agreement)
    });
    conflict(s, "cited clause", &["clause '§ 4'", "allegation citing it"], |s| {
        agreement::delete_clause(s, &sc.clause)
    });
    conflict(s, "non-empty case", &["case 'acme-v-globex'", "still referred to by"], |s| case::delete(s, &sc.case_id));

    // A refused delete leaves the store usable.
    org(s, "Initech");
    s.verify_change_log().expect("change log after refusals");
}

/// Guards: records deleted in dependency order all go, and nothing of them is left behind.
#[test]
fn deleting_in_dependency_order_empties_the_case() {
    let mut fx = fresh();
    let sc = scene(&mut fx.store);
    let s = &mut fx.store;
    evidence::delete(s, &sc.evidence).expect("evidence");
    response::delete(s, &sc.response).expect("response");
    allegation::delete(s, &sc.allegation).expect("allegation");
    letter::delete(s, &sc.reply).expect("reply");
    letter::delete(s, &sc.letter).expect("letter");
    agreement::delete(s, &sc.agreement).expect("agreement");
    event::delete(s, &sc.event).expect("event");
    case::delete(s, &sc.case_id).expect("the emptied case, with its roles");
    for name in ["Ed Sender", "Daily Planet", "Globex", "Acme"] {
        party::delete(s, name).unwrap_or_else(|e| panic!("delete party {name}: {e}"));
    }
    // The full-text index's own storage tables (search_index_*) always hold FTS5 bookkeeping rows; the
    // index itself (search_index) must be empty like every other table. The change log and its index
    // keep the history of what was deleted, and the seals of its entries.
    let left: Vec<(String, i64)> = snapshot(s)
        .into_iter()
        .filter(|(t, n)| {
            !["change_log", "change_log_record", "log_seal"].contains(&t.as_str())
                && !t.starts_with("search_index_")
                && *n != 0
        })
        .collect();
    assert!(left.is_empty(), "rows left behind: {left:?}");
    assert_eq!(s.verify_change_log().expect("change log"), log_len(s) as usize);
}

/// Guards: deleting a record removes its evidence links, tags and attributions, not the evidence.
#[test]
fn deleting_a_record_removes_its_links_and_tags() {
    let mut fx = fresh();
    let sc = scene(&mut fx.store);
    let s = &mut fx.store;
    let per_record =
        |s: &Store, table: &str| count(s, &format!("SELECT count(*) FROM {table} WHERE record_id = '{}'", sc.event));
    assert_eq!((per_record(s, "evidence_link"), per_record(s, "record_tag"), per_record(s, "attribution")), (1, 1, 1));

    event::delete(s, &sc.event).expect("delete event");
    assert_eq!((per_record(s, "evidence_link"), per_record(s, "record_tag"), per_record(s, "attribution")), (0, 0, 0));
    let ev = evidence::get(s.reader(), &sc.evidence).expect("the evidence itself stays");
    assert!(ev.links.is_empty(), "the evidence no longer lists the deleted event: {:?}", ev.links);
    assert!(evidence::for_record(s.reader(), &sc.event).expect("for_record").is_empty());
    assert!(matches!(event::get(s.reader(), &sc.event), Err(Error::NotFound { kind: "event", .. })));
}

/// Guards: a record that other records of its case refer to cannot be moved to another case, which
/// would leave cross-case references that creating them directly is refused for.
#[test]
fn moving_a_referenced_record_to_another_case_is_refused() {
    let mut fx = fresh();
    let sc = scene(&mut fx.store);
    let s = &mut fx.store;
    case(s, "elsewhere");
    let l = letter::get(s.reader(), &sc.letter).unwrap().to_input();
    let e = event::get(s.reader(), &sc.event).unwrap().to_input();
    let a = agreement::get(s.reader(), &sc.agreement).unwrap().to_input();
    let al = allegation::get(s.reader(), &sc.allegation).unwrap().to_input();
    let elsewhere = || "elsewhere".to_string();
    // Every move is tried, so the failure lists all the kinds that can be moved, not just the first.
    let mut moved = Vec::new();
    let mut attempt = |s: &mut Store, what: &'static str, change: &dyn Fn(&mut Store) -> Result<()>| {
        let before = snapshot(s);
        match change(s) {
            Ok(()) => moved.push(what),
            Err(err) => assert_eq!(snapshot(s), before, "{what}: the refused move ({err}) writes nothing"),
        }
    };
    attempt(s, "letter an allegation was raised in", &|s| {
        letter::update(s, &sc.letter, &LetterInput { case: elsewhere(), in_reply_to: String::new(), ..l.clone() })
            .map(drop)
    });
    attempt(s, "event with linked evidence", &|s| {
        event::update(s, &sc.event, &EventInput { case: elsewhere(), ..e.clone() }).map(drop)
    });
    attempt(s, "agreement with a cited clause", &|s| {
        agreement::update(s, &sc.agreement, &AgreementInput { case: elsewhere(), ..a.clone() }).map(drop)
    });
    attempt(s, "answered allegation", &|s| {
        let input = AllegationInput { case: elsewhere(), raised_in: String::new(), clauses: vec![], ..al.clone() };
        allegation::update(s, &sc.allegation, &input).map(drop)
    });
    assert!(moved.is_empty(), "moved to another case although still referred to: {moved:?}");
}
