//! The care of a database as a whole: backing it up and restoring it ([`backup`]), checking it
//! ([`check`]), turning it encrypted or plaintext or changing its passphrase ([`encryption`]), and
//! erasing a record from it and every copy beside it ([`erase`]).
//!
//! Each of these opens a [`Store`](crate::store::Store), or is handed one, and works on the database
//! and every file beside it; none of them is part of opening, reading or writing the record. So they
//! sit above the store, in a layer of their own beside the nouns: they use the store, and the store
//! never names them (`tests/it/layers.rs` fails when it does). What opening needs stays below: the
//! names of the files beside a database (`store::files`), finishing a switch a kill interrupted
//! (`store::switch`), the whole copies an upgrade snapshot is made with (`store::copy`) and the
//! encryption of a plaintext copy found beside an encrypted database (`store::companions`).

pub mod backup;
pub mod check;
pub mod encryption;
pub mod erase;
