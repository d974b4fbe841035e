//! Team spaces, network-free: what a member's database keeps to share its record with a team through
//! a blind, append-only server (`../../../../team/`, on PostgreSQL), and how it takes in what the others
//! wrote. The server holds only [`Sealed`] entries: sealed on the writing device, signed with its key,
//! chained by hash in the order the server fixed by compare-and-swap on its head. Every replica
//! applies that order, so all converge.
//!
//! - [`relay`]: what the core asks of the server ([`Relay`]), so that the engine here runs unchanged
//!   over PostgreSQL (crate `dossier-team`) or over the in-memory relay of the tests ([`memory`]);
//! - [`keys`] and [`envelope`]: this device's keys, the space's keys, and the seal, MAC and signature
//!   of each entry;
//! - [`files`]: evidence files sent before the entries that name them, fetched on demand;
//! - [`outbox`]: each write of a member's database kept, in its own transaction, to be sent;
//! - [`image`]: records as they travel (sync images), written by UPSERT, merged three ways;
//! - [`engine`]: pull, check, apply and push ([`crate::store::Store::sync`]), and `rebase`: this
//!   device's waiting writes rewound and merged again over the others' entries;
//! - [`space`]: a space made, joined, its members added and removed, conflicts resolved, a restored
//!   server repaired; [`local`]: what the database keeps of all that.
//! - the entry header and its chain hash ([`Sealed`], [`chain_hash`]), computed alike by every
//!   client and by the server's append trigger.

pub mod engine;
pub mod envelope;
pub mod files;
pub mod image;
pub mod keys;
pub mod local;
pub mod memory;
pub mod outbox;
mod rebase;
pub mod relay;
pub mod space;

pub use engine::Synced;
pub use relay::{Appended, Relay, WrappedKey};
pub use space::{Keep, Status};

use sha2::{Digest, Sha256};

/// The `prev_hash` of a space's first entry (its genesis).
pub const GENESIS_PREV: [u8; 32] = [0; 32];

/// What an entry of the space log is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The first entry: the space's name, its creator (first admin) and policy.
    Genesis = 0,
    /// A write of the record: the images of the records it changed.
    Write = 1,
    /// A member added, removed, or given another role; signed by an admin.
    Member = 2,
    /// A new epoch of the space key (after a removal), wrapped to each remaining device.
    Key = 3,
}

impl Kind {
    pub fn code(self) -> i16 {
        self as i16
    }

    pub fn from_code(code: i16) -> Option<Kind> {
        [Kind::Genesis, Kind::Write, Kind::Member, Kind::Key].into_iter().find(|k| k.code() == code)
    }
}

/// One entry as the space log holds it: a header the server can read and check the chain of, and a
/// body only members can open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    /// Its place in the space log, from 1.
    pub seq: i64,
    /// The hash of the entry before (all zeros for the first).
    pub prev_hash: [u8; 32],
    /// [`chain_hash`] of this header.
    pub hash: [u8; 32],
    /// Chosen by the writer: the same entry sent twice is one entry.
    pub entry_id: uuid::Uuid,
    /// The writing device's Ed25519 public key.
    pub author: [u8; 32],
    /// Which space key sealed the body.
    pub epoch: i32,
    /// [`Kind::code`].
    pub kind: i16,
    /// HMAC-SHA256 of the plaintext payload under the epoch's MAC key.
    pub mac: [u8; 32],
    /// The AEAD nonce (24 bytes).
    pub nonce: Vec<u8>,
    /// The sealed payload.
    pub body: Vec<u8>,
    /// The author's Ed25519 signature of `hash`.
    pub sig: Vec<u8>,
}

/// The hash that chains entry `seq` of space `space` to the one before: SHA-256 over length-prefixed
/// parts (each preceded by its length as 8 big-endian bytes), the integers big-endian as PostgreSQL's
/// `int8send`, `int4send` and `int2send` write them, the ids as `uuid_send` does. The server's append
/// trigger computes the very same bytes (`team/src/server.sql`), so a client and the server agree on
/// every head without trusting each other.
pub fn chain_hash(space: &uuid::Uuid, e: &Sealed) -> [u8; 32] {
    let mut h = Sha256::new();
    let parts: [&[u8]; 9] = [
        b"dossier-space/1",
        space.as_bytes(),
        &e.seq.to_be_bytes(),
        &e.prev_hash,
        e.entry_id.as_bytes(),
        &e.author,
        &e.epoch.to_be_bytes(),
        &e.kind.to_be_bytes(),
        &e.mac,
    ];
    for part in parts {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part);
    }
    h.finalize().into()
}
