//! A case as a bundle, read through the nouns' own read views. Every list is put in a stored order
//! (records by id, references by id, history in the order it was recorded), so two exports of the same
//! record give the same bytes.

use std::collections::BTreeSet;

use super::refs::{each_ref, PARTY};
use super::schema::*;
use super::{Contents, FORMAT, VERSION};
use crate::error::Result;
use crate::record::attribution::{self, Attribution};
use crate::record::{agreement, allegation, case, event, evidence, letter, party, privacy, response, role, PartyRef};
use crate::store::change_log;
use crate::store::registry::{self, Stamps};
use crate::store::Reader;
use crate::view::history;
use crate::vocabulary::RecordKind;

pub(super) fn bundle(db: &Reader, key: &str, contents: Contents) -> Result<Bundle> {
    let case_id = case::resolve(db, key)?;
    let (seq, hash) = change_log::head(db)?;
    let mut bundle = Bundle {
        format: FORMAT.to_string(),
        version: VERSION,
        anchor: Some(format!("{seq}:{hash}")),
        case: read_case(db, &case_id)?,
        parties: Vec::new(),
        agreements: each(db, &case_id, RecordKind::Agreement, read_agreement)?,
        letters: each(db, &case_id, RecordKind::Letter, read_letter)?,
        events: each(db, &case_id, RecordKind::Event, read_event)?,
        allegations: each(db, &case_id, RecordKind::Allegation, read_allegation)?,
        responses: each(db, &case_id, RecordKind::Response, read_response)?,
        evidence: each(db, &case_id, RecordKind::Evidence, read_evidence)?,
        links: Vec::new(),
        private: Vec::new(),
        history: Vec::new(),
    };
    let mut links: Vec<LinkRec> = Vec::new();
    for e in evidence::list(db, &case_id)? {
        links.extend(e.links.into_iter().map(|l| LinkRec {
            evidence: l.evidence_id,
            record: l.record_id,
            pinpoint: l.pinpoint,
            note: l.note,
            quote: l.quote.map(|q| QuoteRec { page: q.page, exact: q.exact, prefix: q.prefix, suffix: q.suffix }),
        }));
    }
    links.sort_by(|a, b| (&a.evidence, &a.record, &a.pinpoint).cmp(&(&b.evidence, &b.record, &b.pinpoint)));
    bundle.links = links;
    // Parties belong to no case: the bundle carries every party a record of the case names, and the
    // organisations those people are affiliated with, so that the bundle is complete on its own.
    let mut wanted = BTreeSet::new();
    each_ref(&bundle, &mut |r| {
        if r.kinds == PARTY {
            wanted.insert(r.id.to_string());
        }
        Ok(())
    })?;
    for l in &bundle.links {
        if registry::kind_of(db, &l.record)? == Some(RecordKind::Party) {
            wanted.insert(l.record.clone());
        }
    }
    let mut todo: Vec<String> = wanted.iter().cloned().collect();
    while let Some(id) = todo.pop() {
        for a in party::get(db, &id)?.affiliations {
            if wanted.insert(a.organisation_id.clone()) {
                todo.push(a.organisation_id);
            }
        }
    }
    bundle.parties = wanted.iter().map(|id| read_party(db, id)).collect::<Result<_>>()?;
    let mut private = Vec::new();
    for id in record_ids(&bundle) {
        if privacy::is_private(db, id)? {
            private.push(id.to_string());
        }
    }
    bundle.private = private;
    if contents.history {
        bundle.history = read_history(db, &bundle, contents.actors)?;
    }
    Ok(bundle)
}

/// The id of every record of the bundle, in order.
fn record_ids(b: &Bundle) -> BTreeSet<&str> {
    let mut ids: BTreeSet<&str> = BTreeSet::new();
    ids.insert(&b.case.id);
    ids.extend(b.parties.iter().map(|p| p.id.as_str()));
    for a in &b.agreements {
        ids.insert(&a.id);
        ids.extend(a.clauses.iter().map(|c| c.id.as_str()));
    }
    ids.extend(b.letters.iter().map(|r| r.id.as_str()));
    ids.extend(b.events.iter().map(|r| r.id.as_str()));
    ids.extend(b.allegations.iter().map(|r| r.id.as_str()));
    ids.extend(b.responses.iter().map(|r| r.id.as_str()));
    ids.extend(b.evidence.iter().map(|r| r.id.as_str()));
    ids
}

