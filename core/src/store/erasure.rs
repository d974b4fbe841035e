//! Erasure in the change log: what makes "erase" really remove a record's content while the log stays
//! provable.
//!
//! A plain delete keeps the record's last image in its entry, so it can be restored from its history.
//! An erasure (`Store::erase`) removes the rows as a delete does, and then rewrites every earlier
//! entry that held the record: its image there, and the entry's detail (the input that caused the
//! write, which may quote it), become a tombstone `{"erased": N}` naming the erasure's own entry N,
//! and their nonces are dropped. The erasure's entry names what it erased — the record's kind and id,
//! every record that went with it, the reason, the entries it rewrote — and never its content.
//!
//! Nothing of the proof moves: an entry written since schema version 12 is hashed over the salted
//! sums of its parts (`change_log::Sums`), which the rewrite leaves as they were; an older entry,
//! hashed over its text, is vouched for by the erasure that first rewrites it (its hash, and the sums
//! of its parts under fresh nonces, in the erasure's detail), after that erasure has verified it.
//! `check` then tells an erased part (a tombstone an erasure names) from tampering (a part that does
//! not match its sum, or a tombstone no erasure names).

use std::collections::{BTreeSet, HashMap};

use rusqlite::params;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::change_log::{self, Entry, Nonces, Sums};
use super::conn::{Reader, Writer};
use super::packed::{Packed, ToPack};
use crate::error::{Error, Result};
use crate::vocabulary::{ErasureReason, RecordKind};

/// The change-log action of an erasure.
pub const ACTION: &str = "erase";

/// Actions whose detail holds no content of the records they touch (a count, or an erasure's own
/// account of itself), and is never erased.
const CONTENTLESS: &[&str] = &[ACTION, "baseline"];

/// What an erasure is of, and why: the head of its detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub kind: RecordKind,
    pub id: String,
    pub reason: ErasureReason,
    /// The person's own words when the reason is `other` (or beside any reason).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// The detail of an erasure's entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Detail {
    #[serde(flatten)]
    pub head: Head,
    /// Every record the erasure removed (a case's records with it), by id.
    pub records: Vec<String>,
    /// The earlier entries it rewrote.
    pub entries: Vec<Rewrite>,
}

/// One entry an erasure rewrote: which parts became tombstones and, for an entry written before
/// schema version 12, what the erasure vouches it was.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rewrite {
    pub seq: i64,
    /// Its detail was erased.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub detail: bool,
    /// The records whose images there were erased.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vouched: Option<Vouched>,
}

/// What an erasure verified of an entry written before schema version 12, just before it rewrote it:
/// its hash (over its text), and the sums of its parts under the nonces it then gave them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vouched {
    pub hash: String,
    pub sums: Sums,
}

/// One erasure, as its entry says.
#[derive(Debug, Clone)]
pub struct Erasure {
    pub seq: i64,
    pub at: String,
    pub actor: Option<String>,
    pub detail: Detail,
}

/// Every erasure of the log, with which entries each rewrote.
#[derive(Debug, Default)]
pub struct Erasures {
    all: Vec<Erasure>,
    /// By entry rewritten: the erasures (index into `all`) that name it.
    by_entry: HashMap<i64, Vec<(usize, usize)>>,
    /// By record erased: its erasure (index into `all`).
    by_record: HashMap<String, usize>,
}

