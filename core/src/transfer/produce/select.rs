//! Which documents of a case go into a production or a hearing bundle: those chosen by id, tag,
//! search or date range (all of them when nothing is chosen), each with the redacted copy that takes
//! its place and its privilege, in date order (undated last) unless chosen by id.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::date::FuzzyDate;
use crate::error::{Error, Result};
use crate::record::evidence::{self, Evidence};
use crate::record::privilege::{self, Privilege};
use crate::store::Reader;
use crate::view::search;

/// Most documents one production or bundle takes.
const MAX_DOCUMENTS: usize = 20_000;

/// How documents are chosen; every criterion given must hold, and none given takes them all.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Selection {
    /// Evidence ids, in the order wanted (a redacted copy stands for its original).
    #[serde(default)]
    pub evidence: Vec<String>,
    /// The documents that support a record with this tag.
    #[serde(default)]
    pub tag: String,
    /// A search of the case, as the search box takes it.
    #[serde(default)]
    pub search: String,
    /// A date range, each end a date as the record takes it; a document must be dated within it.
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

/// A document chosen: the original, the redacted copy produced in its place, and its privilege.
pub struct Chosen {
    pub original: Evidence,
    pub copy: Option<Evidence>,
    pub privilege: Option<Privilege>,
}

impl Chosen {
    /// The evidence whose file is handed over: the redacted copy where there is one.
    pub fn produced(&self) -> &Evidence {
        self.copy.as_ref().unwrap_or(&self.original)
    }
}

/// The documents of the case `case_id` that `selection` chooses.
pub fn choose(db: &Reader, case_id: &str, selection: &Selection) -> Result<Vec<Chosen>> {
    let all = evidence::list(db, case_id)?;
    // The newest redacted copy of each original.
    let copies: HashMap<String, String> = db
        .all(
            "SELECT r.original_id, r.evidence_id FROM redaction r JOIN evidence e ON e.id = r.evidence_id
              WHERE e.case_id = ?1 ORDER BY r.made_at, r.evidence_id",
            [case_id],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
        )?
        .into_iter()
        .collect();
    let copy_of: HashMap<&str, &str> = copies.iter().map(|(o, c)| (c.as_str(), o.as_str())).collect();
    let is_copy: HashSet<String> =
        db.strings("SELECT evidence_id FROM redaction", [])?.into_iter().collect::<HashSet<_>>();
    let by_id: HashMap<&str, &Evidence> = all.iter().map(|e| (e.id.as_str(), e)).collect();
    let documents: Vec<&Evidence> = all.iter().filter(|e| e.sha256.is_some() && !is_copy.contains(&e.id)).collect();

    let original_of = |id: &str| -> String {
        match copy_of.get(id) {
            Some(original) => original.to_string(),
            None => db
                .optional("SELECT original_id FROM redaction WHERE evidence_id = ?1", [id], |r| r.get::<_, String>(0))
                .ok()
                .flatten()
                .unwrap_or_else(|| id.to_string()),
        }
    };
    let mut chosen: Vec<&Evidence> = if selection.evidence.is_empty() {
        documents.clone()
    } else {
        let mut seen = HashSet::new();
        let mut list = Vec::new();
        for id in &selection.evidence {
            let original = original_of(id.trim());
            let Some(e) = documents.iter().find(|e| e.id == original) else {
                return Err(match by_id.get(id.trim()) {
                    Some(e) => Error::rule(
                        "evidence",
                        "not_a_document",
                        id.trim().to_string(),
                        format!("'{}' has no file: only documents are produced", e.title),
                    ),
                    None => Error::not_found("evidence of this case", id.trim()),
                });
            };
            if seen.insert(e.id.clone()) {
                list.push(*e);
            }
        }
        list
    };
    let tag = selection.tag.trim().to_lowercase();
    if !tag.is_empty() {
        // Documents carry no tags of their own: a document is tagged through the records it supports.
        let tagged: HashSet<String> = db
            .strings(
                "SELECT record_id FROM record_tag WHERE lower(tag) = ?1
                 UNION SELECT l.evidence_id FROM evidence_link l JOIN record_tag t ON t.record_id = l.record_id
                  WHERE lower(t.tag) = ?1",
                [&tag],
            )?
            .into_iter()
            .map(|id| original_of(&id))
            .collect();
        chosen.retain(|e| tagged.contains(&e.id));
    }
    let query = selection.search.trim();
    if !query.is_empty() {
        let found: HashSet<String> = search::search(db, query, Some(case_id), search::MAX_HITS)?
            .into_iter()
            .map(|hit| original_of(&hit.record_id))
            .collect();
        chosen.retain(|e| found.contains(&e.id));
    }
    let bound = |field: &str, text: &str| -> Result<Option<FuzzyDate>> {
        match text.trim() {
            "" => Ok(None),
            t => crate::input::date(field, t).map(Some),
        }
    };
    let (from, to) = (bound("from", &selection.from)?, bound("to", &selection.to)?);
    if from.is_some() || to.is_some() {
        let start = from.as_ref().and_then(FuzzyDate::lower).unwrap_or(i64::MIN);
        let end = to.as_ref().and_then(FuzzyDate::upper).unwrap_or(i64::MAX);
        chosen.retain(|e| {
            let key = e.date.as_deref().and_then(|d| FuzzyDate::parse(d).ok()).map(|d| d.sort_key());
            key.is_some_and(|k| k >= start && k < end)
        });
    }
    if selection.evidence.is_empty() {
        let key = |e: &Evidence| e.date.as_deref().and_then(|d| FuzzyDate::parse(d).ok()).map(|d| d.sort_key());
        chosen.sort_by(|a, b| {
            (key(a).is_none(), key(a), &a.title, &a.id).cmp(&(key(b).is_none(), key(b), &b.title, &b.id))
        });
    }
    if chosen.is_empty() {
        return Err(Error::rule(
            "selection",
            "nothing_chosen",
            None,
            "no document of the case is chosen: it has no file evidence, or none matches the tag, search or dates",
        ));
    }
    if chosen.len() > MAX_DOCUMENTS {
        return Err(Error::rule(
            "selection",
            "too_many",
            chosen.len().to_string(),
            format!("more than {MAX_DOCUMENTS} documents: choose fewer by tag, search or dates"),
        ));
    }
    chosen
        .into_iter()
        .map(|e| {
            let copy = match copies.get(&e.id) {
                Some(id) => Some(evidence::get(db, id)?),
                None => None,
            };
            Ok(Chosen { original: e.clone(), copy, privilege: privilege::get(db, &e.id)? })
        })
        .collect()
}
