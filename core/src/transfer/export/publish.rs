//! What a publish export (the static site, TimelineJS) may show, read once: the chronology without the
//! private records, and with no trace of them. What is left out:
//!
//! - a private record's entries (a private letter takes its deadline with it, a private allegation its
//!   status changes);
//! - what answers a private record and would give it away: a response whose every allegation is held
//!   back or that a held-back letter carries, and a letter replying to a held-back letter (so a reply
//!   to a reply to a private letter goes too: its subject and its thread lead back to it);
//! - evidence whose every link is to a held-back record, as a source and as an entry of its own;
//! - a private party's name: dropped from an entry's parties, and shown as a withheld source in an
//!   attribution.
//!
//! Only evidence that a published entry cites is listed as a source (a dated piece of evidence cites
//! itself from its own entry). What a publish export never carries, private or not: letter bodies,
//! notes on evidence, file names and the change log. The case summary is published as written: it is
//! the case's public face, and [`super::named`] warns when it, or any other published text, names a
//! private party.

use std::collections::{HashMap, HashSet};

use crate::date::Lang;
use crate::error::Result;
use crate::record::{case, evidence, letter, party, privacy, response};
use crate::store::{registry, Reader};
use crate::view::timeline;
use crate::vocabulary::RecordKind;

use super::{event_descriptions, is_web_url};

/// A source as published: a piece of evidence a published entry cites.
pub(super) struct Source {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) publisher: Option<String>,
    /// Only an http(s) address; anything else is not published.
    pub(super) url: Option<String>,
    pub(super) date: Option<String>,
}

/// One chronology entry as published.
pub(super) struct Item {
    pub(super) entry: timeline::Entry,
    /// An event's description (Markdown), if any.
    pub(super) description: Option<String>,
    /// The sources of the entry's record: (1-based source number, pinpoint).
    pub(super) sources: Vec<(usize, String)>,
}

pub(super) struct Published {
    pub(super) case: case::Case,
    pub(super) items: Vec<Item>,
    pub(super) sources: Vec<Source>,
}

/// What stands for a party that is private, where an attribution names one.
pub(super) fn withheld(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "a source who is not named",
        Lang::Fr => "une source non nommée",
    }
}

impl Published {
    pub(super) fn read(db: &Reader, key: &str, lang: Lang) -> Result<Published> {
        let case = case::get(db, key)?;
        // A privileged record is held back as a private one is.
        let mut private = privacy::private_ids(db)?;
        private.extend(crate::record::privilege::privileged_ids(db)?);
        let mut hidden_names = HashSet::new();
        for id in &private {
            if registry::kind_of(db, id)? == Some(RecordKind::Party) {
                hidden_names.insert(party::get(db, id)?.name);
            }
        }
        let evidence = evidence::list(db, &case.id)?;
        let mut held = held_back(db, &case.id, &private)?;
        // Evidence that only supports what is held back would tell of it: it is held back too.
        for e in &evidence {
            if !e.links.is_empty() && e.links.iter().all(|l| held.contains(&l.record_id)) {
                held.insert(e.id.clone());
            }
        }

        let entries: Vec<timeline::Entry> = timeline::all(db, &case.id, &timeline::Filter::default())?
            .into_iter()
            .filter(|e| !held.contains(&e.record_id))
            .collect();
        let published: HashSet<&str> = entries.iter().map(|e| e.record_id.as_str()).collect();
        let (sources, cited) = cited_sources(&evidence, &held, &published);
        let descriptions = event_descriptions(db, &case.id)?;

        let items = entries
            .into_iter()
            .map(|mut entry| {
                entry.parties.retain(|name| !hidden_names.contains(name));
                for a in &mut entry.attribution {
                    a.withhold(|id| private.contains(id), withheld(lang));
                }
                let mut sources = cited.get(&entry.record_id).cloned().unwrap_or_default();
                sources.sort();
                Item { description: descriptions.get(&entry.record_id).cloned(), sources, entry }
            })
            .collect();
        Ok(Published { case, items, sources })
    }
}

/// The records of a case held back from publishing: the private ones and those that answer them (see
/// the module's comment). Parties are among them, since they are private for every case.
fn held_back(db: &Reader, case_id: &str, private: &HashSet<String>) -> Result<HashSet<String>> {
    let mut held = private.clone();
    let letters = letter::list(db, case_id)?;
    let parent: HashMap<&str, &str> =
        letters.iter().filter_map(|l| l.in_reply_to.as_deref().map(|p| (l.id.as_str(), p))).collect();
    for l in &letters {
        // Up the thread, at most once per letter, so a cycle a bundle might hold cannot loop.
        let mut at = l.id.as_str();
        for _ in 0..letters.len() {
            let Some(&up) = parent.get(at) else { break };
            if private.contains(up) {
                held.insert(l.id.clone());
                break;
            }
            at = up;
        }
    }
    for r in response::list(db, case_id)? {
        let answers_held = !r.allegations.is_empty() && r.allegations.iter().all(|a| held.contains(a));
        let carried_by_held = r.letter_id.as_ref().is_some_and(|l| held.contains(l));
        if answers_held || carried_by_held {
            held.insert(r.id);
        }
    }
    Ok(held)
}

/// Each record's sources by number and pinpoint.
type Cited = HashMap<String, Vec<(usize, String)>>;

/// The sources a published entry cites, numbered in the order of the evidence list, and what each
/// published record cites. Evidence cited only by records that are not entries (a party) is not listed.
fn cited_sources(
    evidence: &[evidence::Evidence],
    held: &HashSet<String>,
    published: &HashSet<&str>,
) -> (Vec<Source>, Cited) {
    let mut sources = Vec::new();
    let mut cited: Cited = HashMap::new();
    for e in evidence.iter().filter(|e| !held.contains(&e.id)) {
        let links: Vec<_> = e.links.iter().filter(|l| published.contains(l.record_id.as_str())).collect();
        let own_entry = published.contains(e.id.as_str());
        if links.is_empty() && !own_entry {
            continue;
        }
        sources.push(Source {
            id: e.id.clone(),
            title: e.title.clone(),
            publisher: e.publisher.clone().filter(|p| !p.trim().is_empty()),
            url: e.url.clone().filter(|u| is_web_url(u)),
            date: e.date.clone(),
        });
        let n = sources.len();
        for link in links {
            cited.entry(link.record_id.clone()).or_default().push((n, link.pinpoint.clone()));
        }
        if own_entry {
            cited.entry(e.id.clone()).or_default().push((n, String::new()));
        }
    }
    (sources, cited)
}
