//! Agreements and clauses.

use crate::common::*;
use dossier_core::record::agreement::{self, AgreementInput, ClauseInput};
use dossier_core::Error;

/// Guards: an agreement keeps its parties, dates and ordered clauses; clause references are unique.
#[test]
fn agreement_and_clauses() {
    let mut fx = fresh();
    let s = &mut fx.store;
    let c = case(s, "c");
    org(s, "Acme");
    org(s, "Globex");
    let a = agreement::create(
        s,
        &AgreementInput {
            case: "c".into(),
            title: "Supply agreement".into(),
            kind: "contract".into(),
            parties: vec!["Globex".into(), "Acme".into(), "acme".into()],
            effective: "2021-06".into(),
            terms: "Monthly deliveries.".into(),
            ..Default::default()
        },
    )
    .expect("create agreement");
    assert_eq!(a.case_id, c.id);
    let names: Vec<&str> = a.parties.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Acme", "Globex"], "parties deduplicated and listed by name");
    assert_eq!((a.effective.as_deref(), a.terminated.as_deref()), (Some("2021-06"), None));

    let c4 = agreement::add_clause(
        s,
        &a.id,
        &ClauseInput { reference: "§ 4".into(), text: "Deliveries are monthly.".into() },
    )
    .expect("§ 4");
    let c2 =
        agreement::add_clause(s, &a.id, &ClauseInput { reference: "§ 2".into(), text: String::new() }).expect("§ 2");
    let refs: Vec<String> =
        agreement::get(s.reader(), &a.id).expect("get").clauses.into_iter().map(|c| c.reference).collect();
    assert_eq!(refs, ["§ 4", "§ 2"], "clauses keep the order they were added in");

    let edited =
        agreement::update_clause(s, &c2.id, &ClauseInput { reference: "§ 2.1".into(), text: "Prices.".into() })
            .expect("edit clause");
    assert_eq!(
        (edited.id.as_str(), edited.reference.as_str(), edited.text.as_str()),
        (c2.id.as_str(), "§ 2.1", "Prices.")
    );
    assert_eq!(agreement::get_clause(s.reader(), &c4.id).expect("§ 4").text, "Deliveries are monthly.");

    let err =
        refused(s, |s| agreement::add_clause(s, &a.id, &ClauseInput { reference: "§ 4".into(), text: "again".into() }));
    assert!(matches!(err, Error::Conflict(_)), "{err:?}");
    says(&err, &["§ 4"]);
    let err = refused(s, |s| {
        agreement::update_clause(s, &c2.id, &ClauseInput { reference: " § 4 ".into(), text: String::new() })
    });
    assert!(matches!(err, Error::Conflict(_)), "renaming onto a taken reference: {err:?}");

    let mut edit = a.to_input();
    edit.terminated = "2023-03-31".into();
    edit.parties = vec!["Acme".into()];
    let ended = agreement::update(s, &a.id, &edit).expect("terminate");
    assert_eq!(ended.terminated.as_deref(), Some("2023-03-31"));
    assert_eq!(ended.parties.len(), 1);
    assert_eq!(ended.clauses.len(), 2, "editing the agreement keeps its clauses");

    let mut backwards = ended.to_input();
    backwards.terminated = "2020".into();
    let err = refused(s, |s| agreement::update(s, &a.id, &backwards));
    assert!(matches!(&err, Error::Invalid { field, .. } if field == "terminated"), "{err:?}");
    says(&err, &["'2020'", "2021-06"]);

    agreement::delete_clause(s, &c4.id).expect("an uncited clause can be deleted");
    agreement::delete(s, &a.id).expect("an uncited agreement can be deleted");
    assert!(matches!(agreement::get(s.reader(), &a.id), Err(Error::NotFound { kind: "agreement", .. })));
    assert_eq!(count(s, "SELECT count(*) FROM clause"), 0, "its clauses go with it");
    assert_eq!(count(s, "SELECT count(*) FROM record WHERE kind IN ('agreement', 'clause')"), 0);
}
