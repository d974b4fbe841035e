//! The change log.

use crate::common::*;
use dossier_core::record::agreement::{self, AgreementInput, ClauseInput};
use dossier_core::record::allegation::{self, AllegationInput, StatusInput};
use dossier_core::record::case::{self, CaseInput};
use dossier_core::record::event::{self, EventInput};
use dossier_core::record::evidence::{self, EvidenceInput, LinkInput};
use dossier_core::record::letter::{self, LetterInput};
use dossier_core::record::party::{self, PartyInput};
use dossier_core::record::response::{self, ResponseInput};
use dossier_core::record::role;
use dossier_core::{Error, Result, Store};

/// Runs one write and checks it added exactly one change log entry, with the expected action.
fn one_entry<T>(s: &mut Store, action: &str, write: impl FnOnce(&mut Store) -> Result<T>) -> T {
    let before = log_len(s);
    let out = write(s).unwrap_or_else(|e| panic!("{action}: {e}"));
    assert_eq!(log_len(s), before + 1, "{action} must add exactly one change log entry");
    let last: String = s
        .reader()
        .one("SELECT action FROM change_log ORDER BY seq DESC LIMIT 1", [], |r| r.get(0))
        .expect("last entry");
    assert_eq!(last, action);
    out
}

/// Guards: every successful write, of every kind, adds exactly one change log entry, and the chain verifies.
#[test]
fn every_write_adds_one_change_log_entry() {
    let mut fx = fresh();
    let s = &mut fx.store;
    let c = one_entry(s, "create case", |s| {
        case::create(s, &CaseInput { title: "Acme v. Globex".into(), ..Default::default() })
    });
    one_entry(s, "update case", |s| case::update(s, &c.id, &CaseInput { status: "dormant".into(), ..c.to_input() }));
    one_entry(s, "create party", |s| {
        party::create(s, &PartyInput { name: "Acme".into(), kind: "organisation".into(), ..Default::default() })
    });
    let g = one_entry(s, "create party", |s| {
        party::create(s, &PartyInput { name: "Globex".into(), kind: "organisation".into(), ..Default::default() })
    });
    one_entry(s, "update party", |s| {
        party::update(s, &g.id, &PartyInput { aliases: vec!["GX".into()], ..g.to_input() })
    });
    one_entry(s, "add case role", |s| role::add_role(s, &c.id, "Acme", "claimant", None));
    one_entry(s, "remove case role", |s| role::remove_role(s, &c.id, "Acme", "claimant"));
    let a = one_entry(s, "create agreement", |s| {
        agreement::create(s, &AgreementInput { case: c.id.clone(), title: "Supply".into(), ..Default::default() })
    });
    let cl = one_entry(s, "create clause", |s| {
        agreement::add_clause(s, &a.id, &ClauseInput { reference: "§ 1".into(), text: String::new() })
    });
    one_entry(s, "update clause", |s| {
        agreement::update_clause(s, &cl.id, &ClauseInput { reference: "§ 1".into(), text: "Text".into() })
    });
    one_entry(s, "update agreement", |s| {
        agreement::update(s, &a.id, &AgreementInput { effective: "2021".into(), ..a.to_input() })
    });
    let l = one_entry(s, "create letter", |s| {
        letter::create(
            s,
            &LetterInput {
                case: c.id.clone(),
                sender: "Acme".into(),
                subject: "Hi".into(),
                date: "2023".into(),
                ..Default::default()
            },
        )
    });
    one_entry(s, "update letter", |s| {
        letter::update(s, &l.id, &LetterInput { deadline: "2024".into(), ..l.to_input() })
    });
    let e = one_entry(s, "create event", |s| {
        event::create(
            s,
            &EventInput { case: c.id.clone(), title: "Call".into(), date: "2023-01".into(), ..Default::default() },
        )
    });
    one_entry(s, "update event", |s| event::update(s, &e.id, &EventInput { position: 1, ..e.to_input() }));
    let al = one_entry(s, "create allegation", |s| {
        allegation::create(
            s,
            &AllegationInput {
                case: c.id.clone(),
                made_by: "Acme".into(),
                against: "Globex".into(),
                raised_in: l.id.clone(),
                summary: "Late".into(),
                ..Default::default()
            },
        )
    });
    one_entry(s, "update allegation", |s| {
        allegation::update(s, &al.id, &AllegationInput { detail: "More".into(), ..al.to_input() })
    });
    one_entry(s, "set allegation status", |s| {
        allegation::set_status(
            s,
            &al.id,
            &StatusInput { status: "disputed".into(), date: "2024".into(), ..Default::default() },
        )
    });
    let r = one_entry(s, "create response", |s| {
        response::create(
            s,
            &ResponseInput {
                allegations: vec![al.id.clone()],
                by: "Globex".into(),
                stance: "denies".into(),
                date: "2024".into(),
                ..Default::default()
            },
        )
    });
    one_entry(s, "update response", |s| {
        response::update(s, &r.id, &ResponseInput { text: "No.".into(), ..r.to_input() })
    });
    let ev = one_entry(s, "create evidence", |s| {
        evidence::create(
            s,
            &EvidenceInput {
                case: c.id.clone(),
                kind: "publication".into(),
                title: "Book".into(),
                ..Default::default()
            },
        )
    });
    one_entry(s, "update evidence", |s| {
        evidence::update(s, &ev.id, &EvidenceInput { note: "p. 3".into(), ..ev.to_input() })
    });
    one_entry(s, "link evidence", |s| {
        evidence::link(
            s,
            &LinkInput { evidence: ev.id.clone(), record: e.id.clone(), pinpoint: "p. 3".into(), ..Default::default() },
        )
    });
    one_entry(s, "unlink evidence", |s| evidence::unlink(s, &ev.id, &e.id, "p. 3"));
    one_entry(s, "delete evidence", |s| evidence::delete(s, &ev.id));
    one_entry(s, "delete response", |s| response::delete(s, &r.id));
    one_entry(s, "delete allegation", |s| allegation::delete(s, &al.id));
    one_entry(s, "delete event", |s| event::delete(s, &e.id));
    one_entry(s, "delete letter", |s| letter::delete(s, &l.id));
    one_entry(s, "delete clause", |s| agreement::delete_clause(s, &cl.id));
    one_entry(s, "delete agreement", |s| agreement::delete(s, &a.id));
    one_entry(s, "delete party", |s| party::delete(s, "Globex"));
    one_entry(s, "delete case", |s| case::delete(s, &c.id));
    assert_eq!(s.verify_change_log().expect("the chain verifies"), log_len(s) as usize, "every entry verified");
}

