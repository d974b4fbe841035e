//! This installation's log key (see `seal`): where it is kept, made once, and moved only when the
//! user asks.
//!
//! The key of a plaintext database's seals must be out of reach of whoever can write the database
//! folder. It is made on the first write and kept either in the user's keyring (the Secret Service's
//! default collection, see `keyring`) or in `log.key` in the configuration folder, mode 0600.
//! `log.key` is always there and always says which: the key itself (64 hex digits), or
//! `keyring <key id>`, a reference that holds no secret. So:
//!
//! - **Where is decided once, when the key is made**: in the keyring when a session bus is there, a
//!   Secret Service answers within `keyring::TIME` and its default collection is already unlocked;
//!   else in the file. A keyring is never asked to unlock (a prompt would leave a script waiting on a
//!   person), and a hung one costs at most that time, once.
//! - **Every front end looks where the file says**, for the key the file names. The app and the CLI,
//!   whether run from the desktop, from a script or over ssh, seal with the same key or not at all: a
//!   front end that cannot read a key kept in the keyring (locked, no session bus over ssh) refuses
//!   to write, in one line that says why and what to do, and never makes a key of its own nor writes
//!   unsealed entries, which would split the installation's log between two keys or look forged to
//!   `check`. Reading and checking still work; `check` then says the seals could not be verified.
//! - **Moving keeps the key**: `move_to` carries the same 32 bytes between the file and the keyring,
//!   so its id, which every seal names, and every seal stay as they were. Installations whose key is
//!   in a file keep it there until the user moves it.

use std::path::{Path, PathBuf};

use serde::Serialize;
use zeroize::Zeroizing;

use super::keyring::{self, Unreachable};
use super::seal::{config_dir, LogKey};
use super::{crypt, staged};
use crate::error::{Error, Result};

/// The file, in the configuration folder, that holds the key or names its item in the keyring.
pub const FILE: &str = "log.key";

/// How `log.key` names a key kept in the keyring: `keyring <key id>`.
const REFERENCE: &str = "keyring ";

/// Where a log key is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Kept {
    /// Derived from an encrypted database's data key: the passphrase opens it.
    Database,
    /// In `log.key`, in this installation's configuration folder.
    File,
    /// In the user's keyring, which `log.key` names it in.
    Keyring,
}

/// What `log.key` holds.
enum Stored {
    Key(Zeroizing<[u8; 32]>),
    /// The id of a key kept in the keyring.
    Reference(String),
}

/// Why this installation's key, which exists, could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Why {
    Keyring(Unreachable),
    /// The keyring answered with a key whose id is not the one `log.key` names.
    WrongKey(String),
    Damaged,
    Unreadable(String),
}

/// This installation's key, which exists but could not be read: writes are refused (see the module's
/// doc) and `check` says which seals it could not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unread {
    id: Option<String>,
    file: PathBuf,
    why: Why,
}

impl Unread {
    /// The key's id, when `log.key` names it (a key in the keyring).
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// What is wrong, in a clause: "this installation's change-log key … is kept in the keyring, but
    /// the keyring is locked".
    pub fn what(&self) -> String {
        format!("this installation's change-log key{} {}", self.named(), self.state())
    }

    /// The same, of the key that sealed entries: "this installation's key …, which is kept in the
    /// keyring, but the keyring is locked".
    pub fn which(&self) -> String {
        format!("this installation's key{}, which {}", self.named(), self.state())
    }

    fn named(&self) -> String {
        self.id.as_deref().map(|id| format!(" {id}")).unwrap_or_default()
    }

    fn state(&self) -> String {
        let file = self.file.display();
        match &self.why {
            Why::Keyring(why) => format!("is kept in the keyring, but {why}"),
            Why::WrongKey(found) => format!("is kept in the keyring, but the keyring holds key {found} under its name"),
            Why::Damaged => format!("is kept in {file}, which is damaged"),
            Why::Unreadable(e) => format!("is kept in {file}, which cannot be read: {e}"),
        }
    }

