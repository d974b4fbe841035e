//! The bottom layer: the database and the evidence files, and nothing about any noun's rules.
//!
//! [`Store`] opens the SQLite file (pragmas, migrations, refusal of newer schemas) and is the one door
//! to it: reads go through a [`Reader`], and every write in the core goes through [`Store::write`],
//! which runs it in one immediate transaction, keeps the derived tables (search index, materialized
//! timeline) current and appends a hash-chained entry to the change log, all in that same
//! transaction. Keeping a single write path is what lets the audit trail, crash safety and later
//! merging be added in one place.
//!
//! - [`conn`]: the read-only [`Reader`] and the [`Writer`] only `write` hands out;
//! - [`registry`]: the `record` table every record has a row in: ids, kinds, stamps, deletes;
//! - [`columns`]: the five stored columns of a fuzzy date;
//! - [`blobs`] and [`staged`]: the content-addressed evidence files, and files written whole;
//! - [`files`]: the name of every file a database keeps beside itself;
//! - [`crypt`]: the keys of an encrypted database and the encryption of its evidence files;
//! - [`switch`] and [`copy`]: a database replaced by new copies of its parts, finished or undone on
//!   open after a kill, and the whole copies they and the upgrade snapshots are made with;
//! - [`companions`]: the copies of the record kept beside a database, encrypted with it;
//! - [`derived`]: the search index and the timeline rows, kept current inside `write`;
//! - [`change_log`]: the append-only, hash-chained log of every write, with the images of the records
//!   each write changed ([`images`]), kept compressed ([`packed`]), and its head kept outside the
//!   database ([`anchor`]);
//! - [`imported`]: the history a record brought from where it was made (a bundle's, a colleague's);
//! - [`sync`]: the team space this database may belong to (outbox, apply, rebase; see its doc);
//! - [`seal`]: the seals of its entries, under a key the database folder does not hold: this
//!   installation's ([`log_key`]), kept in a file or in the user's keyring ([`keyring`]);
//!
//! What is done to a database as a whole (backing it up, checking it, encrypting or decrypting it) is
//! in [`crate::care`], above the store: `Store` opens, reads and writes, and knows none of it.

pub mod anchor;
pub mod blobs;
pub mod change_log;
pub mod columns;
pub mod companions;
pub mod conn;
pub(crate) mod copy;
pub mod crypt;
pub mod derived;
pub mod erasure;
pub mod files;
pub mod images;
pub mod imported;
pub(crate) mod keyring;
pub mod log_key;
pub mod packed;
pub mod registry;
pub mod seal;
pub mod staged;
pub(crate) mod switch;
pub mod sync;
pub mod text;
mod upgrade;
mod write;

pub use upgrade::{schema_version, Upgrade};
pub(crate) use write::RECORDS_PER_ENTRY;
pub use write::{settled, Erased};

use std::path::{Path, PathBuf};

use rusqlite::Connection;

pub use conn::{Reader, Writer};
pub use crypt::{KdfParams, Passphrase};
pub use files::is_encrypted;

use crate::error::{Error, Result};

/// The directory name the desktop app and the CLI share under the per-user data directory.
pub const APP_ID: &str = "org.dossier.app";

/// The environment variable that names another database for the app and the CLI.
pub const DB_ENV: &str = "DOSSIER_DB";

/// How many prepared statements a connection keeps.
const STATEMENT_CACHE: usize = 256;

/// SQLite's page cache per connection, in KiB (see `Store::init`; the benches give raw SQLite the same).
pub const PAGE_CACHE_KIB: i64 = 64 * 1024;

