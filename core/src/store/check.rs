//! `check`: whether the record is as Dossier wrote it. It verifies the SQLite file, walks the change
//! log (each entry's hash and link), compares its head with an anchor kept outside the database,
//! rebuilds every record from the last image the log holds of it and compares that with the tables,
//! and reads every evidence file back against its SHA-256. Each problem names what it concerns and
//! what differs; nothing is changed.

use std::collections::HashMap;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::anchor::Anchor;
use super::blobs::BlobState;
use super::change_log::{self, Entry};
use super::images::{self, Image};
use super::Store;
use crate::error::Result;

/// Most problems listed of one kind; the report says how many more there were.
const MAX_LISTED: usize = 200;

/// What `check` found.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct CheckReport {
    /// Entries in the change log.
    pub entries: usize,
    /// Records in the tables.
    pub records: usize,
    /// Evidence files read back.
    pub files: usize,
    /// The head of the log now: keep it elsewhere to check against later.
    pub head: Anchor,
    /// The anchor the head was compared with, if there was one.
    pub anchor: Option<Anchor>,
    pub problems: Vec<Problem>,
    /// Problems found beyond those listed.
    pub unlisted: usize,
}

impl CheckReport {
    pub fn is_sound(&self) -> bool {
        self.problems.is_empty()
    }
}

/// One thing that is not as Dossier wrote it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Problem {
    /// `database`, `log`, `anchor`, `record` or `file`.
    pub area: String,
    /// What it concerns: a record id, an entry number, a file's SHA-256.
    pub subject: String,
    /// What was found, in one line.
    pub message: String,
}

struct Findings {
    problems: Vec<Problem>,
    unlisted: usize,
}

impl Findings {
    fn add(&mut self, area: &str, subject: impl Into<String>, message: impl Into<String>) {
        if self.problems.iter().filter(|p| p.area == area).count() >= MAX_LISTED {
            self.unlisted += 1;
            return;
        }
        self.problems.push(Problem { area: area.into(), subject: subject.into(), message: message.into() });
    }
}

/// Where a record stands in the log: the entry of its last image, and that image's hash (`None` once
/// the record was deleted).
type Logged = HashMap<String, (i64, Option<[u8; 32]>)>;

fn digest(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

/// Checks the record. `anchor`: the head to compare the log with (one kept elsewhere); by default the
/// one kept beside the database.
pub fn check(store: &Store, anchor: Option<Anchor>) -> Result<CheckReport> {
    let db = store.reader();
    let mut found = Findings { problems: Vec::new(), unlisted: 0 };

    let integrity = db.strings("PRAGMA integrity_check", [])?;
    if integrity != ["ok"] {
        for line in integrity {
            found.add("database", "integrity_check", line);
        }
    }
    for (table, parent) in
        db.all("PRAGMA foreign_key_check", [], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(2)?)))?
    {
        found.add("database", table.clone(), format!("a row of {table} names a row of {parent} that is not there"));
    }

    let (entries, logged) = walk_log(db, &mut found)?;
    let head = store.head()?;
    let anchor = match anchor {
        Some(a) => Some(a),
        None => store.path().map(super::anchor::load).transpose()?.flatten(),
    };
    if let Some(a) = &anchor {
        compare_anchor(db, a, &head, &mut found)?;
    }
    let records = compare_records(db, &logged, &mut found)?;
    let files = check_files(store, &mut found)?;
    Ok(CheckReport { entries, records, files, head, anchor, problems: found.problems, unlisted: found.unlisted })
}

/// Verifies every entry's hash and link, and gathers the last image of every record.
fn walk_log(db: &super::Reader, found: &mut Findings) -> Result<(usize, Logged)> {
    let mut prev = change_log::genesis().to_string();
    let mut expected_seq = 1;
    let mut count = 0;
    let mut logged: Logged = HashMap::new();
    change_log::each(db, |entry: Entry| {
        count += 1;
        if entry.seq != expected_seq {
            found.add(
                "log",
                entry.seq.to_string(),
                format!("entries {expected_seq} to {} are missing from the change log", entry.seq - 1),
            );
        }
        if let Some(reason) = change_log::problem(&entry, &prev) {
            found.add(
                "log",
                entry.seq.to_string(),
                format!("change-log entry {} ({}): {reason}", entry.seq, entry.action),
            );
        }
        if let Some(text) = &entry.images {
            match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text) {
                Ok(images) => {
                    for (id, slot) in images {
                        let after = slot.get("after").filter(|v| !v.is_null());
                        logged.insert(id, (entry.seq, after.map(|v| digest(&v.to_string()))));
                    }
                }
                Err(e) => found.add(
                    "log",
                    entry.seq.to_string(),
                    format!("entry {}: its images cannot be read: {e}", entry.seq),
                ),
            }
        }
        expected_seq = entry.seq + 1;
        prev = entry.hash;
        Ok(())
    })?;
    Ok((count, logged))
}

