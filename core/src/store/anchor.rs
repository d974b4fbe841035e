//! The anchor: the head of the change log (its last entry's number and hash) kept outside the
//! database, in `<database>.anchor` beside it, rewritten after every write. Someone who edits the
//! database file can recompute the whole hash chain, or cut its last entries, and the chain alone
//! would still verify; the head they leave then differs from the last one the app or the CLI saw, which
//! `check` compares it with. A second copy is kept in this installation's configuration folder (see
//! `seal`), out of reach of whoever can write only the database folder. The same head is printed by
//! `dossier check` and written into every export and backup, so a copy kept elsewhere anchors it too.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::Digest;

use super::files;
use crate::error::{Error, Result};

/// A head of the change log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Anchor {
    /// The number of the last entry (0 for an empty log).
    pub seq: i64,
    /// Its hash.
    pub hash: String,
}

impl std::fmt::Display for Anchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.seq, self.hash)
    }
}

impl std::str::FromStr for Anchor {
    type Err = Error;

    /// `SEQ:HASH`, as [`Anchor`]'s `Display` writes it.
    fn from_str(text: &str) -> Result<Anchor> {
        let bad = || {
            Error::rule(
                "anchor",
                "bad_anchor",
                crate::input::shorten(text),
                format!(
                    "'{}' is not an anchor (ENTRY:HASH, as `dossier check` prints it)",
                    crate::input::shorten(text)
                ),
            )
        };
        let (seq, hash) = text.trim().split_once(':').ok_or_else(bad)?;
        let seq = seq.parse().map_err(|_| bad())?;
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        Ok(Anchor { seq, hash: hash.to_ascii_lowercase() })
    }
}

/// The last anchor written beside the database at `db`, if there is one.
pub fn load(db: &Path) -> Result<Option<Anchor>> {
    let file = files::anchor(db);
    match std::fs::read_to_string(&file) {
        Ok(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| Error::rule("anchor", "bad_anchor", None, format!("{} cannot be read: {e}", file.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(&file, e)),
    }
}

/// Where this installation keeps its own copy of the anchor of the database at `db`: in its
/// configuration folder, named by a hash of the database's full path.
pub fn kept_path(db: &Path) -> Option<PathBuf> {
    let full = std::fs::canonicalize(db).or_else(|_| std::path::absolute(db)).ok()?;
    let name = super::crypt::hex(&sha2::Sha256::digest(full.as_os_str().as_encoded_bytes())[..16]);
    Some(super::seal::config_dir()?.join("anchors").join(format!("{name}.json")))
}

/// The copy of the anchor of the database at `db` this installation keeps, if there is one.
pub fn load_kept(db: &Path) -> Result<Option<Anchor>> {
    let Some(file) = kept_path(db) else { return Ok(None) };
    match std::fs::read_to_string(&file) {
        Ok(text) => serde_json::from_str::<Kept>(&text)
            .map(|k| Some(k.anchor))
            .map_err(|e| Error::rule("anchor", "bad_anchor", None, format!("{} cannot be read: {e}", file.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(&file, e)),
    }
}

/// The installation's copy of an anchor, with the database it is of (for whoever reads the folder).
#[derive(Serialize, Deserialize)]
struct Kept {
    database: String,
    #[serde(flatten)]
    anchor: Anchor,
}

/// Writes the anchor beside the database at `db`, then the installation's copy: each whole (a temporary
/// file renamed over it), without waiting for the disk. An anchor lost to a power cut is an older one,
/// whose later entries `check` finds sealed by this installation.
pub(crate) fn save(db: &Path, anchor: &Anchor) -> Result<()> {
    let text = serde_json::to_string(anchor).map_err(|e| Error::internal(format!("anchor: {e}")))?;
    super::staged::write_whole_unsynced(&files::anchor(db), text.as_bytes())?;
    if let Some(kept) = kept_path(db) {
        let dir = kept.parent().unwrap_or(Path::new("."));
        {
            use std::os::unix::fs::DirBuilderExt;
            std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir).map_err(|e| Error::io(dir, e))?;
        }
        let copy = Kept { database: db.display().to_string(), anchor: anchor.clone() };
        let text = serde_json::to_string(&copy).map_err(|e| Error::internal(format!("anchor: {e}")))?;
        super::staged::write_whole_unsynced(&kept, text.as_bytes())?;
    }
    Ok(())
}

/// Removes the anchors of a database that is being created anew (beside it, and the installation's
/// copy).
pub(crate) fn forget(db: &Path) -> Result<()> {
    for file in [Some(files::anchor(db)), kept_path(db)].into_iter().flatten() {
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(&file, e)),
        }
    }
    Ok(())
}
