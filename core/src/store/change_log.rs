//! The append-only change log: one entry per write, each hashed together with the hash of the entry
//! before it, so that an entry edited or removed outside the core breaks the chain. Triggers in the
//! schema refuse `UPDATE` and `DELETE` on it. Since schema version 3 each entry also holds the images
//! of the records the write changed (`images`) and who wrote it, both under the hash.

use rusqlite::params;
use sha2::{Digest, Sha256};

use super::conn::{Reader, Writer};
use super::registry;
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
    pub prev_hash: String,
    pub hash: String,
}

impl Entry {
    /// The hash this entry's content gives after `prev`.
    fn expected_hash(&self, prev: &str) -> String {
        let seq = self.seq.to_string();
        let mut parts =
            vec![prev, seq.as_str(), &self.at, &self.action, self.record_id.as_deref().unwrap_or(""), &self.detail];
        // Entries written before version 3 have neither, and hash as they always did.
        if self.images.is_some() || self.actor.is_some() {
            parts.push(self.images.as_deref().unwrap_or(""));
            parts.push(self.actor.as_deref().unwrap_or(""));
        }
        let mut h = Sha256::new();
        for part in parts {
            // Length-prefixing each part keeps ("ab","c") and ("a","bc") from hashing alike.
            h.update((part.len() as u64).to_be_bytes());
            h.update(part.as_bytes());
        }
        format!("{:x}", h.finalize())
    }

    fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
        Ok(Entry {
            seq: row.get(0)?,
            at: row.get(1)?,
            action: row.get(2)?,
            record_id: row.get(3)?,
            detail: row.get(4)?,
            images: row.get(5)?,
            actor: row.get(6)?,
            prev_hash: row.get(7)?,
            hash: row.get(8)?,
        })
    }
}

const COLUMNS: &str = "seq, at, action, record_id, detail, images, actor, prev_hash, hash";

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
    let mut entry = Entry {
        seq: last + 1,
        at: registry::now(),
        action: action.to_string(),
        record_id: record_id.map(String::from),
        detail: detail.to_string(),
        images: Some(serde_json::Value::Object(images.clone()).to_string()),
        actor: Some(actor.to_string()),
        prev_hash: prev.clone(),
        hash: String::new(),
    };
    entry.hash = entry.expected_hash(&prev);
    w.execute(
        &format!("INSERT INTO change_log ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
        params![
            entry.seq,
            entry.at,
            entry.action,
            entry.record_id,
            entry.detail,
            entry.images,
            entry.actor,
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

/// Checks one entry against the one before it (whose hash is `prev`).
pub fn problem(entry: &Entry, prev: &str) -> Option<&'static str> {
    if entry.prev_hash != prev {
        Some("does not follow the entry before it")
    } else if entry.expected_hash(prev) != entry.hash {
        Some("content does not match its hash")
    } else {
        None
    }
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
    let mut prev = GENESIS.to_string();
    let mut count = 0;
    each(db, |entry| {
        if let Some(reason) = problem(&entry, &prev) {
            return Err(Error::Tampered { seq: entry.seq, reason: reason.into() });
        }
        prev = entry.hash;
        count += 1;
        Ok(())
    })?;
    Ok(count)
}
