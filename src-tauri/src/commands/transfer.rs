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
    exports: State<'_, Exports>,
    request: ExportRequest,
    progress: Channel<Progress>,
) -> Result<TransferReport, ApiError> {
    paths.permit(Access::Write, &request.path)?;
    let stop = exports.0.start();
    // Read and written through a read-only twin of the store, off its lock: rendering a long report,
    // or a long PDF typeset, holds up no other command.
    let twin = state.run(|s| s.read_only_twin()).await?;
    let mut report = crate::state::unlocked(move || transfer::export_watched(&twin, &request, &watch(progress, stop)))
        .await?
        .map_err(ApiError::from)?;
    // Noted through the store itself (the twin only reads), so an erasure can name this export.
    state
        .run(move |s| {
            transfer::note_export(s, &mut report);
            Ok(report)
        })
        .await
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
    progress: Channel<Progress>,
) -> Result<TransferReport, ApiError> {
    paths.permit(Access::Read, &request.path)?;
    let stop = imports.0.start();
    // Through a writable twin of the store, off its lock: the file is read and parsed (e-mails' HTML
    // turned into text among it) while every other command goes on; only SQLite's write lock is held
    // for the import's one transaction.
    let mut twin = state.run(|s| s.writable_twin()).await?;
    let report =
        crate::state::unlocked(move || transfer::import_watched(&mut twin, &request, &watch(progress, stop))).await??;
    // Documents the import brought (attachments, a bundle's files) are read in the background.
    reading.wake();
    Ok(report)
}

/// Tells the window how far a transfer is, and answers whether the user asked it to stop. A window
/// that went away stops listening; the transfer goes on regardless.
pub(crate) fn watch(progress: Channel<Progress>, stop: Arc<AtomicBool>) -> impl Fn(u64, u64) -> bool {
    move |done, total| {
        let _ = progress.send(Progress { done, total });
        !stop.load(Ordering::Relaxed)
    }
}

/// How far the running import or export is: `done` of `total` (bytes of a CSV read, records of a
/// bundle written, blocks and rows of a report laid out).
#[derive(Clone, Serialize)]
pub struct Progress {
    done: u64,
    total: u64,
}

/// A transfer that may be running, and whether the user asked it to stop.
#[derive(Default)]
pub struct Running {
    stop: Arc<AtomicBool>,
}

impl Running {
    /// A new one begins: a stop asked for an earlier one does not carry over.
    fn start(&self) -> Arc<AtomicBool> {
        self.stop.store(false, Ordering::Relaxed);
        Arc::clone(&self.stop)
    }

    fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// The import running now, if any. One import runs at a time: a second would wait for the first's
/// transaction, and fail as busy past five seconds.
#[derive(Default)]
pub struct Imports(Running);

/// The export running now, if any (the export dialog runs one at a time; a production and a hearing
/// bundle are exports too).
#[derive(Default)]
pub struct Exports(Running);

impl Exports {
    pub(crate) fn start(&self) -> Arc<AtomicBool> {
        self.0.start()
    }
}

/// Asks the running import to stop. It stops at its next row or record, inside its transaction, so
/// nothing of it is written; the import command then fails with `cancelled`.
#[tauri::command]
pub fn cancel_import(imports: State<'_, Imports>) {
    imports.0.stop();
}

/// Asks the running export to stop. It stops at its next block or row and removes its staged file,
/// so no file is left; the export command then fails with `cancelled`.
#[tauri::command]
pub fn cancel_export(exports: State<'_, Exports>) {
    exports.0.stop();
}
