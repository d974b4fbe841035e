//! Evidence commands: files, URLs and publications, links to records, and opening a stored file.

use dossier_core::record::evidence::capture::{self, CaptureFiles, CaptureInput};
use dossier_core::record::evidence::redact::{self, FindInput, Hit as FoundHit, RedactInput};
use dossier_core::record::evidence::{self, Evidence, EvidenceInput, FileInput, Link, LinkInput};
use dossier_core::record::Listed;
use dossier_core::store::text::PageText;
use dossier_core::view::linkable::{self, Linkable};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use crate::commands::transfer::{watch, Exports, Progress};
use crate::error::ApiError;
use crate::paths::{Access, Paths};
use crate::reading::Reading;
use crate::state::AppState;
use crate::webcapture;

#[tauri::command]
pub async fn get_evidence(state: State<'_, AppState>, id: String) -> Result<Evidence, ApiError> {
    state.run(move |s| evidence::get(s.reader(), &id)).await
}

/// Copies a file the user picked (dialog or drop) into the evidence store; its text is read in the
/// background (`reading`).
#[tauri::command]
pub async fn add_evidence_file(
    state: State<'_, AppState>,
    paths: State<'_, Paths>,
    reading: State<'_, Reading>,
    input: FileInput,
) -> Result<Evidence, ApiError> {
    paths.permit(Access::Read, &input.path)?;
    // An HTML or e-mail file is read into text before the write: through a writable twin of the store,
    // off its lock, so that reading holds up no other command.
    let mut twin = state.run(|s| s.writable_twin()).await?;
    let added = crate::state::unlocked(move || evidence::add_file(&mut twin, &input)).await??;
    reading.wake();
    Ok(added)
}

/// Makes a redacted copy of a PDF evidence's file (boxes burned in, the words under them gone) and
/// keeps it as new evidence beside its original. Drawing the pages takes seconds a page, so it runs
/// through a writable twin of the store, off its lock, as adding a file does; the copy's text is then
/// read in the background (`reading`), as an added file's is.
#[tauri::command]
pub async fn redact_evidence(
    state: State<'_, AppState>,
    reading: State<'_, Reading>,
    input: RedactInput,
) -> Result<Evidence, ApiError> {
    let mut twin = state.run(|s| s.writable_twin()).await?;
    let copy = crate::state::unlocked(move || redact::redact(&mut twin, &input)).await??;
    reading.wake();
    Ok(copy)
}

/// Finds what to redact (words, a party's names and aliases, named patterns) in one document
/// (`evidence`) or in every document of `case`, for the user to review before applying: the places
/// found, each a box on a page. Reading the pages (and OCR on scanned ones) takes seconds a page, so
/// it runs through a twin of the store, off its lock, telling the page how many documents are
/// searched; `cancel_export` stops it between two documents. A query that found nothing is refused,
/// naming it.
#[tauri::command]
pub async fn find_redactions(
    state: State<'_, AppState>,
    exports: State<'_, Exports>,
    case: String,
    evidence: Option<String>,
    input: FindInput,
    progress: Channel<Progress>,
) -> Result<Vec<FoundHit>, ApiError> {
    let stop = exports.start();
    let twin = state.run(|s| s.writable_twin()).await?;
    let hits = crate::state::unlocked(move || {
        let watch = watch(progress, stop);
        let hits = match &evidence {
            Some(id) => redact::find(&twin, id, &input)?,
            None => {
                redact::find_in_case_watched(&twin, &case, &input, &mut |done, total| watch(done as u64, total as u64))?
            }
        };
        redact::each_found(&input, &hits)?;
        Ok::<_, dossier_core::Error>(hits)
    })
    .await??;
    Ok(hits)
}

/// Opens a web page in the capture window (`webcapture`), drawn by the app's own WebKit, for the
/// user to see before capturing it with [`take_page_capture`] (or [`cancel_page_capture`]).
#[tauri::command]
pub async fn open_page_capture(app: AppHandle, url: String) -> Result<(), ApiError> {
    Ok(crate::state::unlocked(move || webcapture::open(&app, &url)).await??)
}

/// Captures the page the capture window shows as evidence of a case: the page as WebKit received it
/// (a WARC file), its whole document drawn (PNG) and its text as drawn, taken from that window's
/// webview, which then closes; the core keeps them. The case is looked up first; the taking and the
/// write run off the store's lock, through a writable twin.
#[tauri::command]
pub async fn take_page_capture(
    state: State<'_, AppState>,
    app: AppHandle,
    case: String,
    title: String,
    note: String,
) -> Result<Evidence, ApiError> {
    let case = state.run(move |s| dossier_core::record::case::get(s.reader(), &case)).await?;
    let mut twin = state.run(|s| s.writable_twin()).await?;
    let taken = crate::state::unlocked({
        let app = app.clone();
        move || webcapture::take(&app)
    })
    .await??;
    let closing = app.clone();
    crate::state::unlocked(move || webcapture::close(&closing)).await?;
    let kept = crate::state::unlocked(move || {
        let input =
            CaptureInput { case: case.id, screenshot_note: taken.screenshot_note, title, note, ..Default::default() };
        let files =
            CaptureFiles { name: taken.name, archive: taken.warc, screenshot: Some(taken.png), text: Some(taken.text) };
        capture::add_files(&mut twin, &input, files)
    })
    .await??;
    Ok(kept)
}

