//! Export and import commands: files in and out, through `dossier_core::transfer`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use dossier_core::transfer::{self, ExportRequest, ImportRequest, PublishCheck, TransferReport};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::State;

use crate::error::ApiError;
use crate::paths::{Access, Paths};
use crate::reading::Reading;
use crate::state::AppState;

#[tauri::command]
pub async fn export_case(
    state: State<'_, AppState>,
    paths: State<'_, Paths>,
    request: ExportRequest,
) -> Result<TransferReport, ApiError> {
    paths.permit(Access::Write, &request.path)?;
    // Read and written through a read-only twin of the store, off its lock: rendering a long report,
    // or a long PDF typeset, holds up no other command.
    let twin = state.run(|s| s.read_only_twin()).await?;
    crate::state::unlocked(move || transfer::export(&twin, &request)).await?.map_err(ApiError::from)
}

/// The private parties a publish export of the case would name, shown in the export dialog before the
/// user confirms.
#[tauri::command]
pub async fn check_publishing(state: State<'_, AppState>, case: String) -> Result<PublishCheck, ApiError> {
    state.run(move |s| transfer::publish_check(s, &case)).await
}

#[tauri::command]
pub async fn import_file(
    state: State<'_, AppState>,
    paths: State<'_, Paths>,
    imports: State<'_, Imports>,
    reading: State<'_, Reading>,
    request: ImportRequest,
    progress: Channel<ImportProgress>,
) -> Result<TransferReport, ApiError> {
    paths.permit(Access::Read, &request.path)?;
    let stop = imports.start();
    // Through a writable twin of the store, off its lock: the file is read and parsed (e-mails' HTML
    // turned into text among it) while every other command goes on; only SQLite's write lock is held
    // for the import's one transaction.
    let mut twin = state.run(|s| s.writable_twin()).await?;
    let report = crate::state::unlocked(move || {
        transfer::import_watched(&mut twin, &request, &|done: u64, total: u64| {
            // A window that went away stops listening; the import goes on regardless.
            let _ = progress.send(ImportProgress { done, total });
            !stop.load(Ordering::Relaxed)
        })
    })
    .await??;
    // Documents the import brought (attachments, a bundle's files) are read in the background.
    reading.wake();
    Ok(report)
}

/// How far the running import is: `done` of `total` (bytes of a CSV read, records of a bundle written).
#[derive(Clone, Serialize)]
pub struct ImportProgress {
    done: u64,
    total: u64,
}

/// The import running now, if any, and whether the user asked to stop it. One import runs at a time:
/// a second would wait for the first's transaction, and fail as busy past five seconds.
#[derive(Default)]
pub struct Imports {
    stop: Arc<AtomicBool>,
}

impl Imports {
    /// A new import begins: a stop asked for an earlier one does not carry over.
    fn start(&self) -> Arc<AtomicBool> {
        self.stop.store(false, Ordering::Relaxed);
        Arc::clone(&self.stop)
    }
}

/// Asks the running import to stop. It stops at its next row or record, inside its transaction, so
/// nothing of it is written; the import command then fails with `cancelled`.
#[tauri::command]
pub fn cancel_import(imports: State<'_, Imports>) {
    imports.stop.store(true, Ordering::Relaxed);
}
