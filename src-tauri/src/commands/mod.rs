//! One module per domain; each command is a thin async wrapper over one core function, run on a
//! blocking thread through `AppState::run`.

pub mod agreement;
pub mod allegation;
pub mod app;
pub mod case;
pub mod date;
pub mod event;
pub mod events;
pub mod evidence;
pub mod files;
pub mod letter;
pub mod lock;
pub mod party;
pub mod privacy;
pub mod produce;
pub mod proof;
pub mod response;
pub mod search;
pub mod timeline;
pub mod transfer;
