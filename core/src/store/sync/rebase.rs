//! The rebase of this device's waiting writes over the others' entries (see `engine`): their records
//! put back as the space has them (rewind), then each write merged again, three ways, over the
//! space's state (replay); what does not merge waits for a person as a conflict.

use std::collections::{BTreeMap, BTreeSet};

use super::engine::Synced;
use super::image::{self, Merged};
use super::local::{self, Conflict};
use super::outbox::{self, Change, Payload, Pending};
use crate::error::{Error, Result};
use crate::store::conn::Writer;
use crate::store::images::Image;
use crate::store::Store;

/// Puts every record the waiting writes changed back as the space has it.
pub(super) fn rewind(w: &Writer<'_>, pending: &[Pending]) -> Result<()> {
    let mut done = BTreeSet::new();
    for p in pending {
        for (id, change) in &p.payload.records {
            if done.insert(id.clone()) {
                let before = change.before.as_ref().map(Image::from_json).transpose()?;
                image::put(w, id, before.as_ref())?;
            }
        }
    }
    Ok(())
}

/// Merges each waiting write again over the space's state, in order: what merges is written and its
/// entry rewritten to start from the space's state; what does not becomes a conflict.
pub(super) fn replay(store: &mut Store, report: &mut Synced) -> Result<()> {
    let seq = local::space_or_refuse(&store.db)?.head_seq;
    for p in outbox::pending(&store.db)? {
        let detail =
            serde_json::json!({ "step": "replay", "entry": p.entry_id.to_string(), "action": p.payload.action });
        let tried = store.write("sync.rebase", None, &detail, |w| replay_one(w, &p, seq, false));
        if let Err(Error::Conflict(_) | Error::Sqlite(_)) = tried {
            // It breaks the space's rules (a reference to a record the team deleted): every record of
            // it waits for a person, and the replica keeps the space's state.
            store.write("sync.rebase", None, &detail, |w| replay_one(w, &p, seq, true))?;
            report.conflicts += 1;
        } else {
            tried?;
        }
    }
    Ok(())
}

/// Replays one waiting write (see `replay`); `give_up`: every record of it becomes a conflict.
fn replay_one(w: &Writer<'_>, p: &Pending, theirs_seq: i64, give_up: bool) -> Result<()> {
    let mut kept: BTreeMap<String, Change> = BTreeMap::new();
    for (id, change) in &p.payload.records {
        let base = change.before.as_ref().map(Image::from_json).transpose()?;
        let mine = change.after.as_ref().map(Image::from_json).transpose()?;
        let theirs = image::current(w, id)?;
        let merged = if give_up {
            Merged::Conflict(
                vec!["it refers to a record the team deleted, or breaks another rule of the record".into()],
            )
        } else {
            image::merge(base.as_ref(), mine.as_ref(), theirs.as_ref())
        };
        match merged {
            Merged::Clean(result) => {
                if result != theirs {
                    image::put(w, id, result.as_ref())?;
                    kept.insert(
                        id.clone(),
                        Change {
                            base: theirs.as_ref().map(image::hash),
                            before: theirs.as_ref().map(Image::to_json),
                            after: result.map(|i| i.to_json()),
                            history: change.history.clone(),
                        },
                    );
                }
            }
            Merged::Conflict(fields) => {
                // An earlier conflict of the record holds a change the space never took: keep it too.
                let mine = match local::conflict_mine(w, id)? {
                    Some(earlier) => image::carry_over(base.as_ref(), mine, earlier.as_ref()),
                    None => mine,
                };
                let kind = mine.as_ref().or(theirs.as_ref()).or(base.as_ref()).map(|i| i.kind.as_str().to_string());
                local::put_conflict(
                    w,
                    &Conflict {
                        record_id: id.clone(),
                        kind: kind.unwrap_or_default(),
                        base: base.map(|i| i.text()),
                        mine: mine.map(|i| i.text()),
                        theirs: theirs.map(|i| i.text()),
                        theirs_seq,
                        fields,
                        at: crate::store::registry::now(),
                    },
                )?;
            }
        }
    }
    if !give_up {
        w.refuse_broken_references()?;
    }
    if kept.is_empty() {
        w.execute("DELETE FROM team_outbox WHERE n = ?1", [p.n])?;
    } else {
        let payload = Payload { records: kept, ..p.payload.clone() };
        w.execute(
            "UPDATE team_outbox SET payload = ?1 WHERE n = ?2",
            rusqlite::params![String::from_utf8_lossy(&payload.to_bytes()), p.n],
        )?;
    }
    Ok(())
}