    /// What to do before a write, in a clause.
    pub fn fix(&self) -> String {
        let file = self.file.display();
        match &self.why {
            Why::Keyring(Unreachable::Locked) => {
                "unlock the keyring (log in to the desktop session) and try again; or, once it is unlocked, run \
                 `dossier log-key --to-file` to keep the key in a file instead"
                    .into()
            }
            Why::Keyring(Unreachable::NoBus | Unreachable::NoService) => {
                "write from the desktop session, where the keyring is; or run `dossier log-key --to-file` there once, \
                 to keep the key in a file that every session can read"
                    .into()
            }
            Why::Keyring(Unreachable::Missing) | Why::WrongKey(_) => format!(
                "put the key's item back ({}), or move {file} away to let Dossier make a new key (the entries \
                 sealed with the lost one can then no longer be verified)",
                self.item()
            ),
            Why::Keyring(_) => "try again; if the keyring keeps failing, log out and in to restart it".into(),
            Why::Damaged => "move it away to let Dossier make a new one".into(),
            Why::Unreadable(_) => "make it readable by this user again".into(),
        }
    }

    /// When the key can be read again, in a clause: "once the keyring is unlocked (…)".
    pub fn when(&self) -> String {
        let file = self.file.display();
        match &self.why {
            Why::Keyring(Unreachable::Locked) => "once the keyring is unlocked (log in to the desktop session)".into(),
            Why::Keyring(Unreachable::NoBus | Unreachable::NoService) => {
                "from the desktop session, where the keyring is".into()
            }
            Why::Keyring(Unreachable::Missing) | Why::WrongKey(_) => {
                format!("once the key's item is back in the keyring ({})", self.item())
            }
            Why::Keyring(_) => "once the keyring answers".into(),
            Why::Damaged => format!("once {file} is restored"),
            Why::Unreadable(_) => format!("once {file} is readable by this user"),
        }
    }

    /// The attributes of the key's item, as `secret-tool` takes them.
    fn item(&self) -> String {
        format!("application {} purpose log-key id {}", super::APP_ID, self.id.as_deref().unwrap_or("?"))
    }

    /// What `dossier log-key` says of it.
    fn problem(&self) -> String {
        format!("{}: writes to plaintext databases are refused until it can be read; {}", self.what(), self.fix())
    }

    /// The error a write gets: nothing was written, and why, and what to do.
    pub(crate) fn refusal(&self) -> Error {
        Error::Locked(format!("{}: nothing was written; {}", self.what(), self.fix()))
    }
}

/// This installation's key, as the store opens it.
pub(crate) enum Found {
    /// No key (yet, or no configuration folder): entries are not sealed.
    None,
    Key(LogKey),
    Unread(Unread),
}

/// This installation's key, made when there is none and `create`. An error is a key that could not be
/// made (no configuration folder can be written): the store then writes unsealed entries, with a
/// warning, as it always did.
pub(crate) fn installation(create: bool) -> Result<Found> {
    let Some(dir) = config_dir() else { return Ok(Found::None) };
    let file = dir.join(FILE);
    match read(&file) {
        Ok(Some(stored)) => Ok(open(stored, &file)),
        Ok(None) if create => make(&dir, &file, None),
        Ok(None) => Ok(Found::None),
        Err(why) => Ok(Found::Unread(Unread { id: None, file, why })),
    }
}

/// What `log.key` holds; `None` when there is no such file.
fn read(file: &Path) -> Result<Option<Stored>, Why> {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => Zeroizing::new(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Why::Unreadable(e.to_string())),
    };
    let text = text.trim();
    if let Some(id) = text.strip_prefix(REFERENCE) {
        let id = id.trim();
        return match id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit()) {
            true => Ok(Some(Stored::Reference(id.to_ascii_lowercase()))),
            false => Err(Why::Damaged),
        };
    }
    parse(text).map(|key| Some(Stored::Key(key))).ok_or(Why::Damaged)
}

