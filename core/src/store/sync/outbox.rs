//! The writes of this device waiting to be sent to the space: each write of a database that belongs to
//! a space leaves, in the same transaction as its change-log entry, a row here with everything the
//! space's entry will hold (the images of the records it changed, and the state each change was made
//! from). A write is therefore never lost between here and the server: a kill, a week offline or a
//! refused push leaves it waiting.

use serde::{Deserialize, Serialize};

use super::image;
use crate::error::{Error, Result};
use crate::store::change_log;
use crate::store::conn::{Reader, Writer};
use crate::store::images::Image;

/// The engine's own writes, which take in what the space already holds: never sent back. (A write
/// that changes no record — a key kept, a conflict settled as theirs — keeps nothing anyway.)
pub const LOCAL_ACTIONS: &[&str] = &["sync.apply", "sync.rebase"];

/// One record changed by a write, as the space's entry carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The hash of the record's sync image the change was made from (`None`: it did not exist).
    pub base: Option<String>,
    /// That image itself, kept here to merge with, and never sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<serde_json::Value>,
    /// The record after the write (`None`: deleted).
    pub after: Option<serde_json::Value>,
    /// For a record a bundle brought, the history it had where it was made: it travels with it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<crate::store::imported::Imported>,
}

/// What one entry of the space says, once opened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payload {
    /// The payload format.
    pub v: u32,
    /// The schema version of the writer's database: a replica on an older version stops there.
    pub schema: i64,
    pub at: String,
    /// Who wrote, as the writer's change log says (`cli (Carla · device 1a2b3c4d)`).
    pub actor: String,
    pub action: String,
    pub record_id: Option<String>,
    /// The detail of the writer's change-log entry (JSON text).
    pub detail: String,
    /// Every record the write changed, by id.
    pub records: std::collections::BTreeMap<String, Change>,
}

impl Payload {
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    pub fn from_bytes(bytes: &[u8], seq: i64) -> Result<Payload> {
        serde_json::from_slice(bytes)
            .map_err(|e| Error::SpaceTampered { seq, reason: format!("its payload is not a Dossier entry: {e}") })
    }

    /// The payload as sent: without the images the changes were made from.
    pub fn sent(&self) -> Payload {
        let mut out = self.clone();
        for change in out.records.values_mut() {
            change.before = None;
        }
        out
    }
}

/// Whether this database belongs to a space (its writes are then kept here to be sent).
pub fn in_space(db: &Reader) -> Result<bool> {
    db.exists("SELECT 1 FROM team_space", [])
}

/// Keeps the write about to be logged as entry `log_seq`: for each record of `ids`, its sync image
/// now and the one its last logged image gives (the state the write was made from).
pub(crate) fn keep(
    w: &Writer<'_>,
    log_seq: i64,
    (action, record_id, detail, actor): (&str, Option<&str>, &str, &str),
    ids: &[String],
) -> Result<()> {
    if LOCAL_ACTIONS.contains(&action) {
        return Ok(());
    }
    let mut records = std::collections::BTreeMap::new();
    for id in ids {
        // A record put into a space it starts goes as created: the space has nothing of it yet.
        let logged = if action == super::space::SHARE { None } else { change_log::last_image(w, id)? };
        let before = logged.filter(|v| !v.is_null()).map(|v| Image::from_json(&v)).transpose()?.map(|i| image::of(&i));
        let after = image::current(w, id)?;
        if before == after {
            continue;
        }
        let history = if before.is_none() { crate::store::imported::of(w, id)? } else { Vec::new() };
        records.insert(
            id.clone(),
            Change {
                base: before.as_ref().map(image::hash),
                before: before.map(|i| i.to_json()),
                after: after.map(|i| i.to_json()),
                history,
            },
        );
    }
    if records.is_empty() {
        return Ok(());
    }
    let payload = Payload {
        v: 1,
        schema: crate::store::schema_version() as i64,
        at: crate::store::registry::now(),
        actor: actor.to_string(),
        action: action.to_string(),
        record_id: record_id.map(str::to_string),
        detail: detail.to_string(),
        records,
    };
    w.execute(
        "INSERT INTO team_outbox (entry_id, log_seq, payload) VALUES (?1, ?2, ?3)",
        rusqlite::params![uuid::Uuid::now_v7().to_string(), log_seq, String::from_utf8_lossy(&payload.to_bytes())],
    )?;
    Ok(())
}

/// One write waiting to be sent.
#[derive(Debug, Clone)]
pub struct Pending {
    pub n: i64,
    pub entry_id: uuid::Uuid,
    pub payload: Payload,
}

/// Every write waiting, oldest first.
pub fn pending(db: &Reader) -> Result<Vec<Pending>> {
    let rows: Vec<(i64, String, String)> =
        db.all("SELECT n, entry_id, payload FROM team_outbox ORDER BY n", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    rows.into_iter()
        .map(|(n, id, payload)| {
            let entry_id =
                uuid::Uuid::parse_str(&id).map_err(|e| Error::internal(format!("outbox entry id {id}: {e}")))?;
            let payload = serde_json::from_str(&payload)
                .map_err(|e| Error::internal(format!("the outbox's write {n} cannot be read: {e}")))?;
            Ok(Pending { n, entry_id, payload })
        })
        .collect()
}

/// How many writes wait to be sent.
pub fn count(db: &Reader) -> Result<i64> {
    db.one("SELECT count(*) FROM team_outbox", [], |r| r.get(0))
}
