//! Locking commands: whether the database is encrypted and locked, unlocking it with its passphrase,
//! locking it again, encrypting it, and changing its passphrase. A passphrase only ever travels from
//! the page to the shell, never back.

use dossier_core::care::encryption::{self, EncryptReport};
use dossier_core::store::companions::{self, Companion};
use dossier_core::store::{is_encrypted, KdfParams, Passphrase};
use dossier_core::Store;
use serde::Serialize;
use tauri::State;

use crate::error::ApiError;
use crate::reading::Reading;
use crate::state::AppState;

/// Whether the database is encrypted, and whether it is locked (nothing of the record can be read).
#[derive(Debug, Clone, Serialize)]
pub struct LockStatus {
    pub encrypted: bool,
    pub locked: bool,
}

#[tauri::command]
pub async fn get_lock_status(state: State<'_, AppState>) -> Result<LockStatus, ApiError> {
    state.with_slot(|slot, path| Ok(LockStatus { encrypted: is_encrypted(path), locked: slot.is_none() })).await
}

#[tauri::command]
pub async fn unlock(
    state: State<'_, AppState>,
    reading: State<'_, Reading>,
    passphrase: String,
) -> Result<(), ApiError> {
    let passphrase = Passphrase::new(&passphrase)?;
    state
        .with_slot(move |slot, path| {
            if slot.is_none() {
                *slot = Some(Store::open_with(path, Some(&passphrase))?);
            }
            Ok(())
        })
        .await?;
    // Documents waiting to be read could not be while it was locked.
    reading.wake();
    Ok(())
}

/// Closes an encrypted database: nothing of it stays readable in the app until it is unlocked again.
#[tauri::command]
pub async fn lock(state: State<'_, AppState>) -> Result<(), ApiError> {
    state
        .with_slot(|slot, path| {
            if is_encrypted(path) {
                *slot = None;
            }
            Ok(())
        })
        .await
}

/// The plaintext copies of the record kept beside the database (upgrade snapshots, a database a restore
/// replaced, unfinished conversions), which encrypting it encrypts or removes too: listed before the
/// user confirms.
#[tauri::command]
pub async fn list_plaintext_copies(state: State<'_, AppState>) -> Result<Vec<Companion>, ApiError> {
    state.with_slot(|_, path| companions::plaintext(path)).await
}

/// Encrypts the open plaintext database and its files under `passphrase`, and the copies of the record
/// beside it, and keeps it open; says what became of each copy.
#[tauri::command]
pub async fn encrypt_database(state: State<'_, AppState>, passphrase: String) -> Result<EncryptReport, ApiError> {
    let passphrase = Passphrase::new(&passphrase)?;
    state
        .with_slot(move |slot, path| {
            // The database is closed while it is converted; whatever happens, it is opened again.
            *slot = None;
            let converted = encryption::encrypt(path, &passphrase, KdfParams::default());
            let reopened =
                if converted.is_ok() { Store::open_with(path, Some(&passphrase)) } else { Store::open(path) };
            *slot = Some(reopened?);
            converted
        })
        .await
}

#[tauri::command]
pub async fn change_passphrase(state: State<'_, AppState>, old: String, new: String) -> Result<(), ApiError> {
    let (old, new) = (Passphrase::new(&old)?, Passphrase::new(&new)?);
    state.with_slot(move |_, path| encryption::change_passphrase(path, &old, &new, KdfParams::default())).await
}
