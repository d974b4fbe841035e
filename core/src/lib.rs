//! Dossier's core: the record of a dispute between organisations, kept in one local SQLite file, and
//! the chronology built from it. It knows nothing of Tauri or any window; the `dossier` CLI and the
//! desktop shell are thin layers over these modules. Every write goes through [`store::Store::write`].

pub mod cli;
pub mod date;
pub mod demo;
pub mod error;
pub mod input;
pub mod markdown;
pub mod record;
pub mod store;
pub mod transfer;
pub mod view;
pub mod vocabulary;

pub use error::{Error, Result};
pub use store::Store;
