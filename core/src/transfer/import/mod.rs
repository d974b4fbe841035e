//! Bringing records in from the files people already have: a chronology kept in a spreadsheet (CSV)
//! becomes events, and an e-mail saved as `.eml` becomes a letter with its attachments as evidence,
//! as does each message of a mailbox (`.mbox`, or a folder of `.eml` files), and Outlook's own
//! files: an `.msg` message, a `.pst` archive (`outlook`).
//! Each import is all-or-nothing: every row or part is checked first and everything is written in one
//! [`crate::store::Store::batch`], so a bad row, a refused duplicate or a broken file leaves the database as it was.
//! (An attachment's bytes may already have been copied into the content-addressed evidence store when
//! a later step fails; such a blob is unreferenced, never a row pointing at a missing file.)

mod csv;
mod eml;
mod mbox;
mod outlook;

use serde::Serialize;

pub(crate) use csv::sheet_as_csv;
pub use csv::{csv_chronology, csv_chronology_watched, csv_chronology_with, Column, COLUMNS};
pub use eml::eml;
pub use mbox::{eml_folder, mailbox, split_mbox, MAX_MAILBOX_BYTES};
pub use outlook::{msg, pst, MAX_PST_BYTES};

/// What an import did, for the user.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportReport {
    /// Ids of every record created (parties, letters, events, evidence), in the order they were made.
    pub created: Vec<String>,
    pub letters: usize,
    pub events: usize,
    pub evidence: usize,
    /// Notes for the user: parties added, columns ignored, rows skipped, threading.
    pub messages: Vec<String>,
}

/// Largest file an import reads (50 MiB).
pub const MAX_FILE_BYTES: usize = 50 << 20;
