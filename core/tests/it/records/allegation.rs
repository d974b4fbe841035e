//! Allegations.

use crate::common::*;
use dossier_core::record::allegation::{self, AllegationInput, StatusInput};
use dossier_core::{Error, Store};

/// Guards: an allegation raised in a letter is dated by it unless told otherwise, and cites clauses.
#[test]
fn allegation_raised_in_a_letter_takes_its_date_and_cites_clauses() {
    let mut fx = fresh();
    let s = &mut fx.store;
    case(s, "c");
    org(s, "Acme");
    org(s, "Globex");
    let ag = agreement(s, "c", "Supply agreement", &["Acme", "Globex"]);
    let c4 = clause(s, &ag.id, "§ 4");
    let c2 = clause(s, &ag.id, "§ 2");
    let l = letter(s, "c", "Acme", &["Globex"], "Late deliveries", "~2023-03");
    let a = allegation_with(
        s,
        AllegationInput {
            case: "c".into(),
            made_by: "Acme".into(),
            against: "Globex".into(),
            raised_in: l.id.clone(),
            clauses: vec![c2.id.clone(), c4.id.clone(), c2.id.clone()],
            summary: "Globex delivered late".into(),
            tags: vec!["supply".into()],
            ..Default::default()
        },
    );
    assert_eq!(a.date, "~2023-03", "dated by the letter it was raised in");
    let raised = a.raised_in.as_ref().expect("raised in");
    assert_eq!(
        (raised.kind.as_str(), raised.id.as_str(), raised.title.as_str()),
        ("letter", l.id.as_str(), "Late deliveries")
    );
    let cited: Vec<&str> = a.clauses.iter().map(|c| c.reference.as_str()).collect();
    assert_eq!(cited, ["§ 4", "§ 2"], "cited once each, in the agreement's order");
    assert_eq!((a.status.as_str(), a.history.len()), ("alleged", 1), "a new allegation is alleged");
    assert_eq!(a.history[0].date, "~2023-03");

    let e = event(s, "c", "Phone call", "2023-02-14");
    let own_date = allegation_with(
        s,
        AllegationInput {
            date: "2023-02-15".into(),
            ..allegation_input("c", "Acme", "Globex", &e.id, "Globex threatened to stop")
        },
    );
    assert_eq!(own_date.date, "2023-02-15", "an explicit date wins over the event's");
    assert_eq!(own_date.raised_in.as_ref().map(|r| r.kind.as_str()), Some("event"));

    let err = refused(s, |s| {
        allegation::create(s, &AllegationInput { raised_in: String::new(), date: String::new(), ..a.to_input() })
    });
    assert!(matches!(&err, Error::Invalid { field, .. } if field == "date"), "{err:?}");
}

/// Guards: the status history keeps every dated entry and the current status is the latest by date.
#[test]
fn allegation_status_history() {
    let mut fx = fresh();
    let s = &mut fx.store;
    case(s, "c");
    org(s, "Acme");
    org(s, "Globex");
    let l = letter(s, "c", "Acme", &["Globex"], "Late deliveries", "2023-03-10");
    let a = allegation(s, "c", "Acme", "Globex", &l.id, "Globex delivered late");

    let set = |s: &mut Store, status: &str, date: &str| {
        allegation::set_status(
            s,
            &a.id,
            &StatusInput { status: status.into(), date: date.into(), note: format!("{status} note"), position: 0 },
        )
    };
    assert_eq!(set(s, "Under review", "2023-03-20").expect("under review").status, "under_review");
    assert_eq!(set(s, "disputed", "2023-04").expect("disputed").status, "disputed");
    // Recorded later but dated earlier: it joins the history in its place, and the latest stays current.
    let now = set(s, "admitted", "2023-03-25").expect("admitted");
    assert_eq!(now.status, "disputed", "the current status is the latest by date, not the last recorded");
    let history: Vec<(&str, &str)> = now.history.iter().map(|h| (h.status.as_str(), h.date.as_str())).collect();
    assert_eq!(
        history,
        [
            ("alleged", "2023-03-10"),
            ("under_review", "2023-03-20"),
            ("admitted", "2023-03-25"),
            ("disputed", "2023-04")
        ]
    );
    assert_eq!(now.history[3].note, "disputed note");

    let err = refused(s, |s| set(s, "withdrawn", "2023-03-01"));
    assert!(matches!(&err, Error::Invalid { field, .. } if field == "date"), "{err:?}");
    says(&err, &["'2023-03-01'", "before", "2023-03-10"]);
    let err = refused(s, |s| set(s, "forgotten", "2023-05"));
    says(&err, &["'forgotten'"]);
    let err = refused(s, |s| set(s, "withdrawn", "2023-02-30"));
    says(&err, &["2023-02-30"]);
    let err = refused(s, |s| {
        allegation::set_status(
            s,
            "no-such-allegation",
            &StatusInput { status: "withdrawn".into(), date: "2024".into(), ..Default::default() },
        )
    });
    assert!(matches!(err, Error::NotFound { kind: "allegation", .. }), "{err:?}");
}

/// Guards: editing an allegation's date cannot put its raising after status changes already recorded.
#[test]
fn moving_an_allegation_after_its_status_changes_is_refused() {
    let mut fx = fresh();
    let s = &mut fx.store;
    case(s, "c");
    org(s, "Acme");
    org(s, "Globex");
    let a = allegation_with(
        s,
        AllegationInput {
            case: "c".into(),
            made_by: "Acme".into(),
            against: "Globex".into(),
            summary: "Late".into(),
            date: "2023-01-10".into(),
            ..Default::default()
        },
    );
    allegation::set_status(
        s,
        &a.id,
        &StatusInput { status: "disputed".into(), date: "2023-02-01".into(), ..Default::default() },
    )
    .expect("disputed");
    let moved =
        AllegationInput { date: "2023-03-01".into(), ..allegation::get(s.reader(), &a.id).expect("get").to_input() };
    let err = refused(s, |s| allegation::update(s, &a.id, &moved));
    says(&err, &["2023-03-01"]);
    assert_eq!(allegation::get(s.reader(), &a.id).expect("get").status, "disputed");
}
