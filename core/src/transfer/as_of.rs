//! A case as it stood at a past moment, rebuilt from the change log's images: every record as the
//! last write before that moment left it (records created later, or deleted before, are absent), in an
//! in-memory replica that any export reads like the record itself. Only this database's own log is
//! read: the history a bundle brought is what the bundle says, which `history` shows as such, and an
//! imported record stands in the past from its import on. Each image loads only its own record's rows.

use chrono::DateTime;

use crate::error::{Error, Result};
use crate::input;
use crate::store::Store;
use crate::view::history;

/// The record as it stood just before the end of `when` (a fuzzy date: `2023-04` means by the end of
/// April 2023; a day, by the end of that day), rebuilt in memory.
pub fn as_of(store: &Store, when: &str) -> Result<Store> {
    let date = input::date("as-of", when)?;
    let cutoff = date.upper().ok_or_else(|| {
        Error::rule(
            "as-of",
            "unbounded",
            date.to_string(),
            format!("'{date}' has no end: give a day, a month or a year"),
        )
    })?;
    let db = store.reader();
    let ids = db.strings("SELECT DISTINCT record_id FROM change_log_record ORDER BY 1", [])?;
    let mut images = Vec::new();
    let histories = history::Histories::new(db)?;
    for id in ids {
        let mut last = None;
        for step in histories.logged_steps(db, &id)? {
            let at = DateTime::parse_from_rfc3339(&step.at).map(|t| t.timestamp()).unwrap_or(i64::MAX);
            if at >= cutoff {
                break;
            }
            last = Some(step.image);
        }
        if let Some(Some(image)) = last.filter(|i| i.as_ref().is_none_or(|i| i.foreign(&id).is_none())) {
            images.push(image);
        }
    }
    let mut replica = store.replica()?;
    replica.load_images(&images)?;
    Ok(replica)
}
