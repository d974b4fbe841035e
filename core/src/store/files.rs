//! The names of the files a database keeps beside itself, all in one place. A database `<db>` is
//! never one file: its evidence folder, its key file when it is encrypted, its anchor, SQLite's
//! journals, a conversion's marker and new copies, the snapshots taken before an upgrade or a restore
//! all sit beside it, named `<db>` plus a suffix. Every module that opens, copies, converts, backs up
//! or lists them asks here, so a name cannot drift between the code that writes a file and the code
//! that finds it again (a companion the encryption misses is plaintext left behind).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The suffixes of a database's own files (added to its name: `dossier.sqlite.key`).
const KEY: &str = ".key";
const EVIDENCE: &str = ".files";
const ANCHOR: &str = ".anchor";
const MARKER: &str = ".switch";
const LAST_BACKUP: &str = ".last-backup";
const WAL: &str = "-wal";
const SHM: &str = "-shm";
const JOURNAL: &str = "-journal";

/// What follows `<db>.` in the name of a snapshot taken before a schema upgrade (`before-v<N>-<time>`)
/// and before a restore (`before-restore-<time>`).
const BEFORE_UPGRADE: &str = "before-v";
const BEFORE_RESTORE: &str = "before-restore-";

/// `path` with `suffix` added to its file name (`dossier.sqlite` → `dossier.sqlite-wal`).
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// The key file of the database at `db` (`<db>.key`): there exactly when the database is encrypted.
pub fn key(db: &Path) -> PathBuf {
    with_suffix(db, KEY)
}

/// The evidence folder of the database at `db` (`<db>.files/`).
pub fn evidence(db: &Path) -> PathBuf {
    with_suffix(db, EVIDENCE)
}

/// Where the anchor of the database at `db` is kept (`<db>.anchor`).
pub fn anchor(db: &Path) -> PathBuf {
    with_suffix(db, ANCHOR)
}

/// The marker of a switch of the database at `db` to its new copies (`<db>.switch`).
pub fn marker(db: &Path) -> PathBuf {
    with_suffix(db, MARKER)
}

/// Where the last backup of the database at `db` is remembered (`<db>.last-backup`).
pub fn last_backup(db: &Path) -> PathBuf {
    with_suffix(db, LAST_BACKUP)
}

/// SQLite's write-ahead log of the database at `db` (`<db>-wal`).
pub fn wal(db: &Path) -> PathBuf {
    with_suffix(db, WAL)
}

/// SQLite's shared-memory index of the WAL (`<db>-shm`).
pub fn shm(db: &Path) -> PathBuf {
    with_suffix(db, SHM)
}

/// SQLite's rollback journal of a database not in WAL mode, as a copy is (`<db>-journal`).
pub fn journal(db: &Path) -> PathBuf {
    with_suffix(db, JOURNAL)
}

/// The new copy of `part` a conversion writes (`<part>.new-<tag>`; `<part>.new` for a conversion of
/// an older Dossier, which had no tag).
pub fn new_copy(part: &Path, tag: Option<&str>) -> PathBuf {
    match tag {
        Some(tag) => with_suffix(part, &format!(".new-{tag}")),
        None => with_suffix(part, ".new"),
    }
}

/// Where a part replaced by a switch waits until the switch is complete (`<part>.old-<tag>`).
pub fn old_copy(part: &Path, tag: Option<&str>) -> PathBuf {
    match tag {
        Some(tag) => with_suffix(part, &format!(".old-{tag}")),
        None => with_suffix(part, ".old"),
    }
}

/// The snapshot of the database at `db` taken before its upgrade to schema `version`, at `stamp`
/// (`<db>.before-v<N>-<stamp>`).
pub fn before_upgrade(db: &Path, version: usize, stamp: &str) -> PathBuf {
    with_suffix(db, &format!(".{BEFORE_UPGRADE}{version}-{stamp}"))
}

/// The database at `db` as a restore at `stamp` found it (`<db>.before-restore-<stamp>`).
pub fn before_restore(db: &Path, stamp: &str) -> PathBuf {
    with_suffix(db, &format!(".{BEFORE_RESTORE}{stamp}"))
}

/// Whether the database at `db` is encrypted (its key file is there).
pub fn is_encrypted(db: &Path) -> bool {
    key(db).is_file()
}

/// A name beside a database, by what follows `<db>.`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Beside {
    /// A whole copy of the database: the snapshot before an upgrade.
    BeforeUpgrade,
    /// A whole copy of the database: the one a restore replaced.
    BeforeRestore,
    /// A part's new copy left by a conversion of an older Dossier (`<db>.new`, `<db>.files.new`,
    /// `<db>.key.new`).
    UntaggedNew,
    /// Anything else: a part of the database, or of one of its copies, or a name of the user's.
    Other,
}

/// What `rest`, the part of a name after `<db>.`, names. A snapshot's own files (its key, anchor,
/// evidence folder, marker, journals) and its conversions under way are not snapshots.
pub(crate) fn classify(rest: &str) -> Beside {
    let snapshot = if rest.starts_with(BEFORE_RESTORE) {
        Beside::BeforeRestore
    } else if rest.starts_with(BEFORE_UPGRADE) {
        Beside::BeforeUpgrade
    } else if ["new", "files.new", "key.new"].contains(&rest) {
        return Beside::UntaggedNew;
    } else {
        return Beside::Other;
    };
    let own = [KEY, ANCHOR, EVIDENCE, MARKER, JOURNAL, WAL, SHM];
    let converting = rest.contains(".new") || rest.contains(".old");
    if own.iter().any(|s| rest.ends_with(s)) || converting {
        return Beside::Other;
    }
    snapshot
}

/// The snapshot whose switch marker is named `<db>.<rest>`, if `rest` is one (`before-….switch`).
pub(crate) fn switching_snapshot(db: &Path, rest: &str) -> Option<PathBuf> {
    let snapshot = rest.strip_suffix(MARKER).filter(|s| s.starts_with("before-"))?;
    Some(with_suffix(db, &format!(".{snapshot}")))
}

/// The files and folders beside `path` whose names are its own plus `.SOMETHING`, each with what
/// follows that dot (`dossier.sqlite.new-…` → `new-…`); none when its folder is not there.
pub(crate) fn beside(path: &Path) -> Result<Vec<(String, std::fs::DirEntry)>> {
    let Some(name) = path.file_name() else { return Ok(Vec::new()) };
    let prefix = format!("{}.", name.to_string_lossy());
    let dir = super::staged::folder_of(path);
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    Ok(entries
        .flatten()
        .filter_map(|e| Some((e.file_name().to_string_lossy().strip_prefix(&prefix)?.to_string(), e)))
        .collect())
}
