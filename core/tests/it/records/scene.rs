//! The shared scene: one case with one record of every kind, referring to each other.

use crate::common::*;
use dossier_core::record::agreement::{self, AgreementInput};
use dossier_core::record::allegation::{self, AllegationInput, StatusInput};
use dossier_core::record::attribution::AttributionInput;
use dossier_core::record::case::{self, CaseInput};
use dossier_core::record::event::EventInput;
use dossier_core::record::evidence::{self, EvidenceInput, LinkInput};
use dossier_core::record::letter::LetterInput;
use dossier_core::record::party::{self, AffiliationInput, PartyInput};
use dossier_core::record::response::{self, ResponseInput};
use dossier_core::record::role;
use dossier_core::Store;

/// A case with one record of every kind, each referring to the others the way a real dossier does.
pub struct Scene {
    pub case_id: String,
    pub agreement: String,
    pub clause: String,
    pub letter: String,
    pub reply: String,
    pub event: String,
    pub allegation: String,
    pub response: String,
    pub evidence: String,
}

pub fn scene(s: &mut Store) -> Scene {
    let c = case::create(
        s,
        &CaseInput {
            title: "Acme v. Globex".into(),
            tags: vec!["supply".into()],
            summary: "Summary.".into(),
            ..Default::default()
        },
    )
    .expect("case");
    party::create(
        s,
        &PartyInput {
            name: "Acme".into(),
            kind: "organisation".into(),
            aliases: vec!["Acme Corp.".into()],
            ..Default::default()
        },
    )
    .expect("acme");
    org(s, "Globex");
    party(s, "Daily Planet", "media");
    party::create(
        s,
        &PartyInput {
            name: "Ed Sender".into(),
            kind: "person".into(),
            affiliations: vec![AffiliationInput { organisation: "Acme".into(), role: "counsel".into() }],
            ..Default::default()
        },
    )
    .expect("ed");
    role::add_role(s, &c.id, "Acme", "claimant", None).expect("role");
    role::add_role(s, &c.id, "Ed Sender", "counsel", Some("Acme")).expect("role");
    let ag = agreement::create(
        s,
        &AgreementInput {
            case: c.id.clone(),
            title: "Supply agreement".into(),
            kind: "contract".into(),
            parties: vec!["Acme".into(), "Globex".into()],
            effective: "2021-06".into(),
            terminated: "~2024".into(),
            terms: "Terms.".into(),
        },
    )
    .expect("agreement");
    let cl = clause(s, &ag.id, "§ 4");
    let l = letter_with(
        s,
        LetterInput {
            case: c.id.clone(),
            sender: "Acme".into(),
            sender_person: "Ed Sender".into(),
            to: vec!["Globex".into()],
            cc: vec!["Daily Planet".into()],
            subject: "Late deliveries".into(),
            body: "Body.".into(),
            date: "2023-03-10".into(),
            deadline: "2023-04-10".into(),
            tags: vec!["supply".into()],
            position: 1,
            ..Default::default()
        },
    );
    let reply = letter_with(
        s,
        LetterInput {
            in_reply_to: l.id.clone(),
            ..letter_input(&c.id, "Globex", &["Acme"], "Re: Late deliveries", "~2023-04")
        },
    );
    let e = event_with(
        s,
        EventInput {
            case: c.id.clone(),
            title: "Missed delivery".into(),
            date: "2023-03-01".into(),
            parties: vec!["Globex".into()],
            tags: vec!["supply".into()],
            attributions: vec![AttributionInput {
                reported_by: "Daily Planet".into(),
                certainty: "reported".into(),
                ..Default::default()
            }],
            ..Default::default()
        },
    );
    let a = allegation_with(
        s,
        AllegationInput {
            case: c.id.clone(),
            made_by: "Acme".into(),
            against: "Globex".into(),
            raised_in: l.id.clone(),
            clauses: vec![cl.id.clone()],
            summary: "Globex delivered late".into(),
            detail: "Detail.".into(),
            tags: vec!["supply".into()],
            attributions: vec![AttributionInput {
                asserted_by: "Acme".into(),
                certainty: "alleged".into(),
                ..Default::default()
            }],
            position: 2,
            ..Default::default()
        },
    );
    allegation::set_status(
        s,
        &a.id,
        &StatusInput { status: "disputed".into(), date: "2023-04".into(), ..Default::default() },
    )
    .expect("status");
    let r = response::create(
        s,
        &ResponseInput {
            allegations: vec![a.id.clone()],
            by: "Globex".into(),
            stance: "denies".into(),
            date: "2023-03-20".into(),
            tags: vec!["x".into()],
            ..Default::default()
        },
    )
    .expect("response");
    let ev = evidence::create(
        s,
        &EvidenceInput {
            case: c.id.clone(),
            kind: "url".into(),
            title: "Press article".into(),
            url: "https://example.com/a".into(),
            publisher: "Daily Planet".into(),
            date: "2023-03-12".into(),
            note: "Note.".into(),
        },
    )
    .expect("evidence");
    evidence::link(
        s,
        &LinkInput { evidence: ev.id.clone(), record: e.id.clone(), pinpoint: "p. 2".into(), ..Default::default() },
    )
    .expect("link");
    Scene {
        case_id: c.id,
        agreement: ag.id,
        clause: cl.id,
        letter: l.id,
        reply: reply.id,
        event: e.id,
        allegation: a.id,
        response: r.id,
        evidence: ev.id,
    }
}