fn parse(text: &str) -> Option<Zeroizing<[u8; 32]>> {
    let bytes = Zeroizing::new(crypt::unhex(text.trim())?);
    let mut key = Zeroizing::new([0u8; 32]);
    key.copy_from_slice(bytes.get(..32).filter(|_| bytes.len() == 32)?);
    Some(key)
}

/// The key `log.key` holds or names.
fn open(stored: Stored, file: &Path) -> Found {
    match stored {
        Stored::Key(key) => Found::Key(LogKey::from_key(key, Kept::File)),
        Stored::Reference(id) => match from_keyring(&id) {
            Ok(key) => Found::Key(key),
            Err(why) => Found::Unread(Unread { id: Some(id), file: file.to_path_buf(), why }),
        },
    }
}

/// The key `id` from the keyring, checked to be that key.
fn from_keyring(id: &str) -> Result<LogKey, Why> {
    let secret = keyring::load(id).map_err(Why::Keyring)?;
    let not_a_key = || Why::Keyring(Unreachable::Failed("its item does not hold a key".into()));
    let text = std::str::from_utf8(&secret).map_err(|_| not_a_key())?;
    let key = LogKey::from_key(parse(text).ok_or_else(not_a_key)?, Kept::Keyring);
    match key.id() == id {
        true => Ok(key),
        false => Err(Why::WrongKey(key.id().to_string())),
    }
}

/// Makes this installation's key: kept in the keyring if `place` says so or, when it does not say,
/// if a keyring takes it now; in the file otherwise. `log.key` is created exclusively, so two processes
/// starting at once end up with the same key: the second reads the first's, and takes its own out of
/// the keyring.
fn make(dir: &Path, file: &Path, place: Option<Kept>) -> Result<Found> {
    use std::io::Write;
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir).map_err(|e| Error::io(dir, e))?;
    let key = crypt::random_key();
    let made = LogKey::from_key(key.clone(), Kept::File);
    let hex = Zeroizing::new(crypt::hex(key.as_slice()));
    let in_keyring = match place {
        Some(Kept::Keyring) => {
            keyring::store(made.id(), hex.as_bytes()).map_err(|why| cannot_keep(&why, "no key was made"))?;
            true
        }
        Some(_) => false,
        None => keyring::store(made.id(), hex.as_bytes()).is_ok(),
    };
    let (text, made) = match in_keyring {
        true => (Zeroizing::new(format!("{REFERENCE}{}\n", made.id())), LogKey::from_key(key, Kept::Keyring)),
        false => (hex, made),
    };
    match std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(file) {
        Ok(mut f) => {
            f.write_all(text.as_bytes()).and_then(|()| f.sync_all()).map_err(|e| Error::io(file, e))?;
            Ok(Found::Key(made))
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            if in_keyring {
                let _ = keyring::remove(made.id());
            }
            // Another process made it a moment ago; it may still be writing it.
            std::thread::sleep(std::time::Duration::from_millis(50));
            installation(false)
        }
        Err(e) => Err(Error::io(file, e)),
    }
}

/// This installation's key as `dossier log-key` tells it.
#[derive(Debug, Clone, Serialize)]
pub struct Whereabouts {
    /// Where the key is kept: `file` or `keyring`; none when there is no key yet (or `log.key` is
    /// damaged).
    pub kept: Option<Kept>,
    /// The key's id, which its seals name.
    pub id: Option<String>,
    /// `log.key`: the key itself, or the name of its item in the keyring.
    pub file: String,
    /// Why the key cannot be read now, and what to do, when it cannot.
    pub problem: Option<String>,
    /// Whether this call moved it (or made it where it was asked to be).
    pub moved: bool,
    /// What else to know: the keyring still holds a copy of a key moved to the file.
    pub note: Option<String>,
}

