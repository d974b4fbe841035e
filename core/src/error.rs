//! The core's error type. Every failure a user can cause names the value that was wrong, in one
//! lower-case line, and falls in one of a few stable categories that front ends map to codes
//! (`Error::code`), so a UI branches on the category and never on the message text. A mistake in what
//! was typed also carries a stable key and the value it quotes ([`Invalid`], [`DateError::key`]), so
//! a front end can word it in the user's language.

use crate::date::DateError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A value given by the user is malformed or missing; `field` names the input it came from.
    #[error("{field}: {reason}")]
    Invalid { field: String, reason: Invalid },
    #[error("{field}: {source}")]
    Date { field: String, source: DateError },
    /// A record looked up by id, slug or name does not exist.
    #[error("no {kind} '{key}'")]
    NotFound { kind: &'static str, key: String },
    /// The change would break the record: a duplicate, or a record still referenced elsewhere.
    #[error("{0}")]
    Conflict(String),
    #[error(
        "database was written by a newer Dossier (schema version {found}, this build knows up to {supported}); \
         upgrade Dossier to open it"
    )]
    SchemaTooNew { found: i64, supported: usize },
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("database: {0}")]
    Sqlite(rusqlite::Error),
    /// Another connection (a second window, the CLI beside the app) held the database for writing
    /// longer than the store waits.
    /// Nothing was written: a write waits for the lock before it changes anything, and gives up whole.
    #[error(
        "the database is busy: another Dossier window or command is writing to it; nothing was written: try again when it is done"
    )]
    Busy,
    #[error("database migration: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// A key the record needs is not at hand: the database is encrypted and was not unlocked (no
    /// passphrase, a wrong one, or a missing or damaged key file), or a write would be sealed with this
    /// installation's log key, which could not be read (a locked or unreachable keyring, a damaged
    /// `log.key`). The message says which, and what to do.
    #[error("{0}")]
    Locked(String),
    /// The change log does not verify: a row was edited or removed outside the core.
    #[error("change log broken at entry {seq}: {reason}")]
    Tampered { seq: i64, reason: String },
    /// The user stopped a long import or export before it finished; nothing of it was written.
    #[error("cancelled: nothing was written")]
    Cancelled,
    /// The team's server cannot be reached (no network, server down, connection cut); nothing was lost:
    /// what was written here waits to be sent.
    #[error("the team server cannot be reached: {0}")]
    Offline(String),
    /// The team's server or the team's own rules refused the request (no permission, a reader writing,
    /// an unknown space or member).
    #[error("refused: {0}")]
    Rejected(String),
    /// The team's log does not verify at entry `seq`: an entry altered, reordered, removed or forged on
    /// the server, or a key swapped.
    #[error("the team's log was altered at entry {seq}: {reason}")]
    SpaceTampered { seq: i64, reason: String },
    /// This device was removed from the team space: it can neither read nor send any more.
    #[error("this device was removed from the team space: {0}")]
    Revoked(String),
    /// The server's log is shorter than what this device already saw from it: the server was restored
    /// from an older backup.
    #[error(
        "the team server was rolled back: it holds {found} entries, this device saw {seen}; nothing is sent until `dossier team repair` puts the lost entries back"
    )]
    RolledBack { seen: i64, found: i64 },
    /// A failure that is not the user's doing: a bug, or a library refusing what the core gave it.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => Error::Busy,
            _ => Error::Sqlite(e),
        }
    }
}

/// Why a value was refused: a stable `key` a front end can word in any language, the `value` the
/// message quotes (if any), and the message in English.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Invalid {
    pub key: &'static str,
    pub value: Option<String>,
    pub message: String,
}

impl Invalid {
    /// A refusal with its own key: `rule("deadline_before_date", Some(deadline), "…")`.
    pub fn rule(key: &'static str, value: Option<String>, message: impl Into<String>) -> Invalid {
        Invalid { key, value, message: message.into() }
    }

    pub fn required() -> Invalid {
        Invalid::rule("required", None, "is required")
    }
}

impl Error {
    pub fn invalid(field: impl Into<String>, reason: Invalid) -> Self {
        Error::Invalid { field: field.into(), reason }
    }

    /// A refusal of `field` with its key, the value it quotes and the English message.
    pub fn rule(
        field: impl Into<String>,
        key: &'static str,
        value: impl Into<Option<String>>,
        message: impl Into<String>,
    ) -> Self {
        Error::invalid(field, Invalid::rule(key, value.into(), message))
    }

