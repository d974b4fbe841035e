//! The references of each item of a bundle to other records, walked by export (to collect the parties
//! a case names) and by import (to check and map each one).

use super::schema::{AttributionRec, Item};
use crate::error::Result;
use crate::vocabulary::RecordKind;

pub(super) const PARTY: &[RecordKind] = &[RecordKind::Party];
const LETTER: &[RecordKind] = &[RecordKind::Letter];
const LETTER_OR_EVENT: &[RecordKind] = &[RecordKind::Letter, RecordKind::Event];
const EVENT: &[RecordKind] = &[RecordKind::Event];
const AGREEMENT: &[RecordKind] = &[RecordKind::Agreement];
const CLAUSE: &[RecordKind] = &[RecordKind::Clause];
const ALLEGATION: &[RecordKind] = &[RecordKind::Allegation];
const EVIDENCE: &[RecordKind] = &[RecordKind::Evidence];
/// Any record: an evidence link may point at a record of any kind.
const ANY: &[RecordKind] = &[];

/// One reference from a record of the bundle to another record: where it is (for messages), the id
/// it names, and the kinds of record it may name.
pub(super) struct Ref<'a> {
    pub(super) place: String,
    pub(super) id: &'a str,
    pub(super) kinds: &'static [RecordKind],
}

/// Calls `f` on every reference `item` makes, in the order of the file.
pub(super) fn each_ref<'a>(item: &'a Item, f: &mut dyn FnMut(Ref<'a>) -> Result<()>) -> Result<()> {
    match item {
        Item::Case(c) => {
            for r in &c.roles {
                f(Ref { place: "case role party".into(), id: &r.party, kinds: PARTY })?;
                if let Some(o) = &r.on_behalf_of {
                    f(Ref { place: format!("case role of '{}' on_behalf_of", r.party), id: o, kinds: PARTY })?;
                }
            }
        }
        Item::Party(p) => {
            for a in &p.affiliations {
                f(Ref { place: format!("party '{}' affiliation", p.id), id: &a.organisation, kinds: PARTY })?;
            }
        }
        Item::Agreement(a) => {
            let what = format!("agreement '{}'", a.id);
            many(format!("{what} parties"), &a.parties, PARTY, f)?;
            attributions(&what, &a.attributions, f)?;
            for c in &a.clauses {
                attributions(&format!("clause '{}'", c.id), &c.attributions, f)?;
            }
        }
        Item::Letter(l) => {
            let what = format!("letter '{}'", l.id);
            f(Ref { place: format!("{what} sender"), id: &l.sender, kinds: PARTY })?;
            if let Some(p) = &l.sender_person {
                f(Ref { place: format!("{what} sender_person"), id: p, kinds: PARTY })?;
            }
            many(format!("{what} to"), &l.to, PARTY, f)?;
            many(format!("{what} cc"), &l.cc, PARTY, f)?;
            if let Some(r) = &l.in_reply_to {
                f(Ref { place: format!("{what} in_reply_to"), id: r, kinds: LETTER })?;
            }
            if let Some(e) = &l.deadline_event {
                f(Ref { place: format!("{what} deadline_event"), id: e, kinds: EVENT })?;
            }
            attributions(&what, &l.attributions, f)?;
        }
        Item::Event(e) => {
            let what = format!("event '{}'", e.id);
            many(format!("{what} parties"), &e.parties, PARTY, f)?;
            attributions(&what, &e.attributions, f)?;
        }
        Item::Allegation(a) => {
            let what = format!("allegation '{}'", a.id);
            f(Ref { place: format!("{what} made_by"), id: &a.made_by, kinds: PARTY })?;
            f(Ref { place: format!("{what} against"), id: &a.against, kinds: PARTY })?;
            if let Some(r) = &a.raised_in {
                f(Ref { place: format!("{what} raised_in"), id: r, kinds: LETTER_OR_EVENT })?;
            }
            if let Some(r) = &a.agreement {
                f(Ref { place: format!("{what} agreement"), id: r, kinds: AGREEMENT })?;
            }
            many(format!("{what} clauses"), &a.clauses, CLAUSE, f)?;
            attributions(&what, &a.attributions, f)?;
        }
        Item::Response(r) => {
            let what = format!("response '{}'", r.id);
            f(Ref { place: format!("{what} by"), id: &r.by, kinds: PARTY })?;
            if let Some(l) = &r.letter {
                f(Ref { place: format!("{what} letter"), id: l, kinds: LETTER })?;
            }
            many(format!("{what} allegations"), &r.allegations, ALLEGATION, f)?;
            attributions(&what, &r.attributions, f)?;
        }
        Item::Evidence(e) => {
            let what = format!("evidence '{}'", e.id);
            if let Some(r) = &e.redaction {
                f(Ref { place: format!("{what} redaction original"), id: &r.original, kinds: EVIDENCE })?;
            }
            attributions(&what, &e.attributions, f)?;
        }
        Item::Link(l) => {
            f(Ref { place: "evidence link evidence".into(), id: &l.evidence, kinds: EVIDENCE })?;
            f(Ref { place: format!("evidence link from '{}' record", l.evidence), id: &l.record, kinds: ANY })?;
        }
        // A private record and a history entry name records of the bundle, checked where they are read.
        Item::Private(_) | Item::Privileged(_) | Item::History(_) => {}
    }
    Ok(())
}

fn attributions<'a>(what: &str, list: &'a [AttributionRec], f: &mut dyn FnMut(Ref<'a>) -> Result<()>) -> Result<()> {
    for a in list {
        if let Some(p) = &a.asserted_by {
            f(Ref { place: format!("{what} attribution asserted_by"), id: p, kinds: PARTY })?;
        }
        if let Some(p) = &a.reported_by {
            f(Ref { place: format!("{what} attribution reported_by"), id: p, kinds: PARTY })?;
        }
    }
    Ok(())
}

fn many<'a>(
    place: String,
    ids: &'a [String],
    kinds: &'static [RecordKind],
    f: &mut dyn FnMut(Ref<'a>) -> Result<()>,
) -> Result<()> {
    for id in ids {
        f(Ref { place: place.clone(), id, kinds })?;
    }
    Ok(())
}
