//! The bundle's schema. Field order here is the key order of the JSON; `docs/bundle-format.md`
//! describes each field. These types are the file format, not the IPC boundary: they never leave the
//! bundle module, and a change to a noun's input type does not change them.

use serde::{Deserialize, Serialize};

/// The top-level fields of a bundle, in the order Dossier writes them: the header, then the sections.
pub(super) const FIELDS: &[&str] = &[
    "format",
    "version",
    "anchor",
    "case",
    "parties",
    "agreements",
    "letters",
    "events",
    "allegations",
    "responses",
    "evidence",
    "links",
    "private",
    "privileged",
    "history",
];

/// The sections of a bundle, in the order Dossier writes them. Every record in that order comes after
/// the records it names (the case's roles aside, which name parties, and a letter's reply, which may
/// come before the letter it answers), so an import can write each section as it reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Section {
    Case,
    Parties,
    Agreements,
    Letters,
    Events,
    Allegations,
    Responses,
    Evidence,
    Links,
    Private,
    Privileged,
    History,
}

impl Section {
    pub(super) const ALL: [Section; 12] = [
        Section::Case,
        Section::Parties,
        Section::Agreements,
        Section::Letters,
        Section::Events,
        Section::Allegations,
        Section::Responses,
        Section::Evidence,
        Section::Links,
        Section::Private,
        Section::Privileged,
        Section::History,
    ];

    /// The section's field in the JSON.
    pub(super) fn key(self) -> &'static str {
        FIELDS[self as usize + 3]
    }

    pub(super) fn of_key(key: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// One item of a section: the case, a record, an evidence link, a private record's id, or one entry
/// of a record's history.
#[derive(Debug)]
pub(super) enum Item {
    Case(CaseRec),
    Party(PartyRec),
    Agreement(AgreementRec),
    Letter(LetterRec),
    Event(EventRec),
    Allegation(AllegationRec),
    Response(ResponseRec),
    Evidence(EvidenceRec),
    Link(LinkRec),
    Private(String),
    Privileged(PrivilegedRec),
    History(HistoryRec),
}

/// A privileged record of the bundle, with the basis and description of its privilege
/// (`record::privilege`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PrivilegedRec {
    pub(super) record: String,
    pub(super) basis: String,
    #[serde(default)]
    pub(super) description: String,
}

