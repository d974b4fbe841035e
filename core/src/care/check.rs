//! `check`: whether the record is as Dossier wrote it. It verifies the SQLite file, walks the change
//! log (each entry's hash, link, seal and date), compares its head with the anchors kept outside the
//! database (beside it, and in this installation's folder), rebuilds every record from the last image
//! the log holds of it and compares that with the tables, recomputes the derived tables the reports
//! and the app read (timeline, parties, search, the log's index, documents' text) and compares them,
//! and reads every evidence file back against its SHA-256. Each problem names what it concerns and
//! what differs. The one thing it changes: an anchor left behind the head (a write whose anchor could
//! not be saved), when every entry after it is sealed by this installation.

use std::collections::HashMap;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::care::erase::{self, ErasureNote};
use crate::error::Result;
use crate::store::anchor::{self as anchors, Anchor};
use crate::store::blobs::BlobState;
use crate::store::change_log::{self, Entry};
use crate::store::erasure::Erasures;
use crate::store::images::{self, Image};
use crate::store::log_key::Kept;
use crate::store::seal::{self, Sealed};
use crate::store::{derived, Reader, Store};

/// Most problems listed of one kind; the report says how many more there were.
const MAX_LISTED: usize = 200;

/// What `check` found.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
    /// What `check` put right (an anchor brought to the head), in sentences.
    #[serde(default)]
    pub repaired: Vec<String>,
    /// Whose seals the entries carry, and the key they were verified with.
    pub seals: Seals,
    /// The records erased (not a problem: an erasure is a logged act), oldest first.
    #[serde(default)]
    pub erasures: Vec<ErasureNote>,
    /// In a team space: evidence files another member sent that this device has not fetched (not
    /// missing: `dossier evidence fetch` brings them).
    #[serde(default)]
    pub unfetched: usize,
}

/// The seals of the change log's entries, counted by what they say.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Seals {
    /// The id of the key at hand (the database's own, or this installation's), if there is one.
    pub key: Option<String>,
    /// Where that key is kept.
    pub kept: Option<Kept>,
    /// Entries sealed with it, their seals verified.
    pub verified: usize,
    /// Entries sealed by another installation's key, which this one cannot verify.
    pub elsewhere: usize,
    /// Entries sealed with this installation's key when it could not be read (a locked keyring).
    pub unread: usize,
    /// Entries with no seal (written before Dossier sealed them, or outside Dossier).
    pub unsealed: usize,
}

impl CheckReport {
    pub fn is_sound(&self) -> bool {
        self.problems.is_empty()
    }
}

/// One thing that is not as Dossier wrote it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
/// ones kept beside the database and in this installation's folder.
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

    let log = walk_log(store, &mut found)?;
    let seals = count_seals(store, &log, &mut found);
    let head = store.head()?;
    let given = anchor.is_some();
    let anchors = match anchor {
        Some(a) => vec![a],
        None => match store.path() {
            Some(path) => [anchors::load(path)?, anchors::load_kept(path)?].into_iter().flatten().collect(),
            None => Vec::new(),
        },
    };
    for a in &anchors {
        compare_anchor(db, a, &head, &mut found)?;
        beyond_anchor(a, &head, &log, &mut found);
    }
    let mut repaired = Vec::new();
    if !given && store.path().is_some() {
        repair_anchor(store, &anchors, &head, &log, &mut found, &mut repaired)?;
    }
    compare_index(db, &log, &mut found)?;
    let records = compare_records(db, &log.logged, &mut found)?;
    // A record already named as differing from its log makes its derived rows differ too: one problem.
    let named: std::collections::HashSet<String> =
        found.problems.iter().filter(|p| p.area == "record").map(|p| p.subject.clone()).collect();
    for stale in derived::stale::stale(db, MAX_LISTED)? {
        if !named.contains(&stale.record) {
            found.add(stale.area, stale.record, stale.message);
        }
    }
    if let Some(key) = store.log_key() {
        for (sha, titles) in seal::altered_readings(db, key)? {
            found.add("file", sha.clone(), format!("the text kept of {titles} ({sha}) changed after it was read"));
        }
    }
    let files = check_files(store, &mut found)?;
    let anchor = anchors.into_iter().next();
    Ok(CheckReport {
        entries: log.entries,
        records,
        files,
        head,
        anchor,
        problems: found.problems,
        unlisted: found.unlisted,
        repaired,
        seals,
        erasures: erase::list(db)?,
        unfetched: crate::store::sync::files::unfetched(db)?.len(),
    })
}

