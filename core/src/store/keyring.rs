//! The user's keyring, through the Secret Service (gnome-keyring, KWallet, KeePassXC): where this
//! installation's log key is kept when a keyring answered, unlocked, the moment the key was made (see
//! `log_key`, which decides).
//!
//! Two rules make it safe to call from a script:
//! - nothing here asks the keyring to unlock, which would show a prompt and wait for a person: a
//!   locked collection or item is an answer ([`Unreachable::Locked`]), never a question to the user;
//! - every call runs on a thread of its own and is given [`TIME`]: a keyring that does not answer
//!   (a hung daemon, a service being started) is taken as not there, and Dossier goes on. The thread
//!   is left to finish or hang on its own; it holds nothing the rest of the process waits for.
//!
//! The key's item is found by its attributes (`application=org.dossier.app`, `purpose=log-key`,
//! `id=<key id>`) in any collection, so a user who moves it to another collection keeps it working; a
//! new one goes into the default collection. Its secret is the key in hexadecimal, so `secret-tool`
//! shows it as the file would hold it.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use secret_service::blocking::SecretService;
use secret_service::{EncryptionType, Error as SsError};
use zeroize::Zeroizing;

/// How long a keyring is given to answer.
pub const TIME: Duration = Duration::from_secs(2);

/// The label the keyring shows for the key's item.
const LABEL: &str = "Dossier change-log key";

/// Why the keyring could not be used. Each says what a person can do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreachable {
    /// No session bus: a login over ssh, a service, a container.
    NoBus,
    /// A session bus, but no Secret Service on it.
    NoService,
    /// No answer within [`TIME`].
    Slow,
    /// The collection (or the item) is locked.
    Locked,
    /// The keyring has no default collection that outlasts the session to put a new item in.
    NoCollection,
    /// The keyring answered, but holds no such item.
    Missing,
    /// Any other failure, as the keyring or D-Bus worded it.
    Failed(String),
}

impl std::fmt::Display for Unreachable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unreachable::NoBus => f.write_str("there is no session bus here (a login over ssh, or no desktop session)"),
            Unreachable::NoService => f.write_str("no keyring (Secret Service) answers on the session bus"),
            Unreachable::Slow => write!(f, "the keyring did not answer within {} s", TIME.as_secs()),
            Unreachable::Locked => f.write_str("the keyring is locked"),
            Unreachable::NoCollection => f.write_str("the keyring has no default collection kept on disk"),
            Unreachable::Missing => f.write_str("the keyring does not hold the key"),
            Unreachable::Failed(why) => write!(f, "the keyring failed: {why}"),
        }
    }
}

/// The attributes of the item that holds the key `id`.
fn attributes(id: &str) -> HashMap<&str, &str> {
    HashMap::from([("application", super::APP_ID), ("purpose", "log-key"), ("id", id)])
}

/// The key `id`, as its item's secret. Never unlocks: a key only in a locked collection is
/// [`Unreachable::Locked`].
pub(crate) fn load(id: &str) -> Result<Zeroizing<Vec<u8>>, Unreachable> {
    let id = id.to_string();
    bounded(move || {
        let service = connect()?;
        let found = service.search_items(attributes(&id)).map_err(failed)?;
        match (found.unlocked.first(), found.locked.is_empty()) {
            (Some(item), _) => item.get_secret().map(Zeroizing::new).map_err(failed),
            (None, false) => Err(Unreachable::Locked),
            (None, true) => Err(Unreachable::Missing),
        }
    })
}

