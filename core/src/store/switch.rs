//! The switch: how a database is replaced by new copies of its parts without a kill ever leaving a
//! mix of the two. A database is three parts beside one another (see [`super::files`]): the SQLite
//! file (with its WAL), the evidence folder and, when it is encrypted, the key file. Whoever replaces
//! it (an encryption or decryption, a restore) first writes a complete new copy of each part
//! (`<part>.new-<tag>`), leaving the originals untouched, so the original is the backup until the very
//! end. Then a marker file, `<db>.switch`, is written whole, and only then are the new copies renamed
//! into place and the old ones removed. [`recover`], run before every open, finishes a switch whose
//! marker exists and throws away new copies whose marker does not: a process killed at any point
//! leaves either the old database or the new one.
//!
//! It lives in the store, under everything that converts or restores, because opening a database
//! must first finish or undo a switch a kill interrupted.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::files;
use crate::error::{Error, Result};

/// What becomes of one part of the database in a switch.
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fate {
    /// The new copy takes the part's place.
    Replace,
    /// The part goes (only ever the key file, when the database turns plaintext).
    Remove,
}

/// A switch, as its marker file says: the fate of each part, and the random part of its new copies'
/// names. A marker is obeyed only as far as a switch Dossier makes could say (see [`Switch::sound`]).
#[derive(Serialize, Deserialize)]
pub(crate) struct Switch {
    pub(crate) database: Fate,
    pub(crate) files: Fate,
    pub(crate) key: Fate,
    /// The new copies are `<part>.new-<tag>`; a marker written before the tag existed names `<part>.new`.
    #[serde(default)]
    pub(crate) tag: Option<String>,
}

impl Switch {
    /// The database and its evidence replaced by `copies`, and the key file replaced or removed.
    pub(crate) fn replacing(copies: &NewCopies, key: Fate) -> Switch {
        Switch { database: Fate::Replace, files: Fate::Replace, key, tag: Some(copies.tag.clone()) }
    }

    fn copy_of(&self, part: &Path) -> PathBuf {
        files::new_copy(part, self.tag.as_deref())
    }

    /// Where a replaced part waits until the switch is complete.
    fn old_of(&self, part: &Path) -> PathBuf {
        files::old_copy(part, self.tag.as_deref())
    }

    /// Refuses what no switch of Dossier's says: removing the database or its evidence, a tag that is
    /// not one Dossier makes, or removing the key of a database that is not being replaced (which would
    /// lose an encrypted database for good).
    fn sound(&self, db: &Path) -> Result<()> {
        let replaced = self.copy_of(db).exists() || self.old_of(db).exists();
        let tagged = self.tag.as_deref().is_none_or(is_tag);
        if self.database != Fate::Replace
            || self.files != Fate::Replace
            || !tagged
            || (self.key == Fate::Remove && !replaced)
        {
            return Err(Error::Conflict(format!(
                "{} asks for what Dossier never does (remove the database, its evidence or its key); it was not obeyed: remove that file if you did not make it",
                files::marker(db).display()
            )));
        }
        Ok(())
    }
}

/// The new copies a conversion writes beside the parts it replaces, named `<part>.new-<tag>` with a
/// random tag: no file of the user's is ever taken for one, overwritten or removed.
pub(crate) struct NewCopies {
    tag: String,
}

impl NewCopies {
    pub(crate) fn new() -> NewCopies {
        NewCopies { tag: super::registry::new_id() }
    }

    /// The new copy of `part`.
    pub(crate) fn of(&self, part: &Path) -> PathBuf {
        files::new_copy(part, Some(&self.tag))
    }

    /// Removes the new copies written so far (a conversion that failed before its switch).
    pub(crate) fn discard(&self, db: &Path) {
        for part in [db.to_path_buf(), files::evidence(db), files::key(db)] {
            let _ = remove(&self.of(&part));
        }
    }
}

/// Whether `text` is a tag Dossier makes (a UUID).
fn is_tag(text: &str) -> bool {
    uuid::Uuid::parse_str(text).is_ok_and(|u| u.hyphenated().to_string() == text)
}

/// The copies `<part>.new-<tag>` left in `part`'s folder by conversions that never reached their switch.
pub(crate) fn orphan_copies(part: &Path) -> Vec<PathBuf> {
    let found = files::beside(part).unwrap_or_default();
    found.into_iter().filter(|(rest, _)| rest.strip_prefix("new-").is_some_and(is_tag)).map(|(_, e)| e.path()).collect()
}

fn parts(db: &Path, s: &Switch) -> [(PathBuf, Fate); 3] {
    [(db.to_path_buf(), s.database), (files::evidence(db), s.files), (files::key(db), s.key)]
}

pub(crate) fn remove(path: &Path) -> Result<()> {
    let done = if path.is_dir() { std::fs::remove_dir_all(path) } else { std::fs::remove_file(path) };
    match done {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(path, e)),
    }
}

pub(crate) fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to).map_err(|e| Error::io(from, e))
}

pub(crate) fn sync_dir(db: &Path) -> Result<()> {
    let dir = super::staged::folder_of(db);
    std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(|e| Error::io(dir, e))
}

/// Finishes an interrupted switch, or undoes one that never reached its marker. Run before a database
/// is opened; does nothing when no switch was under way.
pub(crate) fn recover(db: &Path) -> Result<()> {
    let marker = files::marker(db);
    let switch: Option<Switch> = match std::fs::read_to_string(&marker) {
        Ok(text) => Some(serde_json::from_str(&text).map_err(|e| {
            Error::Locked(format!("{} is damaged ({e}); an encryption change was interrupted", marker.display()))
        })?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io(&marker, e)),
    };
    let Some(switch) = switch else {
        // No marker: the tagged new copies there are from a switch that never committed. Only those:
        // a `<part>.new` without a tag may be the user's, and is left alone.
        for part in [db.to_path_buf(), files::evidence(db), files::key(db)] {
            for orphan in orphan_copies(&part) {
                remove(&orphan)?;
            }
        }
        return Ok(());
    };
    switch.sound(db)?;
    // The old database's WAL was checkpointed into it before the marker was written; it must never be
    // read as the new database's.
    remove(&files::wal(db))?;
    remove(&files::shm(db))?;
    for (part, fate) in parts(db, &switch) {
        let new = switch.copy_of(&part);
        let old = switch.old_of(&part);
        match fate {
            Fate::Replace if new.exists() => {
                if part.exists() {
                    remove(&old)?;
                    rename(&part, &old)?;
                }
                rename(&new, &part)?;
            }
            Fate::Remove if part.exists() => {
                remove(&old)?;
                rename(&part, &old)?;
            }
            _ => {}
        }
    }
    sync_dir(db)?;
    for (part, _) in parts(db, &switch) {
        remove(&switch.old_of(&part))?;
    }
    remove(&marker)?;
    sync_dir(db)
}

/// Refuses to read a database whose switch was interrupted, when it cannot be finished (read-only).
pub(crate) fn refuse_unfinished_switch(db: &Path) -> Result<()> {
    if files::marker(db).exists() {
        return Err(Error::Conflict(format!(
            "an encryption change of {} was interrupted; open it writable once to finish it",
            db.display()
        )));
    }
    Ok(())
}

/// Commits a switch whose new copies are complete and on disk.
pub(crate) fn commit(db: &Path, switch: Switch) -> Result<()> {
    let text = serde_json::to_string(&switch).map_err(|e| Error::internal(format!("switch marker: {e}")))?;
    super::staged::write_whole(&files::marker(db), text.as_bytes())?;
    recover(db)
}