/// One write in the history of one record of the bundle.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct HistoryRec {
    pub(super) record: String,
    pub(super) at: String,
    pub(super) action: String,
    #[serde(default)]
    pub(super) actor: Option<String>,
    /// The database the write was made in: the hash of its first change-log entry.
    pub(super) source: String,
    /// The record's image after the write (`null` once deleted).
    pub(super) image: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CaseRec {
    pub(super) id: String,
    pub(super) slug: String,
    pub(super) title: String,
    pub(super) status: String,
    #[serde(default)]
    pub(super) summary: String,
    #[serde(default)]
    pub(super) tags: Vec<String>,
    #[serde(default)]
    pub(super) roles: Vec<RoleRec>,
    pub(super) created_at: String,
    pub(super) updated_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RoleRec {
    pub(super) party: String,
    pub(super) role: String,
    #[serde(default)]
    pub(super) on_behalf_of: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PartyRec {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) kind: String,
    #[serde(default)]
    pub(super) description: String,
    #[serde(default)]
    pub(super) aliases: Vec<String>,
    #[serde(default)]
    pub(super) affiliations: Vec<AffiliationRec>,
    pub(super) created_at: String,
    pub(super) updated_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AffiliationRec {
    pub(super) organisation: String,
    pub(super) role: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AttributionRec {
    #[serde(default)]
    pub(super) asserted_by: Option<String>,
    #[serde(default)]
    pub(super) reported_by: Option<String>,
    #[serde(default)]
    pub(super) how: String,
    pub(super) certainty: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AgreementRec {
    pub(super) id: String,
    pub(super) title: String,
    #[serde(default)]
    pub(super) kind: String,
    #[serde(default)]
    pub(super) terms: String,
    #[serde(default)]
    pub(super) effective: Option<String>,
    #[serde(default)]
    pub(super) terminated: Option<String>,
    #[serde(default)]
    pub(super) parties: Vec<String>,
    #[serde(default)]
    pub(super) clauses: Vec<ClauseRec>,
    #[serde(default)]
    pub(super) tags: Vec<String>,
    #[serde(default)]
    pub(super) attributions: Vec<AttributionRec>,
    pub(super) created_at: String,
    pub(super) updated_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ClauseRec {
    pub(super) id: String,
    pub(super) reference: String,
    #[serde(default)]
    pub(super) text: String,
    pub(super) position: i64,
    #[serde(default)]
    pub(super) tags: Vec<String>,
    #[serde(default)]
    pub(super) attributions: Vec<AttributionRec>,
    pub(super) created_at: String,
    pub(super) updated_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LetterRec {
    pub(super) id: String,
    pub(super) channel: String,
    pub(super) sender: String,
    #[serde(default)]
    pub(super) sender_person: Option<String>,
    #[serde(default)]
    pub(super) to: Vec<String>,
    #[serde(default)]
    pub(super) cc: Vec<String>,
    pub(super) subject: String,
    #[serde(default)]
    pub(super) body: String,
    pub(super) date: String,
    #[serde(default)]
    pub(super) deadline: Option<String>,
    /// When the letter was received, if not on its date; absent when not recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) received: Option<String>,
    /// The period the deadline is counted by, and its calendar (`letter::LetterInput`); absent for a
    /// typed deadline. The bundle's `deadline` is what the rule gave when it was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) deadline_rule: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) calendar: Option<String>,
    /// The event of the case the rule counts from, back from it, with the days for mail; absent
    /// (or false) when the rule counts from receipt, forward, without them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) deadline_event: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(super) deadline_before: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(super) deadline_mail: bool,
    #[serde(default)]
    pub(super) in_reply_to: Option<String>,
    #[serde(default)]
    pub(super) message_id: Option<String>,
    /// An e-mail's addresses as written (see `letter::Address`); absent for other letters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) addresses: Vec<crate::record::letter::Address>,
    #[serde(default)]
    pub(super) position: i64,
    #[serde(default)]
    pub(super) tags: Vec<String>,
    #[serde(default)]
    pub(super) attributions: Vec<AttributionRec>,
    pub(super) created_at: String,
    pub(super) updated_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EventRec {
    pub(super) id: String,
    pub(super) title: String,
    #[serde(default)]
    pub(super) description: String,
    pub(super) date: String,
    #[serde(default)]
    pub(super) position: i64,
    #[serde(default)]
    pub(super) parties: Vec<String>,
    #[serde(default)]
    pub(super) tags: Vec<String>,
    #[serde(default)]
    pub(super) attributions: Vec<AttributionRec>,
    pub(super) created_at: String,
    pub(super) updated_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AllegationRec {
    pub(super) id: String,
    pub(super) made_by: String,
    pub(super) against: String,
    /// Id of the letter or event it was raised in.
    #[serde(default)]
    pub(super) raised_in: Option<String>,
    #[serde(default)]
    pub(super) agreement: Option<String>,
    #[serde(default)]
    pub(super) clauses: Vec<String>,
    pub(super) summary: String,
    #[serde(default)]
    pub(super) detail: String,
    pub(super) date: String,
    #[serde(default)]
    pub(super) position: i64,
    #[serde(default)]
    pub(super) history: Vec<StatusRec>,
    #[serde(default)]
    pub(super) tags: Vec<String>,
    #[serde(default)]
    pub(super) attributions: Vec<AttributionRec>,
    pub(super) created_at: String,
    pub(super) updated_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StatusRec {
    pub(super) status: String,
    pub(super) date: String,
    #[serde(default)]
    pub(super) note: String,
    #[serde(default)]
    pub(super) position: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ResponseRec {
    pub(super) id: String,
    pub(super) by: String,
    #[serde(default)]
    pub(super) letter: Option<String>,
    pub(super) stance: String,
    #[serde(default)]
    pub(super) text: String,
    pub(super) date: String,
    #[serde(default)]
    pub(super) position: i64,
    pub(super) allegations: Vec<String>,
    #[serde(default)]
    pub(super) tags: Vec<String>,
    #[serde(default)]
    pub(super) attributions: Vec<AttributionRec>,
    pub(super) created_at: String,
    pub(super) updated_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EvidenceRec {
    pub(super) id: String,
    pub(super) kind: String,
    pub(super) title: String,
    #[serde(default)]
    pub(super) note: String,
    #[serde(default)]
    pub(super) sha256: Option<String>,
    #[serde(default)]
    pub(super) size: Option<i64>,
    #[serde(default)]
    pub(super) media_type: Option<String>,
    #[serde(default)]
    pub(super) original_name: Option<String>,
    #[serde(default)]
    pub(super) url: Option<String>,
    #[serde(default)]
    pub(super) publisher: Option<String>,
    #[serde(default)]
    pub(super) date: Option<String>,
    /// For a redacted copy: its original, when it was made and its boxes; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) redaction: Option<RedactionRec>,
    #[serde(default)]
    pub(super) tags: Vec<String>,
    #[serde(default)]
    pub(super) attributions: Vec<AttributionRec>,
    pub(super) created_at: String,
    pub(super) updated_at: String,
}

/// What a redacted copy was made from (`record::evidence::redact`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RedactionRec {
    pub(super) original: String,
    pub(super) made_at: String,
    pub(super) boxes: Vec<crate::record::evidence::redact::BoxInput>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LinkRec {
    pub(super) evidence: String,
    pub(super) record: String,
    #[serde(default)]
    pub(super) pinpoint: String,
    #[serde(default)]
    pub(super) note: String,
    /// Present only for a link citing a passage (a bundle without quotes reads as before).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) quote: Option<QuoteRec>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct QuoteRec {
    pub(super) page: Option<i64>,
    pub(super) exact: String,
    #[serde(default)]
    pub(super) prefix: String,
    #[serde(default)]
    pub(super) suffix: String,
}

// The records as the nouns' raw input, so that a bundle is checked and written by the same rules as a
// record typed in. References are ids here; the import maps them (a bundle's party may be one the
// database already has under another id).
