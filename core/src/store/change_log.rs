//! The append-only change log: one entry per write, each hashed together with the hash of the entry
//! before it, so that an entry edited or removed outside the core breaks the chain. Triggers in the
//! schema refuse `UPDATE` and `DELETE` on it. Since schema version 3 each entry also holds the images
//! of the records the write changed (`images`) and who wrote it, both under the hash.
//!
//! Since schema version 12 an entry's hash covers a digest of its detail and of each image (`sums`),
//! each salted with a nonce of its own (`nonces`), rather than their text: an erasure (see
//! `erasure`) can then replace what an entry held of a record with a tombstone, and drop its nonce,
//! while every hash, seal and anchor stays as it was. Entries written before keep their own hash, over
//! their text; the erasure that rewrites one vouches for it (its hash, and its parts' sums).
//!
//! Since schema version 14 the detail and images are kept compressed (`packed`): every hash and
//! digest is still over their text, which is what [`Entry`] holds.

use std::collections::BTreeMap;

use rusqlite::params;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::conn::{Reader, Writer};
use super::erasure::{self, Erasures};
use super::packed::{MaybePacked, Packed, ToPack};
use super::{crypt, registry};
use crate::error::{Error, Result};

/// The `prev_hash` of the first entry.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One entry of the log, as stored.
#[derive(Debug, Clone)]
pub struct Entry {
    pub seq: i64,
    pub at: String,
    pub action: String,
    pub record_id: Option<String>,
    pub detail: String,
    /// `{"<record id>": {"before": image|null, "after": image|null}}`; `None` before schema version 3.
    pub images: Option<String>,
    pub actor: Option<String>,
    /// The digests the hash covers in place of the detail and images (JSON [`Sums`]); `None` before
    /// schema version 12.
    pub sums: Option<String>,
    /// The nonce each digest is salted with (JSON [`Nonces`]); an erased part has none any more.
    pub nonces: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// The digests of an entry's parts: its detail, and each record's image (`{"before", "after"}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sums {
    pub detail: String,
    pub images: BTreeMap<String, String>,
}

/// The nonces the [`Sums`] are salted with, by part; an erased part's nonce is gone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nonces {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default)]
    pub images: BTreeMap<String, String>,
}

/// SHA-256 over length-prefixed parts, in hex. Length-prefixing each part keeps ("ab","c") and
/// ("a","bc") from hashing alike.
fn hash_parts(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for part in parts {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    format!("{:x}", h.finalize())
}

/// The digest of one part of an entry (its detail, or one image's text) under its nonce.
pub(crate) fn part_sum(nonce: &str, text: &str) -> String {
    hash_parts(&["dossier-log-part/1", nonce, text])
}

/// A fresh nonce for one part.
pub(crate) fn nonce() -> String {
    crypt::hex(&crypt::random_key()[..16])
}

impl Entry {
    /// The hash this entry gives after `prev`: over its sums since version 12, over its text before.
    fn expected_hash(&self, prev: &str) -> String {
        let seq = self.seq.to_string();
        let record_id = self.record_id.as_deref().unwrap_or("");
        if let Some(sums) = &self.sums {
            let actor = self.actor.as_deref().unwrap_or("");
            return hash_parts(&["dossier-log/2", prev, &seq, &self.at, &self.action, record_id, sums, actor]);
        }
        let mut parts = vec![prev, seq.as_str(), &self.at, &self.action, record_id, &self.detail];
        // Entries written before version 3 have neither, and hash as they always did.
        if self.images.is_some() || self.actor.is_some() {
            parts.push(self.images.as_deref().unwrap_or(""));
            parts.push(self.actor.as_deref().unwrap_or(""));
        }
        hash_parts(&parts)
    }

    /// The entry's images, by record (empty before version 3).
    pub fn image_slots(&self) -> Result<serde_json::Map<String, serde_json::Value>> {
        match &self.images {
            None => Ok(serde_json::Map::new()),
            Some(text) => serde_json::from_str(text)
                .map_err(|e| Error::internal(format!("change-log entry {}: its images cannot be read: {e}", self.seq))),
        }
    }

    /// The entry's own sums, when it has them (version 12 on).
    pub fn own_sums(&self) -> Option<Sums> {
        self.sums.as_deref().and_then(|t| serde_json::from_str(t).ok())
    }

    /// The entry's nonces.
    pub fn nonce_map(&self) -> Nonces {
        self.nonces.as_deref().and_then(|t| serde_json::from_str(t).ok()).unwrap_or_default()
    }

    /// The sums of this entry's parts as they are now, under `nonces`: what an erasure vouches for.
    pub(crate) fn sums_under(&self, nonces: &Nonces) -> Result<Sums> {
        let mut sums =
            Sums { detail: part_sum(nonces.detail.as_deref().unwrap_or(""), &self.detail), images: BTreeMap::new() };
        for (id, slot) in self.image_slots()? {
            let nonce = nonces.images.get(&id).map(String::as_str).unwrap_or("");
            sums.images.insert(id, part_sum(nonce, &slot.to_string()));
        }
        Ok(sums)
    }

    fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
        Ok(Entry {
            seq: row.get(0)?,
            at: row.get(1)?,
            action: row.get(2)?,
            record_id: row.get(3)?,
            detail: row.get::<_, Packed>(4)?.0,
            images: row.get::<_, MaybePacked>(5)?.0,
            actor: row.get(6)?,
            sums: row.get(7)?,
            nonces: row.get(8)?,
            prev_hash: row.get(9)?,
            hash: row.get(10)?,
        })
    }
}