/// Where this installation's key is kept, and whether it can be read now. Asks the keyring (within its
/// time) when the key is there; makes nothing.
pub fn whereabouts() -> Result<Whereabouts> {
    let (_, file) = paths()?;
    let mut told =
        Whereabouts { kept: None, id: None, file: file.display().to_string(), problem: None, moved: false, note: None };
    match read(&file) {
        Ok(None) => {}
        Ok(Some(stored)) => match open(stored, &file) {
            Found::Key(key) => {
                told.kept = Some(key.kept());
                told.id = Some(key.id().to_string());
            }
            Found::Unread(unread) => {
                told.kept = Some(Kept::Keyring);
                told.id = unread.id.clone();
                told.problem = Some(unread.problem());
            }
            Found::None => {}
        },
        Err(why) => {
            let unread = Unread { id: None, file: file.clone(), why };
            told.problem = Some(unread.problem());
        }
    }
    Ok(told)
}

/// Moves this installation's key to `to` (the file or the keyring), the same key: its id and every
/// seal stay valid. With no key yet, makes it there. Refused, the key left where it was, when the
/// keyring is locked or not there.
pub fn move_to(to: Kept) -> Result<Whereabouts> {
    let (dir, file) = paths()?;
    let stored = read(&file).map_err(|why| Unread { id: None, file: file.clone(), why }.refusal())?;
    let mut note = None;
    let moved = match (stored, to) {
        (_, Kept::Database) => return Err(Error::internal("a log key is moved to the file or the keyring")),
        (None, _) => match make(&dir, &file, Some(to))? {
            Found::Unread(unread) => return Err(unread.refusal()),
            _ => true,
        },
        (Some(Stored::Key(_)), Kept::File) | (Some(Stored::Reference(_)), Kept::Keyring) => false,
        (Some(Stored::Key(key)), Kept::Keyring) => {
            let key = LogKey::from_key(key, Kept::File);
            let hex = Zeroizing::new(crypt::hex(key.secret()));
            let stays = format!("the key stays in {}", file.display());
            keyring::store(key.id(), hex.as_bytes()).map_err(|why| cannot_keep(&why, &stays))?;
            staged::write_whole_private(&file, format!("{REFERENCE}{}\n", key.id()).as_bytes())?;
            true
        }
        (Some(Stored::Reference(id)), Kept::File) => {
            let key = from_keyring(&id).map_err(|why| {
                let unread = Unread { id: Some(id.clone()), file: file.clone(), why };
                Error::Locked(format!("{}: the key was not moved; run this again {}", unread.what(), unread.when()))
            })?;
            staged::write_whole_private(&file, crypt::hex(key.secret()).as_bytes())?;
            if let Err(why) = keyring::remove(&id) {
                note = Some(format!("the keyring still holds a copy of the key ({why}); it is no longer used"));
            }
            true
        }
    };
    let mut told = whereabouts()?;
    told.moved = moved;
    told.note = note;
    Ok(told)
}

/// The refusal to put a key in the keyring: why, what came of it, and what to do.
fn cannot_keep(why: &Unreachable, outcome: &str) -> Error {
    let fix = match why {
        Unreachable::Locked => "unlock it (log in to the desktop session) and run this again",
        Unreachable::NoBus | Unreachable::NoService => "run this from the desktop session, where the keyring is",
        _ => "try again",
    };
    Error::Conflict(format!("cannot keep the change-log key in the keyring: {why}; {outcome}; {fix}"))
}

/// The configuration folder and `log.key` in it.
fn paths() -> Result<(PathBuf, PathBuf)> {
    let dir = config_dir().ok_or_else(|| {
        Error::rule("log key", "no_config_dir", None, "no per-user configuration folder (set DOSSIER_CONFIG_DIR)")
    })?;
    let file = dir.join(FILE);
    Ok((dir, file))
}
