//! What every section of a report refers to, read once before the first is built: the case, its
//! parties, how its evidence is numbered and what each piece supports, where each letter sits in the
//! correspondence. The records a section lays out one by one (timeline entries, letters,
//! allegations) are read by that section as it is built, a page or a record at a time, so a report of
//! any size is built with little of it in memory.

use std::collections::{HashMap, HashSet};

use crate::date::{FuzzyDate, Lang};
use crate::error::Result;
use crate::record::{agreement, allegation, case, evidence, letter, party, role};
use crate::store::Reader;
use crate::transfer::export::ReportOptions;
use crate::view::timeline;
use crate::vocabulary::ReportSection;

pub(in crate::transfer::export) struct Basis {
    pub case: case::Case,
    /// The sections to show, in order.
    pub sections: Vec<ReportSection>,
    /// What a piece of evidence is called before its number: "E" (E1), or "Exhibit " (Exhibit 1).
    prefix: &'static str,
    /// Parties with a role in the case, in role order, each once, with all their roles.
    pub cast: Vec<(party::Party, Vec<role::CaseRole>)>,
    pub roles: Vec<role::CaseRole>,
    /// The chronology's entries: which, and how many.
    pub filter: timeline::Filter,
    pub entries: u64,
    pub agreements: Vec<agreement::Agreement>,
    pub allegations: Vec<String>,
    /// Every letter (id, depth) in thread order, and each one's position (from 1) and subject.
    pub threads: Vec<(String, u32)>,
    letters: HashMap<String, (usize, String)>,
    /// The evidence in the order it is numbered.
    pub evidence: Vec<evidence::Evidence>,
    /// For each record id, the evidence that supports it: (evidence number, pinpoint).
    pub sources: HashMap<String, Vec<(usize, String)>>,
}

impl Basis {
    pub(super) fn read(db: &Reader, key: &str, options: &ReportOptions, lang: Lang) -> Result<Basis> {
        let case = case::get(db, key)?;
        let filter = options.filter();
        let roles = role::roles(db, &case.id)?;
        let mut cast: Vec<(party::Party, Vec<role::CaseRole>)> = Vec::new();
        for role in &roles {
            match cast.iter_mut().find(|(p, _)| p.id == role.party_id) {
                Some((_, rs)) => rs.push(role.clone()),
                None => cast.push((party::get(db, &role.party_id)?, vec![role.clone()])),
            }
        }
        let mut evidence = evidence::list(db, &case.id)?;
        if options.exhibits {
            // Exhibits are numbered over the whole chronology, whatever the report shows of it.
            evidence = chronological(db, &case.id, evidence)?;
        }
        let mut sources: HashMap<String, Vec<(usize, String)>> = HashMap::new();
        for (i, e) in evidence.iter().enumerate() {
            for l in &e.links {
                sources.entry(l.record_id.clone()).or_default().push((i + 1, l.pinpoint.clone()));
            }
        }
        for list in sources.values_mut() {
            list.sort();
        }
        let threads = letter::thread_order(db, &case.id)?;
        let mut subjects: HashMap<String, String> = db
            .all("SELECT id, subject FROM letter WHERE case_id = ?1", [&case.id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .into_iter()
            .collect();
        let letters = threads
            .iter()
            .enumerate()
            .map(|(i, (id, _))| (id.clone(), (i + 1, subjects.remove(id).unwrap_or_default())))
            .collect();
        let allegations = allegation::ids(db, &case.id)?;
        Ok(Basis {
            sections: options.sections()?,
            prefix: match (options.exhibits, lang) {
                (false, _) => "E",
                (true, Lang::En) => "Exhibit ",
                (true, Lang::Fr) => "Pièce ",
            },
            entries: timeline::outline(db, &case.id, &filter)?.total as u64,
            filter,
            agreements: agreement::list(db, &case.id)?,
            allegations,
            threads,
            letters,
            cast,
            roles,
            evidence,
            sources,
            case,
        })
    }

    /// What the report calls the evidence numbered `n`: "E3" or "Exhibit 3".
    pub fn cite(&self, n: usize) -> String {
        format!("{}{n}", self.prefix)
    }

    pub fn letter_subject(&self, id: &str) -> Option<&str> {
        self.letters.get(id).map(|(_, subject)| subject.as_str())
    }

    /// The `#letter-N` anchor of a letter in the correspondence (its position, from 1).
    pub fn letter_anchor(&self, id: &str) -> Option<String> {
        self.letters.get(id).map(|(n, _)| format!("#letter-{n}"))
    }
}

/// Evidence in chronological order, for an exhibit list: by its own date when it has one, else by
/// the earliest entry of the whole chronology it supports; evidence with neither comes last. Ties
/// keep the index's order (by title). The chronology is read a page at a time, keeping only the
/// earliest date of each record some evidence supports.
fn chronological(db: &Reader, case_id: &str, evidence: Vec<evidence::Evidence>) -> Result<Vec<evidence::Evidence>> {
    let linked: HashSet<&str> = evidence.iter().flat_map(|e| &e.links).map(|l| l.record_id.as_str()).collect();
    let mut earliest: HashMap<String, i64> = HashMap::new();
    let mut after: Option<String> = None;
    loop {
        let page = timeline::page(db, case_id, &timeline::Filter::default(), after.as_deref(), timeline::MAX_PAGE)?;
        for x in page.entries.iter().filter(|x| linked.contains(x.record_id.as_str())) {
            if let Ok(at) = FuzzyDate::parse(&x.date).map(|d| d.sort_key()) {
                let first = earliest.entry(x.record_id.clone()).or_insert(at);
                *first = (*first).min(at);
            }
        }
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    let when = |e: &evidence::Evidence| -> Option<i64> {
        let own = e.date.as_deref().and_then(|d| FuzzyDate::parse(d).ok()).map(|d| d.sort_key());
        own.or_else(|| e.links.iter().filter_map(|l| earliest.get(&l.record_id).copied()).min())
    };
    let mut keyed: Vec<(Option<i64>, usize, evidence::Evidence)> =
        evidence.into_iter().enumerate().map(|(i, e)| (when(&e), i, e)).collect();
    keyed.sort_by_key(|(at, i, _)| (at.is_none(), *at, *i));
    Ok(keyed.into_iter().map(|(_, _, e)| e).collect())
}
