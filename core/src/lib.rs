//! Dossier's core: the record of a dispute between organisations, kept in one local SQLite file, and
//! the chronology built from it. It knows nothing of Tauri or any window; the `dossier` CLI and the
//! desktop shell are thin layers over these modules. Every write goes through [`store::Store::write`].

pub mod agreement;
pub mod allegation;
pub mod attribution;
pub mod bundle;
pub mod calendar;
pub mod case;
pub mod cli;
pub mod date;
pub mod demo;
pub mod error;
pub mod event;
pub mod evidence;
pub mod export;
pub mod import;
pub mod input;
pub mod letter;
pub mod markdown;
pub mod party;
pub mod response;
pub mod search;
pub mod store;
pub mod timeline;
pub mod transfer;

pub use error::{Error, Result};
pub use store::Store;
