//! Responses.

use crate::common::*;
use dossier_core::record::allegation::{self};
use dossier_core::record::attribution::AttributionInput;
use dossier_core::record::letter::LetterInput;
use dossier_core::record::response::{self, ResponseInput};
use dossier_core::Error;

/// Guards: a response answers several allegations of one case and is dated by its letter by default.
#[test]
fn response_to_several_allegations() {
    let mut fx = fresh();
    let s = &mut fx.store;
    case(s, "c");
    org(s, "Acme");
    let globex = org(s, "Globex");
    party(s, "Reuters", "media");
    let l = letter(s, "c", "Acme", &["Globex"], "Complaints", "2023-03-10");
    let late = allegation(s, "c", "Acme", "Globex", &l.id, "Late deliveries");
    let short = allegation(s, "c", "Acme", "Globex", &l.id, "Short deliveries");
    let statement = letter_with(
        s,
        LetterInput {
            channel: "press_statement".into(),
            in_reply_to: l.id.clone(),
            ..letter_input("c", "Globex", &["Reuters"], "Statement", "2023-04-02")
        },
    );
    let r = response::create(
        s,
        &ResponseInput {
            allegations: vec![late.id.clone(), short.id.clone(), late.id.clone()],
            by: "globex".into(),
            letter: statement.id.clone(),
            stance: "Partly admits".into(),
            text: "Some were late.".into(),
            attributions: vec![AttributionInput {
                asserted_by: "Globex".into(),
                reported_by: "Reuters".into(),
                how: "statement".into(),
                certainty: "reported".into(),
            }],
            ..Default::default()
        },
    )
    .expect("create response");
    assert_eq!(r.date, "2023-04-02", "dated by the letter that carries it");
    assert_eq!(r.stance, "partly_admits");
    assert_eq!(r.by.id, globex.id);
    let mut answered = r.allegations.clone();
    answered.sort();
    let mut want = vec![late.id.clone(), short.id.clone()];
    want.sort();
    assert_eq!(answered, want, "each allegation answered once");
    for a in [&late, &short] {
        assert_eq!(
            allegation::get(s.reader(), &a.id).expect("allegation").responses,
            std::slice::from_ref(&r.id),
            "{} lists its answer",
            a.summary
        );
    }
    assert_eq!(r.attributions[0].reported_by.as_deref(), Some("Reuters"));

    let edited = response::update(
        s,
        &r.id,
        &ResponseInput { stance: "denies".into(), date: "2023-04-05".into(), letter: String::new(), ..r.to_input() },
    )
    .expect("edit");
    assert_eq!(
        (edited.stance.as_str(), edited.date.as_str(), edited.letter_id.as_deref()),
        ("denies", "2023-04-05", None)
    );

    let err = refused(s, |s| {
        response::create(s, &ResponseInput { letter: String::new(), date: String::new(), ..r.to_input() })
    });
    assert!(matches!(&err, Error::Invalid { field, .. } if field == "date"), "{err:?}");
    let err = refused(s, |s| response::create(s, &ResponseInput { allegations: vec![" ".into()], ..r.to_input() }));
    assert!(matches!(&err, Error::Invalid { field, .. } if field == "allegations"), "{err:?}");
    let err = refused(s, |s| response::create(s, &ResponseInput { stance: "shrugs".into(), ..r.to_input() }));
    says(&err, &["'shrugs'"]);
}

/// Guards: one response cannot answer allegations of two cases, nor be carried by another case's letter.
#[test]
fn response_must_stay_in_one_case() {
    let mut fx = fresh();
    let s = &mut fx.store;
    case(s, "one");
    case(s, "two");
    org(s, "Acme");
    org(s, "Globex");
    let e1 = event(s, "one", "Call", "2023-01-01");
    let e2 = event(s, "two", "Call", "2023-01-01");
    let a1 = allegation(s, "one", "Acme", "Globex", &e1.id, "First");
    let a2 = allegation(s, "two", "Acme", "Globex", &e2.id, "Second");
    let l2 = letter(s, "two", "Globex", &["Acme"], "Answer", "2023-02-01");

    let base = ResponseInput {
        allegations: vec![a1.id.clone()],
        by: "Globex".into(),
        stance: "denies".into(),
        date: "2023-02-01".into(),
        ..Default::default()
    };
    let err = refused(s, |s| {
        response::create(s, &ResponseInput { allegations: vec![a1.id.clone(), a2.id.clone()], ..base.clone() })
    });
    assert!(matches!(&err, Error::Invalid { field, .. } if field == "allegations"), "{err:?}");
    says(&err, &[&a2.id, "another case"]);
    let err = refused(s, |s| response::create(s, &ResponseInput { letter: l2.id.clone(), ..base.clone() }));
    says(&err, &[&l2.id, "another case"]);
    let err = refused(s, |s| {
        response::create(s, &ResponseInput { allegations: vec!["no-such-allegation".into()], ..base.clone() })
    });
    assert!(matches!(err, Error::NotFound { kind: "allegation", .. }), "{err:?}");
    says(&err, &["no-such-allegation"]);
}