/// Compares the log's head with an anchor seen before: a log that ends before the anchor lost its
/// last entries; one whose entry at the anchor is not the anchor's was rewritten.
fn compare_anchor(db: &super::Reader, a: &Anchor, head: &Anchor, found: &mut Findings) -> Result<()> {
    if a.seq > head.seq {
        found.add(
            "anchor",
            a.seq.to_string(),
            format!(
                "the change log ends at entry {} but entry {} was seen before (anchor {a}): the last {} entries were removed",
                head.seq,
                a.seq,
                a.seq - head.seq
            ),
        );
        return Ok(());
    }
    match change_log::entry(db, a.seq)? {
        Some(entry) if entry.hash == a.hash => {}
        Some(entry) => found.add(
            "anchor",
            a.seq.to_string(),
            format!(
                "change-log entry {} is not the one seen before (its hash was {}, it is {}): the log was rewritten",
                a.seq, a.hash, entry.hash
            ),
        ),
        None if a.seq == 0 => {}
        None => {
            found.add("anchor", a.seq.to_string(), format!("change-log entry {} was seen before and is missing", a.seq))
        }
    }
    Ok(())
}

/// A record named for a message: its kind and title.
fn described(image: &Image, id: &str) -> String {
    let title = ["title", "subject", "summary", "name", "reference", "stance"]
        .iter()
        .find_map(|c| image.field(c).and_then(|v| v.as_str()))
        .unwrap_or("");
    format!("{} '{}' ({id})", image.kind, crate::input::shorten(title))
}

/// Compares every record in the tables with the last image the log holds of it.
fn compare_records(db: &super::Reader, logged: &Logged, found: &mut Findings) -> Result<usize> {
    let ids = db.strings("SELECT id FROM record ORDER BY id", [])?;
    let images_kept = !logged.is_empty();
    for id in &ids {
        let Some(now) = images::current(db, id)? else { continue };
        match logged.get(id) {
            None if images_kept => found.add(
                "record",
                id.clone(),
                format!("{} is in the tables, but no write of Dossier made it", described(&now, id)),
            ),
            None => {}
            Some((seq, None)) => found.add(
                "record",
                id.clone(),
                format!("{} was deleted by change-log entry {seq}, but is in the tables", described(&now, id)),
            ),
            Some((seq, Some(hash))) if *hash != digest(&now.to_json().to_string()) => {
                let before = logged_image(db, *seq, id)?;
                let what = match &before {
                    Some(before) => images::differences(before, &now).join("; "),
                    None => "its last image cannot be read".to_string(),
                };
                found.add(
                    "record",
                    id.clone(),
                    format!("{} differs from what change-log entry {seq} wrote: {what}", described(&now, id)),
                );
            }
            Some(_) => {}
        }
    }
    let present: std::collections::HashSet<&String> = ids.iter().collect();
    let mut missing: Vec<(&String, &i64)> = logged
        .iter()
        .filter(|(id, (_, hash))| hash.is_some() && !present.contains(id))
        .map(|(id, (seq, _))| (id, seq))
        .collect();
    missing.sort();
    for (id, seq) in missing {
        let what = logged_image(db, *seq, id)?.map(|i| described(&i, id)).unwrap_or_else(|| format!("record {id}"));
        found.add(
            "record",
            id.clone(),
            format!("{what}, written by change-log entry {seq}, is missing from the tables"),
        );
    }
    Ok(ids.len())
}

/// The image entry `seq` holds of the record `id`.
fn logged_image(db: &super::Reader, seq: i64, id: &str) -> Result<Option<Image>> {
    let Some(entry) = change_log::entry(db, seq)? else { return Ok(None) };
    let value = entry
        .images
        .as_deref()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
        .and_then(|v| v.get(id).and_then(|slot| slot.get("after")).cloned())
        .filter(|v| !v.is_null());
    value.map(|v| Image::from_json(&v)).transpose()
}

/// Reads every evidence file back: each must be there and hash to its SHA-256.
fn check_files(store: &Store, found: &mut Findings) -> Result<usize> {
    let files: Vec<(String, String)> = store.reader().all(
        "SELECT sha256, group_concat('''' || title || '''', ', ') FROM evidence WHERE sha256 IS NOT NULL
          GROUP BY sha256 ORDER BY sha256",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    for (sha, titles) in &files {
        match store.blobs().state(sha)? {
            BlobState::Intact => {}
            BlobState::Missing => {
                found.add("file", sha.clone(), format!("the evidence file of {titles} ({sha}) is missing"))
            }
            BlobState::Altered(why) => {
                found.add("file", sha.clone(), format!("the evidence file of {titles} ({sha}) was altered: {why}"))
            }
        }
    }
    Ok(files.len())
}