/// Keeps `secret` as the key `id` in the default collection, replacing an item of the same key, when
/// that collection is unlocked; then reads it back, so a key is never taken as kept when it is not.
pub(crate) fn store(id: &str, secret: &[u8]) -> Result<(), Unreachable> {
    let id = id.to_string();
    let secret = Zeroizing::new(secret.to_vec());
    bounded(move || {
        let service = connect()?;
        let collection = service.get_default_collection().map_err(no_collection)?;
        // GNOME Keyring's session collection lives in memory until logout: a key kept there would be
        // lost with it, and every seal it made could no longer be verified.
        if collection.collection_path.as_str().ends_with("/collection/session") {
            return Err(Unreachable::NoCollection);
        }
        // Checked first: creating an item in a locked collection may answer with a prompt, which the
        // client library would then show.
        if collection.is_locked().map_err(failed)? {
            return Err(Unreachable::Locked);
        }
        collection.create_item(LABEL, attributes(&id), &secret, true, "text/plain").map_err(failed)?;
        let found = service.search_items(attributes(&id)).map_err(failed)?;
        let item = found.unlocked.first().ok_or(Unreachable::Missing)?;
        match Zeroizing::new(item.get_secret().map_err(failed)?) == secret {
            true => Ok(()),
            false => Err(Unreachable::Failed("the key read back differs from the key kept".into())),
        }
    })
}

/// Removes every unlocked item of the key `id` (after it was moved to a file, or when another process
/// made the installation's key first). Items in a locked collection stay.
pub(crate) fn remove(id: &str) -> Result<(), Unreachable> {
    let id = id.to_string();
    bounded(move || {
        let service = connect()?;
        let found = service.search_items(attributes(&id)).map_err(failed)?;
        for item in &found.unlocked {
            item.delete().map_err(failed)?;
        }
        match found.locked.is_empty() {
            true => Ok(()),
            false => Err(Unreachable::Locked),
        }
    })
}

/// A session with the Secret Service; the secrets cross the bus encrypted (the `dh-ietf1024` session
/// libsecret uses too).
fn connect() -> Result<SecretService<'static>, Unreachable> {
    SecretService::connect(EncryptionType::Dh).map_err(|e| match e {
        SsError::Unavailable => Unreachable::NoService,
        // No such name on the bus, and none to start: D-Bus's error, as zbus words it.
        other if other.to_string().contains("ServiceUnknown") => Unreachable::NoService,
        other => failed(other),
    })
}

fn failed(e: SsError) -> Unreachable {
    match e {
        SsError::Locked => Unreachable::Locked,
        SsError::NoResult => Unreachable::Missing,
        other if other.to_string().contains("IsLocked") => Unreachable::Locked,
        other => Unreachable::Failed(other.to_string()),
    }
}

fn no_collection(e: SsError) -> Unreachable {
    match e {
        SsError::NoResult => Unreachable::NoCollection,
        other => failed(other),
    }
}

/// Runs `work` on a thread of its own and waits [`TIME`] for it. Where there is no session bus at
/// all, nothing is started.
fn bounded<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, Unreachable> + Send + 'static,
) -> Result<T, Unreachable> {
    if !has_session_bus() {
        return Err(Unreachable::NoBus);
    }
    let (sender, answer) = mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("keyring".into())
        .spawn(move || {
            // The receiver may have given up waiting: then the answer goes nowhere.
            let _ = sender.send(work());
        })
        .map_err(|e| Unreachable::Failed(format!("no thread to ask it on: {e}")))?;
    match answer.recv_timeout(TIME) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(Unreachable::Slow),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(Unreachable::Failed("it stopped without an answer".into())),
    }
}

/// Whether a session bus can be reached the way D-Bus clients look for one: `DBUS_SESSION_BUS_ADDRESS`,
/// else the user's bus socket in `$XDG_RUNTIME_DIR` (or `/run/user/<uid>`).
fn has_session_bus() -> bool {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|a| !a.is_empty()) {
        return true;
    }
    let runtime = match std::env::var_os("XDG_RUNTIME_DIR") {
        Some(dir) => PathBuf::from(dir),
        // SAFETY: geteuid has no preconditions, cannot fail and touches no memory of ours.
        None => PathBuf::from(format!("/run/user/{}", unsafe { libc::geteuid() })),
    };
    runtime.join("bus").exists()
}
