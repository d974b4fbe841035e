//! Dossier's core: the record of a dispute between organisations, kept in one local SQLite file, and
//! the chronology built from it. It knows nothing of Tauri, of any window or of the command line; the
//! `dossier` CLI (crate `dossier-cli`) and the desktop shell (`src-tauri`) are thin layers over it.
//!
//! # Layers
//!
//! Bottom up; each layer uses only the layers below it (checked by `tests/it/layers.rs`):
//!
//! 0. [`error`], [`date`], [`vocabulary`], [`input`], [`markdown`]: values and their rules, no database;
//!    [`lookalike`] (names compared as they look); [`extract`] (the text of files), [`stem`] (word forms for search) and
//!    [`grams`] (words inside Chinese and Japanese text, for search); [`archive`] (web archives: WARC
//!    records written and read, MHTML pages read);
//! 1. [`store`]: the database and the evidence files — opening, migrations, the one write path
//!    ([`Store::write`]), the change log, the record registry, the derived tables;
//! 2. [`record`]: one module per noun, each owning its input, view, rules and tables; beside it,
//!    [`care`]: what is done to a database as a whole (backup and restore, check, encryption);
//! 3. [`view`]: read models that combine nouns (timeline, search, calendar, overview, link targets);
//! 4. [`transfer`] and [`demo`]: files in and out (exports, the JSON bundle, imports), and the demo cases;
//!    [`generate`]: synthetic cases at scale; `fuzzing` (feature `fuzzing`): the bodies of the fuzz
//!    targets, over the doors hostile input comes through.

pub mod archive;
pub mod care;
pub mod date;
pub mod demo;
pub mod error;
pub mod extract;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
pub mod generate;
pub mod grams;
pub mod input;
pub mod lookalike;
pub mod markdown;
pub mod pdfout;
pub mod record;
pub mod stem;
pub mod store;
pub mod transfer;
pub mod view;
pub mod vocabulary;

pub use error::{Error, ErrorCode, Result};
pub use store::Store;
