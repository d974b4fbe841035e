//! Private records: any record but a case can be marked private and public again; the flag is
//! logged, checked, shown on the record, and carried by a JSON bundle.

use super::scene;
use crate::common::*;
use dossier_core::care::check;
use dossier_core::record::{event, evidence, party, privacy};
use dossier_core::transfer::bundle::{self, Mode};
use dossier_core::view::history;
use dossier_core::vocabulary::RecordKind;
use dossier_core::Error;

#[test]
fn a_record_made_private_says_so_and_the_log_holds_it() {
    let mut fx = fresh();
    let sc = scene(&mut fx.store);
    let s = &mut fx.store;
    assert!(!event::get(s.reader(), &sc.event).unwrap().private, "records are public until made private");

    let before = log_len(s);
    assert_eq!(privacy::set(s, &sc.event, true).unwrap(), RecordKind::Event);
    assert!(event::get(s.reader(), &sc.event).unwrap().private);
    assert_eq!(log_len(s), before + 1);
    // Saying it again changes nothing and writes nothing.
    privacy::set(s, &sc.event, true).unwrap();
    assert_eq!(log_len(s), before + 1);

    let acme = party::get(s.reader(), "Acme").unwrap();
    privacy::set(s, &acme.id, true).unwrap();
    privacy::set(s, &sc.evidence, true).unwrap();
    assert!(party::get(s.reader(), &acme.id).unwrap().private);
    assert!(evidence::get(s.reader(), &sc.evidence).unwrap().private);
    assert_eq!(privacy::private_ids(s.reader()).unwrap().len(), 3);

    let flagged: Vec<bool> = dossier_core::view::timeline::all(s.reader(), &sc.case_id, &Default::default())
        .unwrap()
        .into_iter()
        .filter(|e| e.record_id == sc.event || e.record_id == sc.letter)
        .map(|e| e.private)
        .collect();
    assert!(flagged.contains(&true) && flagged.contains(&false), "the timeline says which entries are private");
    privacy::set(s, &sc.event, false).unwrap();
    assert!(!event::get(s.reader(), &sc.event).unwrap().private);
    let actions: Vec<String> = history::history(s.reader(), &sc.event).unwrap().into_iter().map(|c| c.action).collect();
    assert!(actions.ends_with(&["make private".to_string(), "make public".to_string()]), "{actions:?}");
    let report = check::check(s, None).unwrap();
    assert!(report.is_sound(), "{:?}", report.problems);
}

#[test]
fn a_case_or_an_unknown_id_cannot_be_made_private() {
    let mut fx = fresh();
    let sc = scene(&mut fx.store);
    let before = log_len(&fx.store);
    let e = refused(&mut fx.store, |s| privacy::set(s, &sc.case_id, true));
    assert!(matches!(&e, Error::Invalid { field, .. } if field == "private"), "{e:?}");
    assert!(e.to_string().contains("a case cannot be private"), "{e}");
    let e = refused(&mut fx.store, |s| privacy::set(s, "no-such-id", true));
    assert_eq!(e.code(), ErrorCode::NotFound, "{e}");
    assert_eq!(log_len(&fx.store), before);
}

/// A row added to `record_private` with sqlite3 is an edit `check` names.
#[test]
fn privacy_changed_behind_the_cores_back_is_found() {
    let mut fx = fresh();
    let sc = scene(&mut fx.store);
    let path = fx.db_path();
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute("INSERT INTO record_private (record_id) VALUES (?1)", [&sc.letter]).unwrap();
    drop(raw);
    let report = check::check(&fx.store, None).unwrap();
    assert!(!report.is_sound());
    let text = format!("{:?}", report.problems);
    assert!(text.contains("record_private") && text.contains(&sc.letter), "{text}");
}

#[test]
fn a_bundle_carries_which_records_are_private() {
    let mut fx = fresh();
    let sc = scene(&mut fx.store);
    privacy::set(&mut fx.store, &sc.response, true).unwrap();
    let acme = party::get(fx.store.reader(), "Acme").unwrap().id;
    privacy::set(&mut fx.store, &acme, true).unwrap();
    let json = bundle::export_json(fx.store.reader(), &sc.case_id, bundle::Contents::ALL).unwrap();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut expected = vec![sc.response.clone(), acme.clone()];
    expected.sort();
    assert_eq!(value["private"], serde_json::json!(expected));

    let mut other = fresh();
    bundle::import_json(&mut other.store, &json, None, Mode::Refuse).unwrap();
    assert_eq!(privacy::private_ids(other.store.reader()).unwrap(), expected.into_iter().collect());
    let again: serde_json::Value =
        serde_json::from_str(&bundle::export_json(other.store.reader(), &sc.case_id, bundle::Contents::ALL).unwrap())
            .unwrap();
    assert_eq!(again["private"], value["private"], "a bundle imported exports the same privacy");

    // A bundle naming a record it does not hold, or the case, is refused whole.
    for wrong in ["nobody".to_string(), sc.case_id.clone()] {
        let mut bad = value.clone();
        bad["private"] = serde_json::json!([wrong]);
        let mut target = fresh();
        let e = bundle::import_json(&mut target.store, &bad.to_string(), None, Mode::Refuse).unwrap_err();
        assert!(matches!(&e, Error::Invalid { field, .. } if field == "private"), "{e:?}");
        assert!(e.to_string().contains(&wrong), "{e}");
        assert_eq!(log_len(&target.store), 0);
    }
}