impl Erasures {
    /// Reads the erasures from their entries. An entry whose detail cannot be read is left out: `check`
    /// finds it altered by its sums.
    pub fn read(db: &Reader) -> Result<Erasures> {
        let rows =
            db.all("SELECT seq, at, actor, detail FROM change_log WHERE action = ?1 ORDER BY seq", [ACTION], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Packed>(3)?.0,
                ))
            })?;
        let mut out = Erasures::default();
        for (seq, at, actor, text) in rows {
            let Ok(detail) = serde_json::from_str::<Detail>(&text) else { continue };
            let index = out.all.len();
            for (i, rewrite) in detail.entries.iter().enumerate() {
                out.by_entry.entry(rewrite.seq).or_default().push((index, i));
            }
            for id in &detail.records {
                out.by_record.insert(id.clone(), index);
            }
            out.all.push(Erasure { seq, at, actor, detail });
        }
        Ok(out)
    }

    /// Every erasure, oldest first.
    pub fn all(&self) -> &[Erasure] {
        &self.all
    }

    /// The erasure that removed the record `id`, if one did.
    pub fn of_record(&self, id: &str) -> Option<&Erasure> {
        self.by_record.get(id).map(|&i| &self.all[i])
    }

    /// The erasure whose entry is `seq`.
    pub fn by_seq(&self, seq: i64) -> Option<&Erasure> {
        self.all.iter().find(|e| e.seq == seq)
    }

    fn rewrites(&self, seq: i64) -> impl Iterator<Item = (&Erasure, &Rewrite)> {
        self.by_entry
            .get(&seq)
            .into_iter()
            .flatten()
            .map(|&(e, r)| (&self.all[e], &self.all[e].detail.entries[r]))
            // An erasure rewrites only entries before its own.
            .filter(move |(e, _)| e.seq > seq)
    }

    /// What the first erasure to rewrite the entry `seq` vouched for it (entries before version 12).
    pub fn vouched(&self, seq: i64) -> Option<&Vouched> {
        self.rewrites(seq).find_map(|(_, r)| r.vouched.as_ref())
    }

    /// Whether the erasure of entry `by` erased `part` of the entry `seq`.
    fn names(&self, by: i64, seq: i64, part: Part<'_>) -> bool {
        self.rewrites(seq).any(|(e, r)| {
            e.seq == by
                && match part {
                    Part::Detail => r.detail,
                    Part::Image(id) => r.images.iter().any(|i| i == id),
                }
        })
    }
}

#[derive(Clone, Copy)]
enum Part<'a> {
    Detail,
    Image(&'a str),
}

/// The tombstone left in place of a part erased by the entry `by`.
fn tombstone(by: i64) -> Value {
    serde_json::json!({ "erased": by })
}

/// The erasure a tombstone names, if `value` is one.
pub fn tombstone_of(value: &Value) -> Option<i64> {
    let map = value.as_object().filter(|m| m.len() == 1)?;
    map.get("erased")?.as_i64()
}

fn tombstone_text(text: &str) -> Option<i64> {
    serde_json::from_str::<Value>(text).ok().as_ref().and_then(tombstone_of)
}

/// Whether anything in `entry` is a tombstone.
pub(super) fn holds_tombstone(entry: &Entry) -> bool {
    tombstone_text(&entry.detail).is_some()
        || entry.image_slots().is_ok_and(|slots| slots.values().any(|s| tombstone_of(s).is_some()))
}

/// What is wrong with the parts of `entry` against `sums`: each part matches its sum under its nonce,
/// or is a tombstone an erasure names.
pub(super) fn parts_problem(entry: &Entry, sums: &Sums, erasures: &Erasures) -> Option<String> {
    let nonces = entry.nonce_map();
    let detail_erased = tombstone_text(&entry.detail).is_some_and(|by| erasures.names(by, entry.seq, Part::Detail));
    if !detail_erased && change_log::part_sum(nonces.detail.as_deref().unwrap_or(""), &entry.detail) != sums.detail {
        return Some(match tombstone_text(&entry.detail) {
            Some(by) => format!("its detail was removed, and entry {by} is no erasure of it"),
            None => "its detail does not match its digest".into(),
        });
    }
    let slots = match entry.image_slots() {
        Ok(slots) => slots,
        Err(_) => return Some("its images cannot be read".into()),
    };
    if slots.len() != sums.images.len() || slots.keys().any(|id| !sums.images.contains_key(id)) {
        return Some("its images are not of the records its digests name".into());
    }
    for (id, slot) in &slots {
        if tombstone_of(slot).is_some_and(|by| erasures.names(by, entry.seq, Part::Image(id))) {
            continue;
        }
        let nonce = nonces.images.get(id).map(String::as_str).unwrap_or("");
        if Some(&change_log::part_sum(nonce, &slot.to_string())) != sums.images.get(id) {
            return Some(match tombstone_of(slot) {
                Some(by) => format!("its image of record {id} was removed, and entry {by} is no erasure of it"),
                None => format!("its image of record {id} does not match its digest"),
            });
        }
    }
    None
}