/// The history of every record of the bundle, by record id, each oldest first; with `actors`, who
/// wrote each entry as recorded, else the front end only.
fn read_history(db: &Reader, b: &Bundle, actors: bool) -> Result<Vec<HistoryRec>> {
    let ids = record_ids(b);
    let here = change_log::origin(db)?.unwrap_or_default();
    let mut out = Vec::new();
    for id in ids {
        for step in history::steps(db, id)? {
            out.push(HistoryRec {
                record: id.to_string(),
                at: step.at,
                action: step.action,
                actor: if actors { step.actor } else { step.actor.as_deref().map(front_end) },
                source: step.imported_from.unwrap_or_else(|| here.clone()),
                image: step.image.map(|i| i.to_json()),
            });
        }
    }
    Ok(out)
}

/// The front end of an actor (`cli` of `cli (alice)`): the store writes the system user in
/// parentheses after it, and that name is what a bundle leaves out unless asked.
fn front_end(actor: &str) -> String {
    actor.split_once(" (").map_or(actor, |(front, _)| front).to_string()
}

/// Every record of `kind` in the case, by id, read with `read`.
fn each<T>(db: &Reader, case_id: &str, kind: RecordKind, read: fn(&Reader, &str) -> Result<T>) -> Result<Vec<T>> {
    registry::ids_of_kind(db, kind, case_id)?.iter().map(|id| read(db, id)).collect()
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

fn ids(parties: &[PartyRef]) -> Vec<String> {
    sorted(parties.iter().map(|p| p.id.clone()).collect())
}

fn attributions(list: Vec<Attribution>) -> Vec<AttributionRec> {
    list.into_iter()
        .map(|a| AttributionRec {
            asserted_by: a.asserted_by_id,
            reported_by: a.reported_by_id,
            how: a.how,
            certainty: a.certainty.to_string(),
        })
        .collect()
}

/// Tags and attributions of a record, for the kinds whose view does not carry them.
fn qualifiers(db: &Reader, id: &str) -> Result<(Vec<String>, Vec<AttributionRec>)> {
    Ok((attribution::tags(db, id)?, attributions(attribution::get(db, id)?)))
}

fn read_case(db: &Reader, id: &str) -> Result<CaseRec> {
    let c = case::get(db, id)?;
    let mut roles: Vec<RoleRec> = role::roles(db, id)?
        .into_iter()
        .map(|r| RoleRec { party: r.party_id, role: r.role.to_string(), on_behalf_of: r.on_behalf_of_id })
        .collect();
    roles.sort_by(|a, b| (&a.party, &a.role).cmp(&(&b.party, &b.role)));
    Ok(CaseRec {
        id: c.id,
        slug: c.slug,
        title: c.title,
        status: c.status.to_string(),
        summary: c.summary,
        tags: sorted(c.tags),
        roles,
        created_at: c.created_at,
        updated_at: c.updated_at,
    })
}

fn read_party(db: &Reader, id: &str) -> Result<PartyRec> {
    let p = party::get(db, id)?;
    let mut affiliations: Vec<AffiliationRec> =
        p.affiliations.into_iter().map(|a| AffiliationRec { organisation: a.organisation_id, role: a.role }).collect();
    affiliations.sort_by(|a, b| (&a.organisation, &a.role).cmp(&(&b.organisation, &b.role)));
    Ok(PartyRec {
        id: p.id,
        name: p.name,
        kind: p.kind.to_string(),
        description: p.description,
        aliases: sorted(p.aliases),
        affiliations,
        created_at: p.created_at,
        updated_at: p.updated_at,
    })
}

fn read_agreement(db: &Reader, id: &str) -> Result<AgreementRec> {
    let a = agreement::get(db, id)?;
    let mut clauses = Vec::with_capacity(a.clauses.len());
    for c in a.clauses {
        let (tags, attributions) = qualifiers(db, &c.id)?;
        let Stamps { created_at, updated_at } = registry::stamps(db, &c.id)?;
        clauses.push(ClauseRec {
            id: c.id,
            reference: c.reference,
            text: c.text,
            position: c.position,
            tags,
            attributions,
            created_at,
            updated_at,
        });
    }
    let (tags, attributions) = qualifiers(db, id)?;
    Ok(AgreementRec {
        id: a.id,
        title: a.title,
        kind: a.kind,
        terms: a.terms,
        effective: a.effective,
        terminated: a.terminated,
        parties: ids(&a.parties),
        clauses,
        tags,
        attributions,
        created_at: a.created_at,
        updated_at: a.updated_at,
    })
}

fn read_letter(db: &Reader, id: &str) -> Result<LetterRec> {
    let l = letter::get(db, id)?;
    let (_, attributions) = qualifiers(db, id)?;
    Ok(LetterRec {
        id: l.id,
        channel: l.channel.to_string(),
        sender: l.sender.id,
        sender_person: l.sender_person.map(|p| p.id),
        to: ids(&l.to),
        cc: ids(&l.cc),
        subject: l.subject,
        body: l.body,
        date: l.date,
        deadline: l.deadline,
        in_reply_to: l.in_reply_to,
        message_id: l.message_id,
        addresses: l.addresses,
        position: l.position,
        tags: sorted(l.tags),
        attributions,
        created_at: l.created_at,
        updated_at: l.updated_at,
    })
}

fn read_event(db: &Reader, id: &str) -> Result<EventRec> {
    let e = event::get(db, id)?;
    Ok(EventRec {
        id: e.id,
        title: e.title,
        description: e.description,
        date: e.date,
        position: e.position,
        parties: ids(&e.parties),
        tags: sorted(e.tags),
        attributions: attributions(e.attributions),
        created_at: e.created_at,
        updated_at: e.updated_at,
    })
}

fn read_allegation(db: &Reader, id: &str) -> Result<AllegationRec> {
    let a = allegation::get(db, id)?;
    // The history in the order it was recorded (its entry numbers), which is the order it is read back in.
    let mut history = a.history;
    history.sort_by_key(|h| h.id);
    Ok(AllegationRec {
        id: a.id,
        made_by: a.made_by.id,
        against: a.against.id,
        raised_in: a.raised_in.map(|r| r.id),
        agreement: a.agreement_id,
        clauses: sorted(a.clauses.into_iter().map(|c| c.id).collect()),
        summary: a.summary,
        detail: a.detail,
        date: a.date,
        position: a.position,
        history: history
            .into_iter()
            .map(|h| StatusRec { status: h.status.to_string(), date: h.date, note: h.note, position: h.position })
            .collect(),
        tags: sorted(a.tags),
        attributions: attributions(a.attributions),
        created_at: a.created_at,
        updated_at: a.updated_at,
    })
}

fn read_response(db: &Reader, id: &str) -> Result<ResponseRec> {
    let r = response::get(db, id)?;
    Ok(ResponseRec {
        id: r.id,
        by: r.by.id,
        letter: r.letter_id,
        stance: r.stance.to_string(),
        text: r.text,
        date: r.date,
        position: r.position,
        allegations: sorted(r.allegations),
        tags: sorted(r.tags),
        attributions: attributions(r.attributions),
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

fn read_evidence(db: &Reader, id: &str) -> Result<EvidenceRec> {
    let e = evidence::get(db, id)?;
    let (tags, attributions) = qualifiers(db, id)?;
    Ok(EvidenceRec {
        id: e.id,
        kind: e.kind.to_string(),
        title: e.title,
        note: e.note,
        sha256: e.sha256,
        size: e.size,
        media_type: e.media_type,
        original_name: e.original_name,
        url: e.url,
        publisher: e.publisher,
        date: e.date,
        tags,
        attributions,
        created_at: e.created_at,
        updated_at: e.updated_at,
    })
}