const COLUMNS: &str = "seq, at, action, record_id, detail, images, actor, sums, nonces, prev_hash, hash";

/// The head of the log: its last entry's number and hash (0 and the genesis hash when it is empty).
pub fn head(db: &Reader) -> Result<(i64, String)> {
    Ok(db
        .optional("SELECT seq, hash FROM change_log ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))?
        .unwrap_or((0, GENESIS.to_string())))
}

/// Appends the entry of one write: `action` on `record_id`, with `detail` (JSON), the images of the
/// records it changed (JSON) and who wrote it; returns the new head.
pub(super) fn append(
    w: &Writer<'_>,
    action: &str,
    record_id: Option<&str>,
    detail: &str,
    images: &serde_json::Map<String, serde_json::Value>,
    actor: &str,
) -> Result<(i64, String)> {
    let (last, prev) = head(w)?;
    let mut nonces = Nonces { detail: Some(nonce()), images: BTreeMap::new() };
    for id in images.keys() {
        nonces.images.insert(id.clone(), nonce());
    }
    let mut entry = Entry {
        seq: last + 1,
        at: registry::now(),
        action: action.to_string(),
        record_id: record_id.map(String::from),
        detail: detail.to_string(),
        images: Some(serde_json::Value::Object(images.clone()).to_string()),
        actor: Some(actor.to_string()),
        sums: None,
        nonces: None,
        prev_hash: prev.clone(),
        hash: String::new(),
    };
    let sums = entry.sums_under(&nonces)?;
    entry.sums = Some(to_json(&sums)?);
    entry.nonces = Some(to_json(&nonces)?);
    entry.hash = entry.expected_hash(&prev);
    w.execute(
        &format!("INSERT INTO change_log ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"),
        params![
            entry.seq,
            entry.at,
            entry.action,
            entry.record_id,
            ToPack(&entry.detail),
            entry.images.as_deref().map(ToPack),
            entry.actor,
            entry.sums,
            entry.nonces,
            entry.prev_hash,
            entry.hash
        ],
    )?;
    for id in images.keys() {
        w.execute("INSERT INTO change_log_record (record_id, seq) VALUES (?1, ?2)", params![id, entry.seq])?;
    }
    Ok((entry.seq, entry.hash))
}

/// Calls `f` on every entry, in order.
pub fn each(db: &Reader, mut f: impl FnMut(Entry) -> Result<()>) -> Result<()> {
    db.each(&format!("SELECT {COLUMNS} FROM change_log ORDER BY seq"), [], |row| f(Entry::read(row)?))
}

/// The entries that hold an image of the record `id`, in order (through the derived index).
pub fn of_record(db: &Reader, id: &str) -> Result<Vec<Entry>> {
    db.all(
        &format!(
            "SELECT {COLUMNS} FROM change_log WHERE seq IN (SELECT seq FROM change_log_record WHERE record_id = ?1) ORDER BY seq"
        ),
        [id],
        Entry::read,
    )
}

/// The last image the log holds of the record `id` (`null` once it was deleted; `None` if never logged).
pub fn last_image(db: &Reader, id: &str) -> Result<Option<serde_json::Value>> {
    let Some(seq) = db
        .optional("SELECT max(seq) FROM change_log_record WHERE record_id = ?1", [id], |r| r.get::<_, Option<i64>>(0))?
        .flatten()
    else {
        return Ok(None);
    };
    let Some(entry) = entry(db, seq)? else { return Ok(None) };
    Ok(entry.images.as_deref().and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok()).and_then(
        |mut images| {
            let mut slot = images.get_mut(id)?.take();
            Some(slot.get_mut("after").map(serde_json::Value::take).unwrap_or_default())
        },
    ))
}

