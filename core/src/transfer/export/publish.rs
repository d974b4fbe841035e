//! What a publish export (the static site, TimelineJS) may show, read once: the chronology without the
//! private records, and with no trace of them. An entry of a private record is left out (a private
//! letter takes its deadline with it); a private party is named nowhere (dropped from an entry's
//! parties, and shown as a withheld source in an attribution); a private piece of evidence is not a
//! source. What a publish export never carries, private or not: letter bodies, notes on evidence, file
//! names and the change log. The case summary is published as written: it is the case's public face.

use std::collections::{HashMap, HashSet};

use crate::date::Lang;
use crate::error::Result;
use crate::record::attribution::Attribution;
use crate::record::{case, evidence, party, privacy};
use crate::store::{registry, Reader};
use crate::view::timeline;
use crate::vocabulary::RecordKind;

use super::{event_descriptions, is_web_url};

/// A source as published: a piece of evidence that is not private.
pub(super) struct Source {
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
        let private = privacy::private_ids(db)?;
        let mut hidden_names = HashSet::new();
        for id in &private {
            if registry::kind_of(db, id)? == Some(RecordKind::Party) {
                hidden_names.insert(party::get(db, id)?.name);
            }
        }

        let mut sources = Vec::new();
        let mut cited: HashMap<String, Vec<(usize, String)>> = HashMap::new();
        for e in evidence::list(db, &case.id)?.into_iter().filter(|e| !private.contains(&e.id)) {
            sources.push(Source {
                title: e.title.clone(),
                publisher: e.publisher.clone().filter(|p| !p.trim().is_empty()),
                url: e.url.clone().filter(|u| is_web_url(u)),
                date: e.date.clone(),
            });
            let n = sources.len();
            for link in e.links.iter().filter(|l| !private.contains(&l.record_id)) {
                cited.entry(link.record_id.clone()).or_default().push((n, link.pinpoint.clone()));
            }
        }
        let descriptions = event_descriptions(db, &case.id)?;

        let items = timeline::all(db, &case.id, &timeline::Filter::default())?
            .into_iter()
            .filter(|e| !private.contains(&e.record_id))
            .map(|mut entry| {
                entry.parties.retain(|name| !hidden_names.contains(name));
                for a in &mut entry.attribution {
                    withhold(a, &private, lang);
                }
                let mut sources = cited.get(&entry.record_id).cloned().unwrap_or_default();
                sources.sort();
                Item { description: descriptions.get(&entry.record_id).cloned(), sources, entry }
            })
            .collect();
        Ok(Published { case, items, sources })
    }
}

/// Replaces a private party in an attribution by words that name no one.
fn withhold(a: &mut Attribution, private: &HashSet<String>, lang: Lang) {
    if a.asserted_by_id.as_ref().is_some_and(|id| private.contains(id)) {
        a.asserted_by_id = None;
        a.asserted_by = Some(withheld(lang).to_string());
    }
    if a.reported_by_id.as_ref().is_some_and(|id| private.contains(id)) {
        a.reported_by_id = None;
        a.reported_by = Some(withheld(lang).to_string());
    }
}