/// Guards: the change log refuses raw UPDATE and DELETE, whatever the caller.
#[test]
fn change_log_is_append_only() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let before = snapshot(&fx.store);
    let conn = raw(&fx);
    for sql in [
        "UPDATE change_log SET detail = '{}'",
        "UPDATE change_log SET seq = seq + 100",
        "DELETE FROM change_log",
        "DELETE FROM change_log WHERE seq = 1",
    ] {
        let err = conn.execute(sql, []).expect_err(sql);
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(snapshot(&fx.store), before);
    assert_eq!(fx.store.verify_change_log().expect("still verifies"), 1);
}

/// Guards: an entry edited behind the triggers' back is reported as tampering at its sequence number.
#[test]
fn an_edited_change_log_fails_to_verify() {
    let mut fx = fresh();
    case(&mut fx.store, "a");
    case(&mut fx.store, "b");
    case(&mut fx.store, "c");
    let s = &fx.store;
    assert_eq!(s.verify_change_log().expect("intact"), 3);
    raw(&fx)
        .execute_batch(
            "DROP TRIGGER change_log_no_update; DROP TRIGGER change_log_erased_only; UPDATE change_log SET detail = '{\"title\":\"forged\"}' WHERE seq = 2;",
        )
        .expect("edit behind the trigger");
    match s.verify_change_log() {
        Err(Error::Tampered { seq, .. }) => assert_eq!(seq, 2),
        other => panic!("an edited entry must be reported: {other:?}"),
    }
}

/// Guards: an entry removed from the middle of the change log is reported at the entry after the gap.
#[test]
fn a_removed_change_log_entry_fails_to_verify() {
    let mut fx = fresh();
    for slug in ["a", "b", "c"] {
        case(&mut fx.store, slug);
    }
    let s = &fx.store;
    raw(&fx)
        .execute_batch("DROP TRIGGER change_log_no_delete; DELETE FROM change_log WHERE seq = 2;")
        .expect("remove behind the trigger");
    match s.verify_change_log() {
        Err(Error::Tampered { seq, .. }) => assert_eq!(seq, 3),
        other => panic!("a removed entry must be reported: {other:?}"),
    }
}
