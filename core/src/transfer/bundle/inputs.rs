//! How each record of a bundle becomes the input its noun checks on import (`write`, `check`): the
//! file format's fields mapped to the nouns' own input types.

use super::schema::*;
use crate::record::agreement::{AgreementInput, ClauseInput};
use crate::record::allegation::{AllegationInput, StatusInput};
use crate::record::attribution::AttributionInput;
use crate::record::case::CaseInput;
use crate::record::event::EventInput;
use crate::record::evidence::{EvidenceInput, LinkInput, QuoteInput, StoredFile};
use crate::record::letter::LetterInput;
use crate::record::party::{AffiliationInput, PartyInput};
use crate::record::privilege::PrivilegeInput;
use crate::record::response::ResponseInput;

impl CaseRec {
    pub(super) fn input(&self) -> CaseInput {
        CaseInput {
            slug: self.slug.clone(),
            title: self.title.clone(),
            status: self.status.clone(),
            summary: self.summary.clone(),
            tags: self.tags.clone(),
        }
    }
}

impl PartyRec {
    pub(super) fn input(&self) -> PartyInput {
        PartyInput {
            name: self.name.clone(),
            kind: self.kind.clone(),
            description: self.description.clone(),
            aliases: self.aliases.clone(),
            affiliations: self
                .affiliations
                .iter()
                .map(|a| AffiliationInput { organisation: a.organisation.clone(), role: a.role.clone() })
                .collect(),
        }
    }
}

impl AttributionRec {
    fn input(&self) -> AttributionInput {
        AttributionInput {
            asserted_by: self.asserted_by.clone().unwrap_or_default(),
            reported_by: self.reported_by.clone().unwrap_or_default(),
            how: self.how.clone(),
            certainty: self.certainty.clone(),
        }
    }
}

pub(super) fn attribution_inputs(list: &[AttributionRec]) -> Vec<AttributionInput> {
    list.iter().map(AttributionRec::input).collect()
}

impl AgreementRec {
    pub(super) fn input(&self, case_id: &str) -> AgreementInput {
        AgreementInput {
            case: case_id.to_string(),
            title: self.title.clone(),
            kind: self.kind.clone(),
            parties: self.parties.clone(),
            effective: self.effective.clone().unwrap_or_default(),
            terminated: self.terminated.clone().unwrap_or_default(),
            terms: self.terms.clone(),
        }
    }
}

impl ClauseRec {
    pub(super) fn input(&self) -> ClauseInput {
        ClauseInput { reference: self.reference.clone(), text: self.text.clone() }
    }
}

impl LetterRec {
    pub(super) fn input(&self, case_id: &str) -> LetterInput {
        LetterInput {
            case: case_id.to_string(),
            channel: self.channel.clone(),
            sender: self.sender.clone(),
            sender_person: self.sender_person.clone().unwrap_or_default(),
            to: self.to.clone(),
            cc: self.cc.clone(),
            subject: self.subject.clone(),
            body: self.body.clone(),
            date: self.date.clone(),
            deadline: crate::record::letter::typed_deadline(self.deadline.as_deref(), self.deadline_rule.as_deref()),
            received: self.received.clone().unwrap_or_default(),
            deadline_rule: self.deadline_rule.clone().unwrap_or_default(),
            calendar: self.calendar.clone().unwrap_or_default(),
            deadline_event: self.deadline_event.clone().unwrap_or_default(),
            deadline_before: self.deadline_before,
            deadline_mail: self.deadline_mail,
            in_reply_to: self.in_reply_to.clone().unwrap_or_default(),
            tags: self.tags.clone(),
            position: self.position,
            message_id: self.message_id.clone().unwrap_or_default(),
            addresses: self.addresses.clone(),
        }
    }
}

impl EventRec {
    pub(super) fn input(&self, case_id: &str) -> EventInput {
        EventInput {
            case: case_id.to_string(),
            title: self.title.clone(),
            date: self.date.clone(),
            description: self.description.clone(),
            parties: self.parties.clone(),
            tags: self.tags.clone(),
            attributions: attribution_inputs(&self.attributions),
            position: self.position,
        }
    }
}

impl AllegationRec {
    pub(super) fn input(&self, case_id: &str) -> AllegationInput {
        AllegationInput {
            case: case_id.to_string(),
            made_by: self.made_by.clone(),
            against: self.against.clone(),
            raised_in: self.raised_in.clone().unwrap_or_default(),
            agreement: self.agreement.clone().unwrap_or_default(),
            clauses: self.clauses.clone(),
            summary: self.summary.clone(),
            detail: self.detail.clone(),
            date: self.date.clone(),
            tags: self.tags.clone(),
            attributions: attribution_inputs(&self.attributions),
            position: self.position,
        }
    }
}

impl StatusRec {
    pub(super) fn input(&self) -> StatusInput {
        StatusInput {
            status: self.status.clone(),
            date: self.date.clone(),
            note: self.note.clone(),
            position: self.position,
        }
    }
}

impl ResponseRec {
    pub(super) fn input(&self) -> ResponseInput {
        ResponseInput {
            allegations: self.allegations.clone(),
            by: self.by.clone(),
            letter: self.letter.clone().unwrap_or_default(),
            stance: self.stance.clone(),
            text: self.text.clone(),
            date: self.date.clone(),
            tags: self.tags.clone(),
            attributions: attribution_inputs(&self.attributions),
            position: self.position,
        }
    }
}

impl EvidenceRec {
    pub(super) fn input(&self, case_id: &str) -> EvidenceInput {
        EvidenceInput {
            case: case_id.to_string(),
            kind: self.kind.clone(),
            title: self.title.clone(),
            url: self.url.clone().unwrap_or_default(),
            publisher: self.publisher.clone().unwrap_or_default(),
            date: self.date.clone().unwrap_or_default(),
            note: self.note.clone(),
        }
    }

    /// The stored file of file evidence: the bundle gives its hash and size (both or neither).
    pub(super) fn file(&self) -> Option<StoredFile> {
        match (&self.sha256, self.size) {
            (Some(sha256), Some(size)) => Some(StoredFile {
                sha256: sha256.clone(),
                size,
                media_type: self.media_type.clone(),
                original_name: self.original_name.clone(),
            }),
            _ => None,
        }
    }
}

impl LinkRec {
    pub(super) fn input(&self) -> LinkInput {
        LinkInput {
            evidence: self.evidence.clone(),
            record: self.record.clone(),
            pinpoint: self.pinpoint.clone(),
            note: self.note.clone(),
            quote: self.quote.as_ref().map(|q| QuoteInput {
                page: q.page,
                exact: q.exact.clone(),
                prefix: q.prefix.clone(),
                suffix: q.suffix.clone(),
            }),
        }
    }
}

impl PrivilegedRec {
    pub(super) fn input(&self) -> PrivilegeInput {
        PrivilegeInput { basis: self.basis.clone(), description: self.description.clone() }
    }
}