/// The entry numbered `seq`.
pub fn entry(db: &Reader, seq: i64) -> Result<Option<Entry>> {
    db.optional(&format!("SELECT {COLUMNS} FROM change_log WHERE seq = ?1"), [seq], Entry::read)
}

/// Checks one entry against the one before it (whose hash is `prev`), knowing what the log's
/// erasures removed from it: an erased part is named by an erasure, every other part matches its sum,
/// and the sums (or, for an entry written before version 12, its text or what the erasure that
/// rewrote it vouched for) give its hash.
pub fn problem(entry: &Entry, prev: &str, erasures: &Erasures) -> Option<String> {
    if entry.prev_hash != prev {
        return Some("does not follow the entry before it".into());
    }
    let (sums, hash) = match (entry.own_sums(), erasures.vouched(entry.seq)) {
        (Some(sums), _) => (sums, entry.expected_hash(prev)),
        (None, None) if entry.sums.is_some() => return Some("its digests cannot be read".into()),
        (None, Some(vouched)) => (vouched.sums.clone(), vouched.hash.clone()),
        (None, None) if erasure::holds_tombstone(entry) => {
            return Some("content was removed, and no erasure names this entry".into())
        }
        (None, None) => {
            return (entry.expected_hash(prev) != entry.hash).then(|| "content does not match its hash".into())
        }
    };
    if hash != entry.hash {
        return Some("content does not match its hash".into());
    }
    erasure::parts_problem(entry, &sums, erasures)
}

/// The database's identity: the hash of its first entry, which no later write changes. History a
/// bundle carries names the database each write was made in by it.
pub fn origin(db: &Reader) -> Result<Option<String>> {
    db.optional("SELECT hash FROM change_log WHERE seq = 1", [], |r| r.get(0))
}

/// The hash the first entry follows.
pub fn genesis() -> &'static str {
    GENESIS
}

/// Walks the log and checks every entry's hash and link to the one before; returns how many there are.
pub(super) fn verify(db: &Reader) -> Result<usize> {
    let erasures = Erasures::read(db)?;
    let mut prev = GENESIS.to_string();
    let mut count = 0;
    each(db, |entry| {
        if let Some(reason) = problem(&entry, &prev, &erasures) {
            return Err(Error::Tampered { seq: entry.seq, reason });
        }
        prev = entry.hash;
        count += 1;
        Ok(())
    })?;
    Ok(count)
}

/// JSON text of a value the log keeps.
pub(crate) fn to_json(value: &impl Serialize) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::internal(format!("change log: {e}")))
}
