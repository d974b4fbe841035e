//! The `evidence:` protocol: the app's viewer reads a PDF or a picture of the evidence store as
//! `evidence://localhost/<evidence id>`. The shell finds the file from the id through the core
//! (`evidence::for_viewer`: only PDFs and pictures, their content checked against their type), so the
//! page can name a piece of evidence, never a path; an encrypted store's file is decrypted into memory.
//! A capture's screenshot is `evidence://localhost/<evidence id>/screenshot` (`capture::screenshot_for_viewer`).
//! Only the main window is answered: the capture window, which shows a stranger's page, gets nothing.

use tauri::http::{header, Request, Response, StatusCode};
use tauri::{Manager, Runtime, UriSchemeContext, UriSchemeResponder};

use dossier_core::record::evidence;
use dossier_core::ErrorCode;

use crate::state::AppState;

pub const SCHEME: &str = "evidence";

/// The page's origin, the only one allowed to read these files.
const APP_ORIGIN: &str = "tauri://localhost";

pub fn handle<R: Runtime>(ctx: UriSchemeContext<'_, R>, request: Request<Vec<u8>>, responder: UriSchemeResponder) {
    let app = ctx.app_handle().clone();
    if ctx.webview_label() != "main" {
        responder.respond(answer(StatusCode::FORBIDDEN, "text/plain; charset=utf-8", b"not this window".to_vec()));
        return;
    }
    let path = request.uri().path().trim_start_matches('/').to_string();
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        let shown = match path.split_once('/') {
            Some((id, "screenshot")) => {
                let id = id.to_string();
                state.run(move |s| evidence::capture::screenshot_for_viewer(s, &id)).await
            }
            Some(_) => Err(dossier_core::Error::not_found("evidence", path).into()),
            None => state.run(move |s| evidence::for_viewer(s, &path)).await,
        };
        let response = match shown {
            Ok((media_type, bytes)) => answer(StatusCode::OK, &media_type, bytes),
            Err(e) => {
                let status = if e.code == ErrorCode::NotFound { StatusCode::NOT_FOUND } else { StatusCode::FORBIDDEN };
                answer(status, "text/plain; charset=utf-8", e.message.into_bytes())
            }
        };
        responder.respond(response);
    });
}

fn answer(status: StatusCode, media_type: &str, body: Vec<u8>) -> Response<Vec<u8>> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, media_type)
        .header(header::ACCESS_CONTROL_ALLOW_ORIGIN, APP_ORIGIN)
        // Shown as what it is, never sniffed as something that runs; not kept in any cache.
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .header(header::CONTENT_SECURITY_POLICY, "default-src 'none'; sandbox")
        .header(header::CACHE_CONTROL, "no-store")
        .body(body)
        .unwrap_or_else(|_| Response::new(Vec::new()))
}