/// Rewrites every entry before `by` that holds something of the records `ids`: their images, and the
/// entry's detail, become tombstones naming `by`. Each entry is verified first: an entry that does
/// not match its hash is evidence of tampering, and is left for `check` to show rather than erased.
/// Returns what was rewritten, for the erasure's detail.
pub(crate) fn rewrite(w: &Writer<'_>, ids: &BTreeSet<String>, by: i64) -> Result<Vec<Rewrite>> {
    let erasures = Erasures::read(w)?;
    let mut seqs = BTreeSet::new();
    for id in ids {
        seqs.extend(w.all(
            "SELECT seq FROM change_log_record WHERE record_id = ?1 UNION SELECT seq FROM change_log WHERE record_id = ?1",
            [id],
            |r| r.get::<_, i64>(0),
        )?);
    }
    let mut out = Vec::new();
    for seq in seqs.into_iter().filter(|&s| s < by) {
        let entry =
            change_log::entry(w, seq)?.ok_or_else(|| Error::internal(format!("change-log entry {seq} vanished")))?;
        if let Some(why) = change_log::problem(&entry, &entry.prev_hash, &erasures) {
            return Err(Error::Tampered {
                seq,
                reason: format!(
                    "change-log entry {seq} {why}: nothing was erased, so that `dossier check` can still show it"
                ),
            });
        }
        if let Some((rewrite, detail, images, nonces)) = rewritten(&entry, ids, by, &erasures)? {
            w.execute("INSERT INTO change_log_erasure (seq, by_seq) VALUES (?1, ?2)", params![seq, by])?;
            w.execute(
                "UPDATE change_log SET detail = ?2, images = ?3, nonces = ?4 WHERE seq = ?1",
                params![seq, ToPack(&detail), images.as_deref().map(ToPack), nonces],
            )?;
            out.push(rewrite);
        }
    }
    Ok(out)
}

/// An entry as an erasure leaves it: what was done, and its new detail, images and nonces.
type Rewritten = (Rewrite, String, Option<String>, String);

/// The entry with what it holds of `ids` made tombstones, or `None` when it holds nothing of them any
/// more.
fn rewritten(entry: &Entry, ids: &BTreeSet<String>, by: i64, erasures: &Erasures) -> Result<Option<Rewritten>> {
    let mut slots = entry.image_slots()?;
    let mut nonces = entry.nonce_map();
    let mut vouched = None;
    if entry.sums.is_none() && erasures.vouched(entry.seq).is_none() {
        // Written before version 12: its hash covers its text, which is about to change. Its parts get
        // nonces, and this erasure vouches for their sums and for the hash it has just verified.
        nonces = Nonces {
            detail: Some(change_log::nonce()),
            images: slots.keys().map(|id| (id.clone(), change_log::nonce())).collect(),
        };
        vouched = Some(Vouched { hash: entry.hash.clone(), sums: entry.sums_under(&nonces)? });
    }
    let mut rewrite = Rewrite { seq: entry.seq, detail: false, images: Vec::new(), vouched };
    for (id, slot) in slots.iter_mut() {
        if ids.contains(id) && tombstone_of(slot).is_none() {
            *slot = tombstone(by);
            nonces.images.remove(id);
            rewrite.images.push(id.clone());
        }
    }
    let mut detail = entry.detail.clone();
    if !CONTENTLESS.contains(&entry.action.as_str()) && tombstone_text(&detail).is_none() {
        detail = tombstone(by).to_string();
        nonces.detail = None;
        rewrite.detail = true;
    }
    if !rewrite.detail && rewrite.images.is_empty() {
        return Ok(None);
    }
    let images = entry.images.as_ref().map(|_| Value::Object(slots).to_string());
    Ok(Some((rewrite, detail, images, change_log::to_json(&nonces)?)))
}