pub struct Store {
    db: Reader,
    blobs: blobs::Blobs,
    /// Inside [`Store::batch`]: writes become savepoints of the batch's one transaction.
    in_batch: bool,
    /// Opened read-only: every write is refused before it starts.
    read_only: bool,
    /// The database file (`None` in memory), beside which the anchor is kept.
    path: Option<PathBuf>,
    /// Who writes, as the change log records it: the front end and the system user.
    actor: String,
    /// SQLCipher's raw key, when the database is encrypted (for its backups).
    sqlcipher_key: Option<zeroize::Zeroizing<String>>,
    /// The record the next write changes, and the `updated_at` it must still have (see
    /// [`Store::expect_unchanged`]).
    expected: Option<(String, String)>,
    /// What went wrong after a write committed (see [`Store::take_warnings`]).
    warnings: Vec<String>,
    /// The key that seals each log entry this store writes (see [`seal`]); `None` in memory, or when
    /// this installation has no configuration folder.
    log_key: Option<seal::LogKey>,
    /// This installation's key when it exists but could not be read (a locked keyring): every write
    /// that would be sealed is refused until it can be (see [`log_key`]).
    unread_key: Option<log_key::Unread>,
    /// The schema upgrade this opening made, until a front end has told the user of it.
    upgrade: Option<Upgrade>,
    /// The database belongs to a team space: each write is also kept to be sent (see [`sync`]).
    team: bool,
}

/// Encrypts the plaintext copies of the record still beside the encrypted database at `path` (a
/// conversion a kill interrupted, a copy put back by hand) under its key; returns a warning for each
/// that could not be.
fn encrypt_companions(path: &Path, key: &crypt::DataKey, wrapped: &str) -> Result<Vec<String>> {
    companions::recover_all(path)?;
    let outcomes = companions::encrypt_all(path, key, wrapped)?;
    Ok(outcomes
        .into_iter()
        .filter_map(|o| {
            o.error.map(|e| format!("{} holds the record in plaintext and could not be encrypted: {e}", o.path))
        })
        .collect())
}

/// A connection to the database file at `path`, unlocked with `key` when it is encrypted, and checked:
/// a key that does not open it is `Locked`. `immutable`: read-only, and SQLite may assume nothing
/// else changes the file (no locks, no shared memory).
fn connect(path: &Path, key: Option<&str>, read_only: bool, immutable: bool) -> Result<Connection> {
    use rusqlite::OpenFlags;
    let conn = if immutable {
        let uri = format!("file:{}?immutable=1", uri_path(path));
        Connection::open_with_flags(uri, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI)?
    } else if read_only {
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?
    } else {
        Connection::open(path)?
    };
    if let Some(key) = key {
        // The key must be the first thing the connection is told; SQLCipher then decrypts every page, of
        // the database and of its WAL, as it reads it.
        let pragma = zeroize::Zeroizing::new(format!("PRAGMA key = \"{key}\";"));
        conn.execute_batch(&pragma)?;
        // Temporary tables and sorts stay in memory, never in a plaintext temporary file.
        conn.execute_batch("PRAGMA temp_store = MEMORY;")?;
    }
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)) {
        Ok(_) => Ok(conn),
        Err(_) if key.is_some() => {
            Err(Error::Locked(format!("{} does not open this database", files::key(path).display())))
        }
        Err(e) => Err(e.into()),
    }
}

/// A path as the path of a `file:` URI: `%`, `?` and `#` percent-encoded.
fn uri_path(path: &Path) -> String {
    let mut out = String::new();
    for c in path.to_string_lossy().chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            c => out.push(c),
        }
    }
    out
}

