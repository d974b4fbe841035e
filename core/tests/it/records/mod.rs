//! The records of a dispute at the core's public boundary: creating, reading, editing and deleting
//! every kind, the rules that keep references between them whole, the refusal of bad input without
//! writing anything, and the append-only change log that every successful write extends by one entry.

mod agreement;
mod allegation;
mod bad_input;
mod case;
mod change_log;
mod event;
mod letter;
mod party;
mod privacy;
mod references;
mod response;
mod round_trip;
mod scene;

pub use scene::scene;
