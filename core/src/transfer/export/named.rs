//! Private parties named in what a publish export would show. [`super::publish`] drops a private
//! party from every list of names, but free text written by people (a title, a description, a
//! publisher, how a statement was obtained, the case summary) can name a source anyway, and no rule
//! can rewrite it. So before a site or a TimelineJS file is written, every published text is searched
//! for the names and aliases of private parties, and each one found is reported with where it is: the
//! CLI warns (and with `--strict` refuses), the app shows the list before the user confirms.
//!
//! A name is found as whole words, whatever the case ("jane whistle's memo" names Jane Whistle; the
//! alias "Al" is not found in "alleged").

use std::collections::HashSet;

use serde::Serialize;

use super::publish::Published;
use crate::date::Lang;
use crate::error::Result;
use crate::record::{party, privacy};
use crate::store::{registry, Reader};
use crate::vocabulary::RecordKind;

/// Which published text names a private party.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum PublishedText {
    CaseTitle,
    Summary,
    /// The title of a chronology entry.
    EntryTitle,
    /// An event's description.
    Description,
    /// How a statement of an entry was obtained (its attribution's "how").
    How,
    SourceTitle,
    Publisher,
}

/// A private party named in a published text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PrivateName {
    /// The party's name.
    pub party: String,
    /// The words found: its name or one of its aliases.
    pub found: String,
    pub place: PublishedText,
    /// The entry or source the text belongs to, by its title; empty for the case's own texts.
    pub within: String,
    /// The record whose text it is (the case's own id for its title and summary).
    pub record_id: String,
}

impl PrivateName {
    /// Where the name was found, in English, for the CLI's warnings and its refusal.
    pub fn describe(&self) -> String {
        let whom = if self.found == self.party {
            format!("the private party '{}'", self.party)
        } else {
            format!("the private party '{}' (as '{}')", self.party, self.found)
        };
        let place = match self.place {
            PublishedText::CaseTitle => "the case's title".to_string(),
            PublishedText::Summary => "the case summary".to_string(),
            PublishedText::EntryTitle => format!("the title of the entry “{}”", self.within),
            PublishedText::Description => format!("the description of “{}”", self.within),
            PublishedText::How => format!("how “{}” was obtained (its attribution)", self.within),
            PublishedText::SourceTitle => format!("the title of the source “{}”", self.within),
            PublishedText::Publisher => format!("the publisher of the source “{}”", self.within),
        };
        format!("{whom} is named in {place}")
    }
}

/// Every private party named in a text that a publish export of the case would show, in the order
/// the site shows them (the case, its chronology, its sources), each (party, words, text) once.
pub fn private_names(db: &Reader, case: &str) -> Result<Vec<PrivateName>> {
    let needles = private_parties(db)?;
    if needles.is_empty() {
        return Ok(Vec::new());
    }
    let p = Published::read(db, case, Lang::En)?;
    let mut texts: Vec<(PublishedText, &str, &str, &str)> = vec![
        (PublishedText::CaseTitle, &p.case.id, "", &p.case.title),
        (PublishedText::Summary, &p.case.id, "", &p.case.summary),
    ];
    for item in &p.items {
        let e = &item.entry;
        texts.push((PublishedText::EntryTitle, &e.record_id, &e.title, &e.title));
        if let Some(d) = &item.description {
            texts.push((PublishedText::Description, &e.record_id, &e.title, d));
        }
        for a in &e.attribution {
            texts.push((PublishedText::How, &e.record_id, &e.title, &a.how));
        }
    }
    for s in &p.sources {
        texts.push((PublishedText::SourceTitle, &s.id, &s.title, &s.title));
        if let Some(publisher) = &s.publisher {
            texts.push((PublishedText::Publisher, &s.id, &s.title, publisher));
        }
    }

    let mut seen = HashSet::new();
    let mut found = Vec::new();
    for (place, record_id, within, text) in texts {
        let text = text.to_lowercase();
        for (party, words) in &needles {
            if names(&text, &words.to_lowercase()) && seen.insert((place, record_id, party.as_str(), words.as_str())) {
                found.push(PrivateName {
                    party: party.clone(),
                    found: words.clone(),
                    place,
                    within: within.to_string(),
                    record_id: record_id.to_string(),
                });
            }
        }
    }
    Ok(found)
}

/// (name, words) for every name and alias of every private party.
fn private_parties(db: &Reader) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for id in privacy::private_ids(db)? {
        // Any private record but a party is not a name.
        if registry::kind_of(db, &id)? != Some(RecordKind::Party) {
            continue;
        }
        let p = party::get(db, &id)?;
        for words in std::iter::once(&p.name).chain(&p.aliases) {
            if !words.trim().is_empty() {
                out.push((p.name.clone(), words.trim().to_string()));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Whether `text` holds `words` as whole words (both already lower-case).
fn names(text: &str, words: &str) -> bool {
    text.match_indices(words).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + words.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::names;

    #[test]
    fn a_name_is_found_as_whole_words_only() {
        assert!(names("memo from jane whistle's mailbox", "jane whistle"));
        assert!(names("(al) said so", "al"));
        assert!(!names("alleged by al-", "all"));
        assert!(!names("the alleged breach", "al"));
    }
}
