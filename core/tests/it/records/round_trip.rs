//! Round trips: every kind read back as its input.

use super::scene;
use crate::common::*;
use dossier_core::record::agreement::{self, ClauseInput};
use dossier_core::record::allegation::{self};
use dossier_core::record::case::{self};
use dossier_core::record::event::{self};
use dossier_core::record::evidence::{self};
use dossier_core::record::letter::{self};
use dossier_core::record::party::{self};
use dossier_core::record::response::{self};
use dossier_core::Result;

/// Guards: for every kind, saving `to_input()` unchanged leaves the record exactly as it was.
#[test]
fn every_kind_round_trips_through_to_input() {
    let mut fx = fresh();
    let sc = scene(&mut fx.store);
    let s = &mut fx.store;

    fn check<T: serde::Serialize>(kind: &str, before: T, after: Result<T>) {
        let after = after.unwrap_or_else(|e| panic!("{kind}: saving to_input() unchanged failed: {e}"));
        assert_eq!(without_stamp(&after), without_stamp(&before), "{kind} changed when saved unchanged");
    }
    let c = case::get(s.reader(), &sc.case_id).unwrap();
    check("case", c.clone(), case::update(s, &c.id, &c.to_input()));
    for name in ["Acme", "Globex", "Daily Planet", "Ed Sender"] {
        let p = party::get(s.reader(), name).unwrap();
        check("party", p.clone(), party::update(s, &p.id, &p.to_input()));
    }
    let a = agreement::get(s.reader(), &sc.agreement).unwrap();
    check("agreement", a.clone(), agreement::update(s, &a.id, &a.to_input()));
    let cl = agreement::get_clause(s.reader(), &sc.clause).unwrap();
    let input = ClauseInput { reference: cl.reference.clone(), text: cl.text.clone() };
    check("clause", cl, agreement::update_clause(s, &sc.clause, &input));
    for id in [&sc.letter, &sc.reply] {
        let l = letter::get(s.reader(), id).unwrap();
        check("letter", l.clone(), letter::update(s, id, &l.to_input()));
    }
    let e = event::get(s.reader(), &sc.event).unwrap();
    check("event", e.clone(), event::update(s, &e.id, &e.to_input()));
    let al = allegation::get(s.reader(), &sc.allegation).unwrap();
    check("allegation", al.clone(), allegation::update(s, &al.id, &al.to_input()));
    let r = response::get(s.reader(), &sc.response).unwrap();
    check("response", r.clone(), response::update(s, &r.id, &r.to_input()));
    let ev = evidence::get(s.reader(), &sc.evidence).unwrap();
    check("evidence", ev.clone(), evidence::update(s, &ev.id, &ev.to_input()));
    s.verify_change_log().expect("change log");
}