/// What walking the log found, besides its problems.
struct Walked {
    entries: usize,
    logged: Logged,
    /// What each entry's seal says, by entry number (a log with entries missing keeps its numbers).
    sealed: HashMap<i64, Sealed>,
    /// Which entries hold an image of which record, as the images say.
    index: std::collections::HashSet<(String, i64)>,
}

impl Walked {
    fn sealed(&self, seq: i64) -> Sealed {
        self.sealed.get(&seq).copied().unwrap_or(Sealed::No)
    }
}

/// Verifies every entry's hash, link, seal and date, and gathers the last image of every record.
fn walk_log(store: &Store, found: &mut Findings) -> Result<Walked> {
    let db = store.reader();
    let seals = seal::all(db)?;
    let erasures = Erasures::read(db)?;
    let key = store.log_key();
    let unread = store.unread_log_key().and_then(|u| u.id());
    let mut prev = change_log::genesis().to_string();
    let mut prev_at = String::new();
    let mut expected_seq = 1;
    let mut walked = Walked { entries: 0, logged: HashMap::new(), sealed: HashMap::new(), index: Default::default() };
    let mut first_sealed: Option<i64> = None;
    change_log::each(db, |entry: Entry| {
        walked.entries += 1;
        if entry.seq != expected_seq {
            found.add(
                "log",
                entry.seq.to_string(),
                format!("entries {expected_seq} to {} are missing from the change log", entry.seq - 1),
            );
        }
        if let Some(reason) = change_log::problem(&entry, &prev, &erasures) {
            found.add(
                "log",
                entry.seq.to_string(),
                format!("change-log entry {} ({}): {reason}", entry.seq, entry.action),
            );
        }
        if entry.at < prev_at {
            found.add(
                "log",
                entry.seq.to_string(),
                format!(
                    "change-log entry {} ({}) is dated {}, before the entry ahead of it ({prev_at}): the log's time goes backwards",
                    entry.seq, entry.action, entry.at
                ),
            );
        }
        let sealed = seal::judge(seals.get(&entry.seq), &entry.hash, key, unread);
        match sealed {
            Sealed::Broken => found.add(
                "log",
                entry.seq.to_string(),
                format!("change-log entry {} ({}) does not match its seal: it was changed after it was written", entry.seq, entry.action),
            ),
            Sealed::No if first_sealed.is_some() => found.add(
                "log",
                entry.seq.to_string(),
                format!(
                    "change-log entry {} ({}, {} by {}) carries no seal, though Dossier sealed every entry since {}: it was added outside Dossier",
                    entry.seq,
                    entry.action,
                    entry.at,
                    entry.actor.as_deref().unwrap_or("no one"),
                    first_sealed.unwrap_or_default()
                ),
            ),
            _ => {}
        }
        if sealed != Sealed::No && first_sealed.is_none() {
            first_sealed = Some(entry.seq);
        }
        walked.sealed.insert(entry.seq, sealed);
        if let Some(text) = &entry.images {
            match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text) {
                Ok(images) => {
                    for (id, slot) in images {
                        let after = slot.get("after").filter(|v| !v.is_null());
                        walked.index.insert((id.clone(), entry.seq));
                        walked.logged.insert(id, (entry.seq, after.map(|v| digest(&v.to_string()))));
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
        prev_at = entry.at;
        Ok(())
    })?;
    Ok(walked)
}

/// Counts what the seals say; when this installation's key could not be read, says which seals were
/// not verified, and why, as one problem: `check` cannot say the record is as Dossier wrote it.
fn count_seals(store: &Store, log: &Walked, found: &mut Findings) -> Seals {
    let count = |which: Sealed| log.sealed.values().filter(|&&s| s == which).count();
    let seals = Seals {
        key: store.log_key().map(|k| k.id().to_string()),
        kept: store.log_key().map(seal::LogKey::kept),
        verified: count(Sealed::Verified),
        elsewhere: count(Sealed::Elsewhere),
        unread: count(Sealed::Unread),
        unsealed: count(Sealed::No),
    };
    if let Some(unread) = store.unread_log_key() {
        // A damaged `log.key` does not name its key: the entries it sealed look like another's.
        let entries = match (unread.id(), seals.unread) {
            (Some(_), 0) => None,
            (Some(_), 1) => Some("1 change-log entry is sealed with".to_string()),
            (Some(_), n) => Some(format!("{n} change-log entries are sealed with")),
            (None, _) => Some("the entries sealed with".to_string()),
        };
        if let Some(entries) = entries {
            found.add(
                "log",
                "key",
                format!(
                    "{entries} {}: their seals, and those of documents' text, could not be verified; check again {}",
                    unread.which(),
                    unread.when()
                ),
            );
        }
    }
    seals
}

/// Entries after an anchor are writes Dossier did not see when it last moved the anchor: fine when
/// this installation sealed them (the anchor could not be saved), a problem otherwise.
fn beyond_anchor(a: &Anchor, head: &Anchor, log: &Walked, found: &mut Findings) {
    let unseen: Vec<i64> = (a.seq + 1..=head.seq).filter(|&seq| log.sealed(seq) != Sealed::Verified).collect();
    let (Some(first), Some(last)) = (unseen.first(), unseen.last()) else { return };
    let all = |which: Sealed| unseen.iter().all(|&seq| log.sealed(seq) == which);
    let who = if all(Sealed::Elsewhere) {
        "sealed by another installation of Dossier, not this one"
    } else if all(Sealed::Unread) {
        "sealed with this installation's key, which could not be read: not verified"
    } else {
        "not sealed by this installation: written behind Dossier's back, or by a copy elsewhere"
    };
    let which =
        if first == last { format!("entry {first}") } else { format!("{} entries, {first} to {last},", unseen.len()) };
    found.add(
        "anchor",
        first.to_string(),
        format!("{which} came after the last write this installation saw (anchor {a}), {who}"),
    );
}

/// Brings the anchor beside the database to the head when it was left behind and every entry after
/// it is this installation's (or writes one when there is none and the whole log is); says so. With
/// no anchor at all and a log this installation cannot vouch for, that is a problem.
fn repair_anchor(
    store: &Store,
    anchors: &[Anchor],
    head: &Anchor,
    log: &Walked,
    found: &mut Findings,
    repaired: &mut Vec<String>,
) -> Result<()> {
    let ours = |from: i64| (from + 1..=head.seq).all(|seq| log.sealed(seq) == Sealed::Verified);
    let sound = found.problems.iter().all(|p| p.area != "anchor" && p.area != "log");
    match anchors.iter().map(|a| a.seq).min() {
        None if head.seq == 0 => {}
        None if ours(0) => {
            store.repair_anchor()?;
            repaired
                .push(format!("there was no anchor; every entry is sealed by this installation: anchored at {head}"));
        }
        None => found.add(
            "anchor",
            "none",
            "there is no anchor beside the database nor in this installation's folder to compare the change log with: \
             it may have been deleted to hide a rewritten log; compare with a head kept elsewhere (`--anchor`)",
        ),
        Some(seq) if seq < head.seq && sound && ours(seq) => {
            store.repair_anchor()?;
            repaired.push(format!(
                "the anchor was at entry {seq}, behind the log; the entries after it are sealed by this installation: moved to {head}"
            ));
        }
        Some(_) => {}
    }
    Ok(())
}

/// Compares the log's index of which entries hold an image of which record (read by `history` and
/// `--as-of`) with what the images say.
fn compare_index(db: &Reader, log: &Walked, found: &mut Findings) -> Result<()> {
    let kept: std::collections::HashSet<(String, i64)> = db
        .all("SELECT record_id, seq FROM change_log_record", [], |r| Ok((r.get(0)?, r.get(1)?)))?
        .into_iter()
        .collect();
    let mut missing: Vec<&(String, i64)> = log.index.difference(&kept).collect();
    missing.sort();
    for (id, seq) in missing {
        found.add(
            "log",
            id.clone(),
            format!("the history of record {id} leaves out change-log entry {seq}, which changed it"),
        );
    }
    let mut extra: Vec<&(String, i64)> = kept.difference(&log.index).collect();
    extra.sort();
    for (id, seq) in extra {
        found.add(
            "log",
            id.clone(),
            format!("the history of record {id} names change-log entry {seq}, which did not change it"),
        );
    }
    Ok(())
}

/// Compares the log's head with an anchor seen before: a log that ends before the anchor lost its
/// last entries; one whose entry at the anchor is not the anchor's was rewritten.
fn compare_anchor(db: &Reader, a: &Anchor, head: &Anchor, found: &mut Findings) -> Result<()> {
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
fn compare_records(db: &Reader, logged: &Logged, found: &mut Findings) -> Result<usize> {
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
fn logged_image(db: &Reader, seq: i64, id: &str) -> Result<Option<Image>> {
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
        "SELECT sha256, group_concat('''' || title || '''', ', ')
           FROM (SELECT DISTINCT sha256, evidence_id, title FROM evidence_file ORDER BY evidence_id)
          GROUP BY sha256 ORDER BY sha256",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    for (sha, titles) in &files {
        match store.blobs().state(sha)? {
            BlobState::Intact => {}
            // In a team space, a file another member sent is fetched on demand: not missing.
            BlobState::Missing if crate::store::sync::files::is_unfetched(store.reader(), sha)? => {}
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
