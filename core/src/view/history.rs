//! A record's history, from the change log's images: each write that changed it, when, by whom, and
//! what changed (before → after). A record brought in by a bundle starts with the history it had where
//! it was made, as the bundle carried it (`imported_history`). A record that was erased shows each
//! write still, with "erased" in place of what it changed, and last the erasure, with its reason.

use serde::Serialize;
use serde_json::Value;

use crate::error::Result;
use crate::store::change_log;
use crate::store::erasure::{self, Erasures};
use crate::store::images::{self, Image};
use crate::store::{registry, Reader};
use crate::vocabulary::ErasureReason;

/// One write in a record's history.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Change {
    /// When (RFC 3339, UTC).
    pub at: String,
    /// The same, as people read it (`2026-11-29 04:22 UTC`).
    pub when: String,
    /// What the write was ("update letter", "import bundle"…).
    pub action: String,
    /// Who wrote (the front end and the system user), when known.
    pub actor: Option<String>,
    /// The change-log entry, or `None` for history brought by a bundle.
    pub entry: Option<i64>,
    /// For history brought by a bundle: the database it was written in (the hash of its first
    /// change-log entry).
    pub imported_from: Option<String>,
    /// `created`, `changed` or `deleted`.
    pub change: String,
    /// What changed, one line each ("table letter, column subject: 'A' → 'B'"); empty on creation.
    pub differences: Vec<String>,
    /// When what this write held of the record was erased, and why (`change` is then `erased`).
    pub erased: Option<ErasedBy>,
}

/// The erasure that removed what a write held of a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ErasedBy {
    /// The erasure's change-log entry.
    pub entry: i64,
    /// When (RFC 3339, UTC), and as people read it.
    pub at: String,
    pub when: String,
    pub reason: ErasureReason,
    pub note: String,
}

/// One image of a record in its history: when, by which write, and the record as it then was (`None`
/// once deleted).
#[derive(Debug, Clone)]
pub struct Step {
    pub at: String,
    pub action: String,
    pub actor: Option<String>,
    pub entry: Option<i64>,
    pub imported_from: Option<String>,
    pub image: Option<Image>,
    /// The erasure that removed this image, or that this write is.
    pub erased: Option<ErasedBy>,
}

/// Every image of the record `id`, oldest first: the history a bundle brought, then the local
/// entries that followed its import (the import itself is the first local one, and its image is the
/// bundle's last).
pub fn steps(db: &Reader, id: &str) -> Result<Vec<Step>> {
    Histories::new(db)?.steps(db, id)
}

/// The images of the record `id` this database's own log holds, oldest first: what `--as-of` rebuilds a
/// past from (a bundle's history is what the bundle says, not what this database saw).
pub fn logged_steps(db: &Reader, id: &str) -> Result<Vec<Step>> {
    Histories::new(db)?.logged_steps(db, id)
}

/// The histories of many records (a bundle's, a case as of a date), with the log's erasures read once:
/// read for each record, they were a scan of the whole log per record.
pub struct Histories {
    erasures: Erasures,
}

impl Histories {
    pub fn new(db: &Reader) -> Result<Histories> {
        Ok(Histories { erasures: Erasures::read(db)? })
    }

    /// [`steps`] of the record `id`.
    pub fn steps(&self, db: &Reader, id: &str) -> Result<Vec<Step>> {
        let mut out: Vec<Step> = db.all(
            "SELECT at, action, actor, image, source FROM imported_history WHERE record_id = ?1 ORDER BY position",
            [id],
            |r| {
                let image: Option<String> = r.get(3)?;
                Ok(Step {
                    at: r.get(0)?,
                    action: r.get(1)?,
                    actor: r.get(2)?,
                    entry: None,
                    imported_from: Some(r.get(4)?),
                    erased: None,
                    image: image
                        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
                        .and_then(|v| Image::from_json(&v).ok()),
                })
            },
        )?;
        let imported = !out.is_empty();
        out.extend(logged(db, id, imported, &self.erasures)?);
        Ok(out)
    }

    /// [`logged_steps`] of the record `id`.
    pub fn logged_steps(&self, db: &Reader, id: &str) -> Result<Vec<Step>> {
        logged(db, id, false, &self.erasures)
    }
}

/// The log's steps of `id`; `skip_import`: leave out the first, the import whose image is the bundle's
/// last (already shown).
fn logged(db: &Reader, id: &str, skip_import: bool, erasures: &Erasures) -> Result<Vec<Step>> {
    let mut out = Vec::new();
    for (i, entry) in change_log::of_record(db, id)?.into_iter().enumerate() {
        if skip_import && i == 0 {
            continue;
        }
        let slot = entry.images.as_deref().and_then(|text| slot_of(text, id)).unwrap_or(Value::Null);
        // A tombstone names the erasure that removed the image; the erasure's own slot says so.
        let by = match erasure::tombstone_of(&slot) {
            Some(by) => Some(by),
            None if slot.get("erased").is_some() => Some(entry.seq),
            None => None,
        };
        let image = slot.get("after").filter(|v| !v.is_null()).map(Image::from_json).transpose()?;
        out.push(Step {
            at: entry.at,
            action: entry.action,
            actor: entry.actor,
            entry: Some(entry.seq),
            imported_from: None,
            image,
            erased: by.and_then(|by| erased_by(erasures, by)),
        });
    }
    Ok(out)
}

fn erased_by(erasures: &Erasures, by: i64) -> Option<ErasedBy> {
    let e = erasures.by_seq(by)?;
    Some(ErasedBy {
        entry: e.seq,
        when: registry::moment(&e.at),
        at: e.at.clone(),
        reason: e.detail.head.reason,
        note: e.detail.head.note.clone(),
    })
}

/// The history of the record `id`, oldest first.
pub fn history(db: &Reader, id: &str) -> Result<Vec<Change>> {
    let mut before: Option<Image> = None;
    let mut out = Vec::new();
    for step in steps(db, id)? {
        let (change, differences) = match (&before, &step.image) {
            _ if step.erased.is_some() => ("erased", Vec::new()),
            (None, Some(_)) => ("created", Vec::new()),
            (Some(old), Some(new)) => ("changed", images::differences(old, new)),
            (_, None) => ("deleted", Vec::new()),
        };
        out.push(Change {
            when: crate::store::registry::moment(&step.at),
            at: step.at,
            action: step.action,
            actor: step.actor,
            entry: step.entry,
            imported_from: step.imported_from,
            change: change.to_string(),
            differences,
            erased: step.erased,
        });
        before = step.image;
    }
    Ok(out)
}

/// The slot of the record `id` in an entry's images (`{"<id>": {"before", "after"}, …}`), read without
/// building the others: an import's entry holds a hundred records' images.
fn slot_of(images: &str, id: &str) -> Option<Value> {
    use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
    struct Slot<'a>(&'a str);
    impl<'de> Visitor<'de> for Slot<'_> {
        type Value = Option<Value>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("the images of an entry")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Option<Value>, A::Error> {
            let mut found = None;
            while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                if key == self.0 {
                    found = Some(map.next_value::<Value>()?);
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(found)
        }
    }
    impl<'de> DeserializeSeed<'de> for Slot<'_> {
        type Value = Option<Value>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Option<Value>, D::Error> {
            d.deserialize_map(self)
        }
    }
    Slot(id).deserialize(&mut serde_json::Deserializer::from_str(images)).ok().flatten()
}
