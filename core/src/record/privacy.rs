//! Private records: a journalist's source, a lead not yet confirmed, a note for the team. A private
//! record stays in the record, in the reports made for the people working the case and in JSON
//! bundles (marked as such), and never leaves in a publish export (the static site, TimelineJS). Any
//! record but a case can be private.

use std::collections::HashSet;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::store::registry;
use crate::store::{Reader, Store, Writer};
use crate::vocabulary::RecordKind;

/// Makes a record private or public; returns its kind. Setting what is already set writes nothing.
pub fn set(store: &mut Store, id: &str, private: bool) -> Result<RecordKind> {
    let id = id.trim();
    let kind = registry::kind_of(store.reader(), id)?.ok_or_else(|| Error::not_found("record", id))?;
    if kind == RecordKind::Case {
        return Err(Error::rule(
            "private",
            "not_for_cases",
            id.to_string(),
            "a case cannot be private: make the records in it private instead",
        ));
    }
    if is_private(store.reader(), id)? == private {
        return Ok(kind);
    }
    #[derive(Serialize)]
    struct Detail {
        private: bool,
    }
    let action = if private { "make private" } else { "make public" };
    store.write(action, Some(id), &Detail { private }, |w| {
        write(w, id, private)?;
        registry::touch(w, id)
    })?;
    Ok(kind)
}

/// Writes whether a record is private (for [`set`] and the JSON bundle's import).
pub(crate) fn write(w: &Writer<'_>, id: &str, private: bool) -> Result<()> {
    if private {
        w.execute("INSERT OR IGNORE INTO record_private (record_id) VALUES (?1)", [id])?;
    } else {
        w.execute("DELETE FROM record_private WHERE record_id = ?1", [id])?;
    }
    Ok(())
}

/// Whether a record is private.
pub fn is_private(db: &Reader, id: &str) -> Result<bool> {
    db.exists("SELECT 1 FROM record_private WHERE record_id = ?1", [id.trim()])
}

/// Every private record, by id: parties included, which belong to no case.
pub fn private_ids(db: &Reader) -> Result<HashSet<String>> {
    Ok(db.strings("SELECT record_id FROM record_private", [])?.into_iter().collect())
}