/// Closes the capture window without capturing.
#[tauri::command]
pub async fn cancel_page_capture(app: AppHandle) -> Result<(), ApiError> {
    crate::state::unlocked(move || webcapture::close(&app)).await
}

/// The text read from a piece of evidence's file: one page, or all of them.
#[tauri::command]
pub async fn get_evidence_text(
    state: State<'_, AppState>,
    id: String,
    page: Option<i64>,
) -> Result<Vec<PageText>, ApiError> {
    state.run(move |s| evidence::text(s.reader(), &id, page)).await
}

/// Reads the text of a piece of evidence's file again, in the background.
#[tauri::command]
pub async fn read_evidence_text(
    state: State<'_, AppState>,
    reading: State<'_, Reading>,
    id: String,
) -> Result<(), ApiError> {
    // Refused now, rather than ignored later, for evidence that is not a file.
    state
        .run({
            let id = id.clone();
            move |s| evidence::reading(s, &id).map(|_| ())
        })
        .await?;
    reading.again(id);
    Ok(())
}

/// Stops the reading of a piece of evidence's file: marked stopped if it was not read yet (the core),
/// and the reading under way, if it is this one, stops after its page.
#[tauri::command]
pub async fn stop_evidence_reading(
    state: State<'_, AppState>,
    reading: State<'_, Reading>,
    id: String,
) -> Result<Evidence, ApiError> {
    let stopped = state
        .run({
            let id = id.clone();
            move |s| evidence::stop_reading(s, &id)
        })
        .await?;
    reading.stop(id);
    Ok(stopped)
}

#[tauri::command]
pub async fn create_evidence(state: State<'_, AppState>, input: EvidenceInput) -> Result<Evidence, ApiError> {
    state.run(move |s| evidence::create(s, &input)).await
}

#[tauri::command]
pub async fn update_evidence(
    state: State<'_, AppState>,
    id: String,
    input: EvidenceInput,
    base: Option<String>,
) -> Result<Evidence, ApiError> {
    state.edit(id, base, move |s, id| evidence::update(s, id, &input)).await
}

#[tauri::command]
pub async fn delete_evidence(state: State<'_, AppState>, id: String) -> Result<(), ApiError> {
    state.run(move |s| evidence::delete(s, &id)).await
}

/// The records evidence can be linked to whose title holds `text`: `limit` from `offset`, with the total.
#[tauri::command]
pub async fn linkable_records(
    state: State<'_, AppState>,
    case: String,
    text: String,
    offset: usize,
    limit: usize,
) -> Result<Listed<Linkable>, ApiError> {
    state.run(move |s| linkable::page(s.reader(), &case, &text, offset, limit)).await
}

#[tauri::command]
pub async fn link_evidence(state: State<'_, AppState>, input: LinkInput) -> Result<Link, ApiError> {
    state.run(move |s| evidence::link(s, &input)).await
}

#[tauri::command]
pub async fn unlink_evidence(
    state: State<'_, AppState>,
    evidence: String,
    record: String,
    pinpoint: String,
) -> Result<(), ApiError> {
    state.run(move |s| evidence::unlink(s, &evidence, &record, &pinpoint)).await
}

/// The evidence that supports one record, each with its link.
#[tauri::command]
pub async fn list_record_evidence(
    state: State<'_, AppState>,
    record: String,
) -> Result<Vec<(Evidence, Link)>, ApiError> {
    state.run(move |s| evidence::for_record(s.reader(), &record)).await
}

/// Opens a copy of a stored evidence file with the system viewer. The file is found here from the
/// evidence id, so the UI can only ever open files of the evidence store, and only of the kinds the
/// core lets out (`evidence::viewer_copy`).
#[tauri::command]
pub async fn open_evidence(app: tauri::AppHandle, state: State<'_, AppState>, id: String) -> Result<(), ApiError> {
    let path = state.run(move |s| evidence::viewer_copy(s, &id)).await?;
    app.opener()
        .open_path(path.to_string_lossy(), None::<&str>)
        .map_err(|e| ApiError::new(dossier_core::ErrorCode::Io, format!("cannot open {}: {e}", path.display())))
}

/// A page of the list: `limit` items from `offset`, with the total.
#[tauri::command]
pub async fn list_evidence_page(
    state: State<'_, AppState>,
    case: String,
    offset: usize,
    limit: usize,
) -> Result<Listed<Evidence>, ApiError> {
    state.run(move |s| evidence::page(s.reader(), &case, offset, limit)).await
}
