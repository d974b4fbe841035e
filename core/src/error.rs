//! The core's error type. Every failure a user can cause names the value that was wrong, in one
//! lower-case line, and falls in one of a few stable categories that front ends map to codes
//! (`Error::code`), so a UI branches on the category and never on the message text.

use crate::date::DateError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A value given by the user is malformed or missing; `field` names the input it came from.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("{field}: {source}")]
    Date { field: String, source: DateError },
    /// A record looked up by id, slug or name does not exist.
    #[error("no {kind} '{key}'")]
    NotFound { kind: &'static str, key: String },
    /// The change would break the record: a duplicate, or a record still referenced elsewhere.
    #[error("{0}")]
    Conflict(String),
    #[error("database was written by a newer Dossier (schema version {found}, this build knows up to {supported}); upgrade Dossier to open it")]
    SchemaTooNew { found: i64, supported: usize },
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database migration: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// The change log does not verify: a row was edited or removed outside the core.
    #[error("change log broken at entry {seq}: {reason}")]
    Tampered { seq: i64, reason: String },
}

impl Error {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid { field: field.into(), message: message.into() }
    }

    pub fn not_found(kind: &'static str, key: impl Into<String>) -> Self {
        Error::NotFound { kind, key: key.into() }
    }

    pub fn io(path: impl AsRef<std::path::Path>, source: std::io::Error) -> Self {
        Error::Io { path: path.as_ref().display().to_string(), source }
    }

    /// The stable category of the error, shared by the CLI's exit codes and the desktop shell's
    /// `{ code, message }` errors.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Invalid { .. } | Error::Date { .. } => "invalid_input",
            Error::NotFound { .. } => "not_found",
            Error::Conflict(_) => "conflict",
            Error::SchemaTooNew { .. } => "schema_too_new",
            Error::Io { .. } => "io",
            Error::Sqlite(_) | Error::Migration(_) => "database",
            Error::Tampered { .. } => "tampered",
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
