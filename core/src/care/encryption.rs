//! Turning a plaintext database into an encrypted one and back, and changing the passphrase: the
//! conversions of a whole database, which open it, write complete new copies of its parts under the
//! new key (`store::copy`) and put them in its place through the store's switch (`store::switch`),
//! so a kill at any point leaves the old database or the new one, never a mix.
//!
//! The old plaintext is deleted, not wiped: on a disk that keeps old blocks (most SSDs, journaling
//! file systems) it may remain readable there until overwritten, which only full-disk encryption
//! prevents. The commands that encrypt say so.

use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::store::blobs::Blobs;
use crate::store::companions;
use crate::store::copy::copy_files;
use crate::store::crypt::{DataKey, KdfParams, Passphrase};
use crate::store::files::{self, is_encrypted};
use crate::store::switch::{self, Fate, NewCopies, Switch};
use crate::store::{staged, Store};

/// Opens the database at `db` for a conversion, checkpoints its WAL into it and returns the
/// connection with the evidence files of every piece of file evidence.
fn prepared(db: &Path, passphrase: Option<&Passphrase>) -> Result<(Store, Vec<String>)> {
    switch::recover(db)?;
    if !db.is_file() {
        return Err(Error::not_found("database", db.display().to_string()));
    }
    let store = Store::open_with(db, passphrase)?;
    store.checkpoint()?;
    let shas = store.reader().strings("SELECT DISTINCT sha256 FROM evidence_file ORDER BY sha256", [])?;
    Ok((store, shas))
}

/// What encrypting a database did.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EncryptReport {
    /// Evidence files encrypted.
    pub files: usize,
    /// What became of each copy of the record kept beside the database (see [`super::companions`]).
    pub companions: Vec<companions::Outcome>,
}

impl EncryptReport {
    /// Whether every copy beside the database was encrypted or removed: no plaintext record is left.
    pub fn is_whole(&self) -> bool {
        self.companions.iter().all(|c| c.error.is_none())
    }
}

/// Turns the plaintext database at `db` and its evidence files into an encrypted one, under
/// `passphrase`, then the copies of the record kept beside it (upgrade snapshots, databases a restore
/// replaced: encrypted under the same key; unfinished conversions: removed), so that no plaintext of
/// the record is left in its folder.
pub fn encrypt(db: &Path, passphrase: &Passphrase, params: KdfParams) -> Result<EncryptReport> {
    if is_encrypted(db) {
        return Err(Error::Conflict(format!("{} is already encrypted", db.display())));
    }
    let (store, shas) = prepared(db, None)?;
    let key = DataKey::random();
    let wrapped = key.wrap(passphrase, params)?;
    let copies = NewCopies::new();
    let written = (|| {
        store.export_to(&copies.of(db), &key.sqlcipher_key())?;
        copy_files(store.blobs(), &Blobs::new(copies.of(&files::evidence(db)), Some(key.blob_keys())), &shas)?;
        staged::write_whole(&copies.of(&files::key(db)), wrapped.as_bytes())
    })();
    drop(store);
    if let Err(e) = written {
        copies.discard(db);
        return Err(e);
    }
    switch::commit(db, Switch::replacing(&copies, Fate::Replace))?;
    let companions = companions::encrypt_all(db, &key, &wrapped)?;
    Ok(EncryptReport { files: shas.len(), companions })
}

/// Turns the encrypted database at `db` back into a plaintext one. Returns the number of evidence
/// files decrypted.
pub fn decrypt(db: &Path, passphrase: &Passphrase) -> Result<usize> {
    if !is_encrypted(db) {
        return Err(Error::Conflict(format!("{} is not encrypted", db.display())));
    }
    let (store, shas) = prepared(db, Some(passphrase))?;
    let copies = NewCopies::new();
    let written = (|| {
        store.export_to(&copies.of(db), "")?;
        copy_files(store.blobs(), &Blobs::new(copies.of(&files::evidence(db)), None), &shas)
    })();
    drop(store);
    if let Err(e) = written {
        copies.discard(db);
        return Err(e);
    }
    switch::commit(db, Switch::replacing(&copies, Fate::Remove))?;
    Ok(shas.len())
}

/// Changes the passphrase of the encrypted database at `db`: the data key is unwrapped with the old
/// passphrase and wrapped anew under the new one; nothing else is rewritten.
pub fn change_passphrase(db: &Path, old: &Passphrase, new: &Passphrase, params: KdfParams) -> Result<()> {
    switch::recover(db)?;
    let path = files::key(db);
    let text =
        std::fs::read_to_string(&path).map_err(|_| Error::Conflict(format!("{} is not encrypted", db.display())))?;
    let key = DataKey::unwrap(&text, old)?;
    staged::write_whole(&path, key.wrap(new, params)?.as_bytes())
}
