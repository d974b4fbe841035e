//! What a team space's engine asks of the server that relays its log. The server is not trusted: it
//! orders entries (compare-and-swap on its head) and keeps them, and every answer it gives is checked
//! by the caller (chain, signatures, seals). Network errors are [`crate::Error::Offline`]; a refusal
//! by the server's rules (no permission, a reader appending, a revoked device) is
//! [`crate::Error::Rejected`] or [`crate::Error::Revoked`].

use super::Sealed;
use crate::error::Result;

/// What became of an append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Appended {
    /// Every entry was appended; the log's head is now the last of them.
    Done,
    /// The log's head was no longer the one the first entry continues: nothing was appended. The
    /// caller pulls what it missed, rebases and tries again.
    Moved,
}

/// A space key of one epoch wrapped to one device, as the server keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrappedKey {
    pub epoch: i32,
    /// The device it is wrapped to (its Ed25519 public key).
    pub device: [u8; 32],
    /// The key sealed to the device's X25519 key.
    pub wrapped: Vec<u8>,
    /// The admin device that signed the wrap, and its signature (see `keys::wrap_statement`).
    pub signer: [u8; 32],
    pub signature: Vec<u8>,
}

/// The server of one space, as the engine uses it. Every method is one round trip or one transaction.
pub trait Relay {
    /// The log's head: its last seq (0 when empty) and that entry's hash (all zeros when empty).
    fn head(&mut self) -> Result<(i64, [u8; 32])>;

    /// Up to `limit` entries after `seq`, in order.
    fn read(&mut self, after: i64, limit: usize) -> Result<Vec<Sealed>>;

    /// Appends `entries` (consecutive seqs continuing the head) in one transaction: all or none.
    fn append(&mut self, entries: &[Sealed]) -> Result<Appended>;

    /// The seqs of the entries among `ids` the log holds (to learn, after a cut connection, which of
    /// an append's entries arrived).
    fn find(&mut self, ids: &[uuid::Uuid]) -> Result<Vec<(uuid::Uuid, i64)>>;

    /// Stores wrapped keys (idempotent by epoch and device).
    fn put_keys(&mut self, keys: &[WrappedKey]) -> Result<()>;

    /// The keys wrapped to `device`, every epoch.
    fn keys_for(&mut self, device: &[u8; 32]) -> Result<Vec<WrappedKey>>;

    /// Tells the server who may read and append (its row-level security), after the log says so:
    /// `role` is `admin`, `editor` or `reader`; `pg_role` the PostgreSQL login of the person (`None`:
    /// the caller's own for a new device, the one it had for a known one).
    fn set_member(&mut self, device: &[u8; 32], role: &str, pg_role: Option<&str>, active: bool) -> Result<()>;

    /// Stores chunk `n` of the sealed file `name` (idempotent); `chunks` and `size` describe the whole.
    fn put_chunk(&mut self, name: &[u8; 32], n: u32, chunks: u32, size: u64, data: &[u8]) -> Result<()>;

    /// Marks the sealed file complete once every chunk is there; refused otherwise.
    fn complete(&mut self, name: &[u8; 32]) -> Result<()>;

    /// Which chunks of `name` the server holds, and whether it is complete (`None`: nothing of it).
    fn chunks_of(&mut self, name: &[u8; 32]) -> Result<Option<(Vec<u32>, bool)>>;

    /// Chunk `n` of the sealed file `name`.
    fn chunk(&mut self, name: &[u8; 32], n: u32) -> Result<Vec<u8>>;
}
