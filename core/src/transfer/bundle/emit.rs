//! Writing a bundle as a stream: each record is read, written and dropped in turn, so a case of any
//! size is exported in the memory of its ids and its evidence links. The bytes are those
//! `serde_json`'s pretty printer gives for the whole bundle (two spaces a level, one field a line), so
//! a bundle still reads as before, diffs line by line, and two exports of the same record are equal.

use std::collections::BTreeSet;
use std::io::Write;

use serde::Serialize;

use super::read::{self, RECORD_SECTIONS};
use super::refs::{each_ref, PARTY};
use super::schema::*;
use super::{Contents, FORMAT, VERSION};
use crate::error::{Error, Result};
use crate::record::{case, party, privacy, privilege};
use crate::store::change_log;
use crate::store::registry;
use crate::store::Reader;
use crate::vocabulary::RecordKind;

/// Writes the bundle of the case `key` (slug or id) carrying `contents` to `out`. Returns the SHA-256
/// of every evidence file it names, once each, in order.
pub(super) fn bundle(db: &Reader, key: &str, contents: Contents, out: &mut dyn Write) -> Result<Vec<String>> {
    let case_id = case::resolve(db, key)?;
    let (seq, hash) = change_log::head(db)?;
    let case = read::case(db, &case_id)?;
    let mut json = Json { out, fields: 0, items: 0, pending: None };
    json.field("format", &FORMAT)?;
    json.field("version", &VERSION)?;
    json.field("anchor", &format!("{seq}:{hash}"))?;
    // Parties belong to no case: the bundle carries every party a record of the case names, and the
    // organisations those people are affiliated with, so that it is complete on its own. Finding them
    // reads the case's records once before they are written.
    let parties = named_parties(db, &case_id, Item::Case(case.clone()))?;
    json.field("case", &case)?;
    json.open("parties")?;
    for id in &parties {
        json.item(&read::party(db, id)?)?;
    }
    json.close()?;
    // Every record, for the private list and the history, which list them by id.
    let mut ids: BTreeSet<String> = parties.into_iter().collect();
    ids.insert(case_id.clone());
    let mut links: Vec<LinkRec> = Vec::new();
    let mut files = Vec::new();
    for (section, kind) in RECORD_SECTIONS {
        json.open(section.key())?;
        for id in registry::ids_of_kind(db, kind, &case_id)? {
            let (item, its_links) = read::item(db, kind, &id)?;
            links.extend(its_links);
            match &item {
                Item::Agreement(a) => ids.extend(a.clauses.iter().map(|c| c.id.clone())),
                Item::Evidence(e) => {
                    if let Some(sha) = e.sha256.as_ref().filter(|sha| !files.contains(*sha)) {
                        files.push(sha.clone());
                    }
                }
                _ => {}
            }
            write_item(&mut json, &item)?;
            ids.insert(id);
        }
        json.close()?;
    }
    links.sort_by(|a, b| (&a.evidence, &a.record, &a.pinpoint).cmp(&(&b.evidence, &b.record, &b.pinpoint)));
    json.open("links")?;
    for l in &links {
        json.item(l)?;
    }
    json.close()?;
    json.open_if_any("private");
    for id in &ids {
        if privacy::is_private(db, id)? {
            json.item(id)?;
        }
    }
    json.close()?;
    json.open_if_any("privileged");
    for id in &ids {
        if let Some(p) = privilege::get(db, id)? {
            json.item(&PrivilegedRec { record: id.clone(), basis: p.basis.to_string(), description: p.description })?;
        }
    }
    json.close()?;
    if contents.history {
        let here = change_log::origin(db)?.unwrap_or_default();
        let histories = crate::view::history::Histories::new(db)?;
        json.open_if_any("history");
        for id in &ids {
            for h in read::history(db, &histories, id, &here, contents.actors)? {
                json.item(&h)?;
            }
        }
        json.close()?;
    }
    json.end()?;
    Ok(files)
}

fn write_item(json: &mut Json<'_>, item: &Item) -> Result<()> {
    match item {
        Item::Agreement(r) => json.item(r),
        Item::Letter(r) => json.item(r),
        Item::Event(r) => json.item(r),
        Item::Allegation(r) => json.item(r),
        Item::Response(r) => json.item(r),
        Item::Evidence(r) => json.item(r),
        _ => Err(Error::internal("only records are written by kind")),
    }
}

/// Every party the case's records name (its roles, each record's parties and attributions, the
/// records its evidence is linked to) and, in turn, the organisations those parties are affiliated
/// with, by id.
fn named_parties(db: &Reader, case_id: &str, case: Item) -> Result<Vec<String>> {
    let mut wanted = BTreeSet::new();
    let mut note = |item: &Item| {
        each_ref(item, &mut |r| {
            if r.kinds == PARTY {
                wanted.insert(r.id.to_string());
            }
            Ok(())
        })
    };
    note(&case)?;
    let mut linked = Vec::new();
    for (_, kind) in RECORD_SECTIONS {
        for id in registry::ids_of_kind(db, kind, case_id)? {
            let (item, links) = read::item(db, kind, &id)?;
            note(&item)?;
            linked.extend(links.into_iter().map(|l| l.record));
        }
    }
    for id in linked {
        if registry::kind_of(db, &id)? == Some(RecordKind::Party) {
            wanted.insert(id);
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
    Ok(wanted.into_iter().collect())
}

/// The bundle's one JSON object, written a field and a list item at a time, laid out as
/// `serde_json::to_string_pretty` lays out the whole.
struct Json<'a> {
    out: &'a mut dyn Write,
    /// Fields written so far.
    fields: usize,
    /// Items of the list being written.
    items: usize,
    /// The key of a list left out when empty, waiting for its first item.
    pending: Option<&'static str>,
}

impl Json<'_> {
    fn write(&mut self, text: &str) -> Result<()> {
        self.out.write_all(text.as_bytes()).map_err(|e| Error::io("the bundle", e))
    }

    /// `value`, pretty-printed, each line after the first indented by `indent`.
    fn pretty(&mut self, value: &impl Serialize, indent: &str) -> Result<()> {
        let text = serde_json::to_string_pretty(value)
            .map_err(|e| Error::internal(format!("the bundle cannot be written as JSON: {e}")))?;
        self.write(&text.replace('\n', &format!("\n{indent}")))
    }

    fn key(&mut self, key: &str) -> Result<()> {
        let lead = if self.fields == 0 { "{\n  " } else { ",\n  " };
        self.fields += 1;
        self.write(&format!("{lead}\"{key}\": "))
    }

    fn field(&mut self, key: &str, value: &impl Serialize) -> Result<()> {
        self.key(key)?;
        self.pretty(value, "  ")
    }

    /// Opens the list `key`, written `[]` when it gets no item.
    fn open(&mut self, key: &str) -> Result<()> {
        self.key(key)?;
        self.items = 0;
        self.write("[")
    }

    /// Opens the list `key`, left out unless it gets an item.
    fn open_if_any(&mut self, key: &'static str) {
        self.items = 0;
        self.pending = Some(key);
    }

    fn item(&mut self, value: &impl Serialize) -> Result<()> {
        if let Some(key) = self.pending.take() {
            self.open(key)?;
        }
        self.write(if self.items == 0 { "\n    " } else { ",\n    " })?;
        self.items += 1;
        self.pretty(value, "    ")
    }

    fn close(&mut self) -> Result<()> {
        if self.pending.take().is_some() {
            return Ok(());
        }
        self.write(if self.items == 0 { "]" } else { "\n  ]" })
    }

    fn end(&mut self) -> Result<()> {
        self.write("\n}\n")
    }
}