    pub fn required(field: impl Into<String>) -> Self {
        Error::invalid(field, Invalid::required())
    }

    pub fn not_found(kind: &'static str, key: impl Into<String>) -> Self {
        Error::NotFound { kind, key: key.into() }
    }

    pub fn io(path: impl AsRef<std::path::Path>, source: std::io::Error) -> Self {
        Error::Io { path: path.as_ref().display().to_string(), source }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Error::Internal(message.into())
    }

    /// The same error with the input it names put in a wider place: a field `title` of the bundle's
    /// letter becomes `letter 'L1' title`.
    pub fn within(self, place: &str) -> Self {
        match self {
            Error::Invalid { field, reason } => Error::Invalid { field: format!("{place} {field}"), reason },
            Error::Date { field, source } => Error::Date { field: format!("{place} {field}"), source },
            other => other,
        }
    }

    /// The stable category of the error, shared by the CLI's exit codes and the desktop shell's
    /// `{ code, message }` errors.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Invalid { .. } | Error::Date { .. } => ErrorCode::InvalidInput,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::Conflict(_) => ErrorCode::Conflict,
            Error::SchemaTooNew { .. } => ErrorCode::SchemaTooNew,
            Error::Io { .. } => ErrorCode::Io,
            Error::Sqlite(_) | Error::Migration(_) => ErrorCode::Database,
            Error::Tampered { .. } => ErrorCode::Tampered,
            Error::Locked(_) => ErrorCode::Locked,
            Error::Busy => ErrorCode::Busy,
            Error::Cancelled => ErrorCode::Cancelled,
            Error::Offline(_) => ErrorCode::Offline,
            Error::Rejected(_) => ErrorCode::Rejected,
            Error::SpaceTampered { .. } => ErrorCode::Tampered,
            Error::Revoked(_) => ErrorCode::Revoked,
            Error::RolledBack { .. } => ErrorCode::RolledBack,
            Error::Internal(_) => ErrorCode::Internal,
        }
    }

    /// For a mistake in what was typed: the key a front end words it by and the value it quotes.
    pub fn key(&self) -> Option<(&'static str, Option<String>)> {
        match self {
            Error::Invalid { reason, .. } => Some((reason.key, reason.value.clone())),
            Error::Date { source, .. } => {
                let (key, value) = source.key();
                Some((key, Some(value)))
            }
            _ => None,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal,)+) => {
        /// The stable categories of [`Error`], written once: the desktop shell sends them as the `code`
        /// of its errors (exported to the UI's bindings), the CLI maps them to exit codes, and
        /// ARCHITECTURE.md lists them (a test compares).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        pub enum ErrorCode {
            $($(#[$doc])* #[serde(rename = $code)] $variant,)+
        }

        impl ErrorCode {
            /// Every code, in the order they are listed.
            pub const ALL: &[ErrorCode] = &[$(ErrorCode::$variant,)+];

            /// The code as serialized: `invalid_input`, `not_found`, ….
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)+
                }
            }
        }
    };
}

error_codes! {
    /// A value the user gave is malformed or missing.
    InvalidInput = "invalid_input",
    /// A record looked up does not exist.
    NotFound = "not_found",
    /// The change would break the record: a duplicate, or a record still referenced elsewhere.
    Conflict = "conflict",
    /// The database was written by a newer Dossier.
    SchemaTooNew = "schema_too_new",
    /// A file could not be read or written.
    Io = "io",
    /// SQLite or a migration failed.
    Database = "database",
    /// The change log, or the team's log, does not verify.
    Tampered = "tampered",
    /// The database is encrypted and not unlocked, or this installation's log key could not be read.
    Locked = "locked",
    /// Another connection held the database for writing; nothing was written.
    Busy = "busy",
    /// The user stopped a long import; nothing was written.
    Cancelled = "cancelled",
    /// The team's server cannot be reached; what was written here waits to be sent.
    Offline = "offline",
    /// The team's server or the team's rules refused the request.
    Rejected = "rejected",
    /// This device was removed from the team space.
    Revoked = "revoked",
    /// The team's server holds fewer entries than this device saw: restored from an older backup.
    RolledBack = "rolled_back",
    /// Not the user's doing: a bug, or a library refusing what the core gave it.
    Internal = "internal",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
