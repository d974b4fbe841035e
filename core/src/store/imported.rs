//! The history a record had where it was made, kept when a bundle brings it (`imported_history`)
//! and sent with it to the other members of a team space: outside the record's images, so it is
//! written here, in one place, by the bundle's import and by the team's apply alike.

use serde::{Deserialize, Serialize};

use super::conn::{Reader, Writer};
use crate::error::Result;

/// One step of the history a record had where it was made (`imported_history`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Imported {
    pub position: i64,
    pub at: String,
    pub action: String,
    pub actor: Option<String>,
    pub image: Option<String>,
    pub source: String,
}

/// The history the record `id` came with from a bundle, in order.
pub fn of(db: &Reader, id: &str) -> Result<Vec<Imported>> {
    db.all(
        "SELECT position, at, action, actor, image, source FROM imported_history WHERE record_id = ?1 ORDER BY position",
        [id],
        |r| {
            Ok(Imported {
                position: r.get(0)?,
                at: r.get(1)?,
                action: r.get(2)?,
                actor: r.get(3)?,
                image: r.get(4)?,
                source: r.get(5)?,
            })
        },
    )
}

/// Keeps the history the record `id` came with, step by step (a step already kept stays as it is).
pub(crate) fn put(w: &Writer<'_>, id: &str, history: &[Imported]) -> Result<()> {
    for h in history {
        w.execute(
            "INSERT OR IGNORE INTO imported_history (record_id, position, at, action, actor, image, source)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            rusqlite::params![id, h.position, h.at, h.action, h.actor, h.image, h.source],
        )?;
    }
    Ok(())
}

/// Keeps one step of the history a record a bundle brings came with; a step already kept at that
/// position is an error (the bundle holds it twice).
pub(crate) fn put_new(w: &Writer<'_>, id: &str, h: &Imported) -> Result<()> {
    w.execute(
        "INSERT INTO imported_history (record_id, position, at, action, actor, image, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        rusqlite::params![id, h.position, h.at, h.action, h.actor, h.image, h.source],
    )?;
    Ok(())
}