impl Store {
    /// Opens (creating if needed) the plaintext database at `path`, with its evidence store in the
    /// folder beside it named after the database file (`dossier.sqlite` keeps its files in
    /// `dossier.sqlite.files/`). An encrypted database needs [`Store::open_with`].
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, None)
    }

    /// Opens the database at `path`, unlocking it with `passphrase` when it is encrypted. A missing or
    /// wrong passphrase is an error that says so; nothing is changed. A database file this process
    /// cannot write (read-only media, another user's file) is opened read-only.
    pub fn open_with(path: &Path, passphrase: Option<&Passphrase>) -> Result<Store> {
        let read_only = path.is_file() && std::fs::OpenOptions::new().write(true).open(path).is_err();
        Store::open_as(path, passphrase, read_only)
    }

    /// Opens the database at `path` read-only: it can be read, checked and exported, and every write
    /// is refused; nothing on disk changes, not even its journal mode.
    pub fn open_read_only(path: &Path, passphrase: Option<&Passphrase>) -> Result<Store> {
        Store::open_as(path, passphrase, true)
    }

    fn open_as(path: &Path, passphrase: Option<&Passphrase>, read_only: bool) -> Result<Store> {
        if read_only {
            switch::refuse_unfinished_switch(path)?;
            if !path.is_file() {
                return Err(Error::not_found("database", path.display().to_string()));
            }
        } else {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            switch::recover(path)?;
        }
        let evidence = files::evidence(path);
        let key_file = files::key(path);
        let mut warnings = Vec::new();
        let key = match std::fs::read_to_string(&key_file) {
            Ok(text) => {
                let passphrase =
                    passphrase.ok_or_else(|| Error::Locked("database is encrypted: give the passphrase".into()))?;
                let key = crypt::DataKey::unwrap(&text, passphrase)?;
                if !read_only {
                    warnings = encrypt_companions(path, &key, &text)?;
                }
                Some(key)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                refuse_unreadable(path)?;
                None
            }
            Err(e) => return Err(Error::io(&key_file, e)),
        };
        // Read-only without a WAL beside it (closed cleanly, copied, or on read-only media) means no
        // process has the database open: SQLite reads it as immutable, creating no WAL or shared-memory
        // file, which read-only media could not hold anyway.
        let immutable = read_only && !files::wal(path).exists();
        if !read_only && !path.exists() {
            anchor::forget(path)?;
        }
        let raw_key = key.as_ref().map(crypt::DataKey::sqlcipher_key);
        let conn = connect(path, raw_key.as_deref().map(String::as_str), read_only, immutable)?;
        if !read_only {
            // Staged files a killed process left: in the evidence folder and beside the database.
            staged::sweep(&evidence)?;
            staged::sweep(staged::folder_of(path))?;
        }
        let blobs = blobs::Blobs::new(evidence, key.as_ref().map(crypt::DataKey::blob_keys));
        let (log_key, unread_key) = match &key {
            Some(key) => (Some(seal::LogKey::of_data_key(key)), None),
            None => match log_key::installation(!read_only) {
                Ok(log_key::Found::Key(key)) => (Some(key), None),
                Ok(log_key::Found::Unread(unread)) => (None, Some(unread)),
                Ok(log_key::Found::None) => (None, None),
                Err(e) => {
                    warnings.push(format!("the change log is not sealed: {e}"));
                    (None, None)
                }
            },
        };
        let access = (read_only, log_key, unread_key);
        let mut store = Store::init(conn, blobs, access, Some(path), key.as_ref().map(|k| k.sqlcipher_key()))?;
        store.sqlcipher_key = key.as_ref().map(|k| k.sqlcipher_key());
        store.warnings.extend(warnings);
        Ok(store)
    }

    /// An in-memory database (for tests and previews) whose evidence files go to `files`.
    pub fn open_in_memory(files: &Path) -> Result<Store> {
        Store::init(
            Connection::open_in_memory()?,
            blobs::Blobs::new(files.to_path_buf(), None),
            (false, None, None),
            None,
            None,
        )
    }

    /// The database the desktop app and the CLI use when none is named: `dossier.sqlite` in the per-user
    /// data directory (`$XDG_DATA_HOME/org.dossier.app` on Linux).
    pub fn default_path() -> Option<PathBuf> {
        dirs::data_dir().map(|d| d.join(APP_ID).join("dossier.sqlite"))
    }

    /// `access`: whether the store is read-only, the key its log entries are sealed with, and this
    /// installation's key when it could not be read.
    fn init(
        mut conn: Connection,
        blobs: blobs::Blobs,
        (read_only, log_key, unread_key): (bool, Option<seal::LogKey>, Option<log_key::Unread>),
        path: Option<&Path>,
        key: Option<zeroize::Zeroizing<String>>,
    ) -> Result<Store> {
        // WAL keeps readers off the writer's back; synchronous=FULL makes each commit durable on its own,
        // so no committed record is lost to a crash or power cut (NORMAL could drop the last commits).
        // A database from a newer Dossier is refused before anything (even the journal mode) changes it.
        let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if found > schema_version() as i64 {
            return Err(Error::SchemaTooNew { found, supported: schema_version() });
        }
        if read_only && found != schema_version() as i64 {
            return Err(Error::Conflict(format!(
                "the database is read-only and at schema version {found}; this Dossier needs version {}: open a writable copy to upgrade it",
                schema_version()
            )));
        }
        if !read_only {
            conn.pragma_update(None, "journal_mode", "WAL")?;
        }
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Every query goes through the statement cache: a write runs a few dozen distinct statements
        // per record (its rows, its timeline, parties and search rows, its image), so SQLite's default
        // of 16 kept none of them and each was parsed again, a third of an import's time.
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        // A page read from the file costs a copy from the OS's cache when the database is plaintext,
        // and a decryption when it is encrypted: SQLite's own cache (2 MiB by default) is made large
        // enough to keep a case's working set decrypted. The same for both, so they compare fairly.
        conn.pragma_update(None, "cache_size", -PAGE_CACHE_KIB)?;
        // Names are matched ignoring case in every script, not only ASCII as SQLite's NOCASE does:
        // "électricité de france" finds "Électricité de France". Used in queries only, never in the
        // schema, so other tools can still open the file.
        conn.create_collation("UNICASE", |a: &str, b: &str| a.to_lowercase().cmp(&b.to_lowercase()))?;
        // The same folding for LIKE-style filters: `unicode_lower(x)` lower-cases every script.
        conn.create_scalar_function(
            "unicode_lower",
            1,
            rusqlite::functions::FunctionFlags::SQLITE_UTF8 | rusqlite::functions::FunctionFlags::SQLITE_DETERMINISTIC,
            |ctx| Ok(ctx.get::<Option<String>>(0)?.map(|s| s.to_lowercase())),
        )?;
        packed::register(&conn)?;
        let store = |conn| Store {
            db: Reader::new(conn),
            blobs,
            in_batch: false,
            read_only,
            path: path.map(Path::to_path_buf),
            actor: actor("dossier"),
            sqlcipher_key: None,
            expected: None,
            warnings: Vec::new(),
            log_key,
            unread_key,
            upgrade: None,
            team: false,
        };
        if read_only {
            derived::define(&conn)?;
            return Ok(store(conn));
        }
        let upgrade = upgrade::to_latest(&mut conn, path, found, key.as_deref().map(String::as_str))?;
        // Temporary tables (the write's touched records, SQLite's sorts) stay in memory.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        images::watch(&conn)?;
        derived::define(&conn)?;
        let mut store = store(conn);
        store.upgrade = upgrade;
        store.team = sync::outbox::in_space(&store.db)?;
        if let Some(person) = sync::local::person(&store.db)? {
            store.actor = actor_in_team("dossier", &person);
        }
        // Version 2 added the search index: fill it for records written before (file text needs Rust).
        // Checked on every open rather than only right after the upgrade, so an upgrade interrupted
        // before the index was filled is completed the next time. It is derived data, so it is not
        // a change of the record and leaves no change-log entry.
        let unindexed = store
            .db
            .exists("SELECT 1 WHERE EXISTS (SELECT 1 FROM record) AND NOT EXISTS (SELECT 1 FROM search_doc)", [])?;
        if unindexed {
            store.transaction(derived::search::rebuild)?;
        }
        // Text files waiting to be read since an upgrade (version 7 reads files again, page by page).
        store.read_waiting_text_files()?;
        // Version 3 keeps images of records in the log: a database written before gets one baseline
        // entry per 500 records holding their images as they are, so `check` and `history` start from it.
        if (1..3).contains(&found) {
            store.baseline()?;
        }
        Ok(store)
    }

    /// Logs the image of every record as it is now (see `init`).
    fn baseline(&mut self) -> Result<()> {
        let ids = self.db.strings("SELECT id FROM record ORDER BY id", [])?;
        for chunk in ids.chunks(500) {
            let detail = serde_json::json!({ "records": chunk.len(), "reason": "upgrade to schema version 3" });
            self.write("baseline", None, &detail, |w| {
                for id in chunk {
                    w.execute("INSERT OR IGNORE INTO temp.touched VALUES (?1)", [id])?;
                }
                Ok(())
            })?;
        }
        Ok(())
    }

    /// Runs `edit` (a noun's `update`) so that its write of the record `id` is refused, with nothing
    /// written, if the record changed since the user read it (`seen`: its `updated_at` then). An edit
    /// made from a stale read (another window, the CLI beside the app) is refused rather than silently
    /// overwriting the other change.
    pub fn edit_from<T>(&mut self, id: &str, seen: &str, edit: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        self.expected = Some((id.to_string(), seen.to_string()));
        let out = edit(self);
        self.expected = None;
        out
    }

    /// Names the front end that writes (`"app"`, `"cli"`), for the change log's record of who wrote.
    pub fn set_actor(&mut self, front: &str) {
        self.actor = match sync::local::person(&self.db) {
            Ok(Some(person)) => actor_in_team(front, &person),
            _ => actor(front),
        };
    }

    /// The database, for reading.
    pub fn reader(&self) -> &Reader {
        &self.db
    }

    /// The folder of the content-addressed evidence store.
    pub fn files_dir(&self) -> &Path {
        self.blobs.dir()
    }

    /// The evidence files.
    pub fn blobs(&self) -> &blobs::Blobs {
        &self.blobs
    }

    /// Whether the database and its files are encrypted.
    pub fn is_encrypted(&self) -> bool {
        self.blobs.is_encrypted()
    }

    fn user_version(&self) -> Result<i64> {
        Ok(self.db.connection().pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// Copies the database whole into the new file `target` with SQLite's online backup API: one
    /// consistent snapshot, under the same key when it is encrypted (see [`copy::snapshot`]).
    pub(crate) fn snapshot_to(&self, target: &Path) -> Result<()> {
        copy::snapshot(self.db.connection(), target, self.sqlcipher_key())
    }

    /// Moves everything in the WAL into the database file, and empties the WAL.
    pub(crate) fn checkpoint(&self) -> Result<()> {
        Ok(self.db.connection().execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?)
    }

    /// Writes the database whole into the new file `target`, encrypted under SQLCipher's raw `key`
    /// (plaintext when it is empty), at this schema version (see [`copy::export`]).
    pub(crate) fn export_to(&self, target: &Path, key: &str) -> Result<()> {
        copy::export(self.db.connection(), target, Some(key), self.user_version()?)
    }

    /// The key this store seals log entries with, if it has one.
    pub fn log_key(&self) -> Option<&seal::LogKey> {
        self.log_key.as_ref()
    }

    /// This installation's key when it exists but could not be read (a locked keyring).
    pub fn unread_log_key(&self) -> Option<&log_key::Unread> {
        self.unread_key.as_ref()
    }

    /// The schema upgrade this opening made, once: a front end that tells the user of it takes it, so
    /// it is said once however often it asks.
    pub fn take_upgrade(&mut self) -> Option<Upgrade> {
        self.upgrade.take()
    }

    /// The head of the change log.
    pub fn head(&self) -> Result<anchor::Anchor> {
        let (seq, hash) = change_log::head(&self.db)?;
        Ok(anchor::Anchor { seq, hash })
    }

    /// A second handle on the same database, read-only, for a long read (an export, a report typeset
    /// in the process) that should not hold this one: the app's commands wait on this store, not on its
    /// twin. It sees the database as it is when each of its reads begins.
    pub fn read_only_twin(&self) -> Result<Store> {
        self.twin(true)
    }

    /// A second handle on the same database that can write, as a second window or the CLI beside the
    /// app can: for an import, whose files are read and parsed before its one transaction, so that
    /// the app's own store stays free for every other command meanwhile. Their writes are serialized
    /// by SQLite's lock, as between any two instances.
    pub fn writable_twin(&self) -> Result<Store> {
        self.refuse_if_read_only()?;
        self.twin(false)
    }

    fn twin(&self, read_only: bool) -> Result<Store> {
        let path = self.path.as_deref().ok_or_else(|| Error::internal("an in-memory store has no twin"))?;
        let conn = connect(path, self.sqlcipher_key(), read_only, false)?;
        let blobs = blobs::Blobs::new(self.blobs.dir().to_path_buf(), self.blobs.keys().cloned());
        let mut twin = Store::init(
            conn,
            blobs,
            (read_only, self.log_key.clone(), self.unread_key.clone()),
            Some(path),
            self.sqlcipher_key.clone(),
        )?;
        twin.sqlcipher_key = self.sqlcipher_key.clone();
        twin.actor = self.actor.clone();
        Ok(twin)
    }

    /// An empty in-memory store of this one's schema, reading the same evidence files: the scratch copy
    /// a past state of the record is rebuilt in ([`Store::load_images`]).
    pub fn replica(&self) -> Result<Store> {
        let blobs = blobs::Blobs::new(self.blobs.dir().to_path_buf(), self.blobs.keys().cloned());
        Store::init(Connection::open_in_memory()?, blobs, (false, None, None), None, None)
    }

    /// Fills a [`Store::replica`] with the records of `images`, and its timeline and search index with
    /// them. This is the one write that does not go through [`Store::write`]: the replica lives in
    /// memory and is never the record, so it has no change log of its own.
    pub fn load_images(&mut self, images: &[images::Image]) -> Result<()> {
        if self.path.is_some() {
            return Err(Error::internal("images are loaded into an in-memory replica only"));
        }
        images::load(self.db.connection(), images)?;
        let ids = self.db.strings("SELECT id FROM record", [])?;
        self.transaction(|w| derived::refresh(w, &ids))
    }

    /// SQLCipher's raw key, when the database is encrypted.
    pub(crate) fn sqlcipher_key(&self) -> Option<&str> {
        self.sqlcipher_key.as_deref().map(String::as_str)
    }

    /// The database file, unless the store is in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Refuses any change of a store opened read-only. A change that does something before its write
    /// (puts files in the evidence store) asks first: the write itself refuses only once it starts.
    pub(crate) fn refuse_if_read_only(&self) -> Result<()> {
        if self.read_only {
            return Err(Error::Conflict(
                "the database is open read-only: it can be read, checked and exported, not changed".into(),
            ));
        }
        Ok(())
    }

    /// Whether the database was opened read-only.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Walks the change log and checks every entry's hash and link to the one before.
    /// Returns the number of entries verified.
    pub fn verify_change_log(&self) -> Result<usize> {
        change_log::verify(&self.db)
    }
}

/// Who writes: the front end, and the system user running it (by name, or by number when the
/// environment does not say).
fn actor(front: &str) -> String {
    use std::os::unix::fs::MetadataExt;
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()
        .filter(|u| !u.is_empty())
        .or_else(|| std::fs::metadata("/proc/self").ok().map(|m| format!("uid {}", m.uid())))
        .unwrap_or_else(|| "unknown".into());
    format!("{front} ({user})")
}

/// Who writes in a team space: the front end, the person and this device (`cli (Carla · device
/// 1a2b3c4d)`), as every member's history shows it.
fn actor_in_team(front: &str, (person, device): &(String, String)) -> String {
    format!("{front} ({person} · device {})", &device[..device.len().min(8)])
}

/// Refuses a file that exists but is not a plaintext SQLite database: most likely an encrypted one
/// whose key file is missing.
fn refuse_unreadable(path: &Path) -> Result<()> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let read = match std::fs::File::open(path) {
        Ok(mut f) => f.read(&mut head).map_err(|e| Error::io(path, e))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(path, e)),
    };
    if read == 0 || head.starts_with(b"SQLite format 3\0") {
        return Ok(());
    }
    Err(Error::Locked(format!(
        "{} is encrypted or is not a Dossier database, and its key file {} is missing",
        path.display(),
        files::key(path).display()
    )))
}
