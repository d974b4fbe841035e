//! The capture window: Capture page… opens the page in a window of its own, drawn by the app's
//! WebKit (WebKitGTK), where the user scrolls, closes a cookie banner or logs in; on Capture, what
//! that webview holds is taken from it — the page as WebKit received it (its main resource's response
//! and body, and the request as WebKit reports it), the text as drawn (`innerText`, read in a script
//! world of its own, never through the page's IPC), a snapshot of the whole document and the address
//! it ended at — so what is kept is what the user saw. The files are then handed to the core like any
//! capture (`commands::evidence::take_page_capture`).
//!
//! The window is a stranger's page: it has no capability (capabilities/main.json names only the main
//! window, and none allows a remote origin), so no command answers it; it navigates only to http(s)
//! addresses (`may_show`), opens no other window, downloads nothing, cannot go full screen or print,
//! and is refused every permission (camera, location, notifications…); it keeps no cookie or storage
//! (an ephemeral WebKit session); and the `evidence:` protocol answers only the main window (`viewer`).
//!
//! WebKit's calls and their answers happen on the main thread: each is started from `with_webview`
//! and sends its answer down a channel that the command waits on, each wait bounded.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use dossier_core::archive::warc;
use dossier_core::Error;
use tauri::{AppHandle, Manager, WebviewUrl, WebviewWindowBuilder};
use webkit2gtk::{
    PermissionRequestExt, SettingsExt, SnapshotOptions, SnapshotRegion, URIRequestExt, URIResponseExt, WebResourceExt,
    WebViewExt,
};

/// The capture window's label (never "main": the capability names that one only).
pub const LABEL: &str = "capture";

/// Longest wait for all of WebKit's answers (body, text, snapshot) once Capture is pressed.
const WAIT: Duration = Duration::from_secs(60);
/// Longest wait for the page to finish loading before what is shown is taken anyway.
const LOAD_WAIT: Duration = Duration::from_secs(20);
/// Largest page body kept (as `dossier capture` keeps by default).
const MAX_BODY: usize = 32 << 20;
/// Tallest snapshot taken: beyond, cairo's surface would not fit in memory for long.
const MAX_PIXELS: u64 = 1280 * 32_000;

/// What the capture window's webview reported of its page's main request, as it started.
#[derive(Debug, Clone, Default)]
struct Request {
    method: String,
    url: String,
    fields: Vec<(String, String)>,
    at: Option<DateTime<Utc>>,
}

/// The capture under way: the address asked for, and the main request of the page shown.
#[derive(Default)]
pub struct Window {
    asked: Mutex<String>,
    request: Arc<Mutex<Request>>,
}

/// Whether the capture window may go to `url`: web pages only (never the app's own scheme, a file
/// or the `evidence:` protocol).
pub fn may_show(url: &tauri::Url) -> bool {
    matches!(url.scheme(), "http" | "https") || (url.scheme() == "about" && url.path() == "blank")
}

/// Opens `url` (an http(s) address) in the capture window, replacing one already open.
pub fn open(app: &AppHandle, url: &str) -> Result<(), Error> {
    let typed = dossier_core::input::web_url("url", url)?.ok_or_else(|| Error::required("url"))?;
    let parsed = tauri::Url::parse(&typed).ok().filter(may_show).ok_or_else(|| {
        let shown = dossier_core::input::shorten(&typed);
        Error::rule("url", "not_web_url", shown.clone(), format!("'{shown}' is not an http(s) address"))
    })?;
    close(app);
    let state = app.state::<Window>();
    *state.asked.lock().unwrap_or_else(|e| e.into_inner()) = parsed.to_string();
    *state.request.lock().unwrap_or_else(|e| e.into_inner()) = Request::default();
    let failed = |e: tauri::Error| Error::internal(format!("opening the capture window: {e}"));
    let blank = tauri::Url::parse("about:blank").map_err(|e| Error::internal(e.to_string()))?;
    let window = WebviewWindowBuilder::new(app, LABEL, WebviewUrl::External(blank))
        .title(format!("Dossier — {parsed}"))
        .inner_size(1280.0, 800.0)
        .incognito(true)
        .devtools(false)
        .on_new_window(|_, _| tauri::webview::NewWindowResponse::Deny)
        .on_download(|_, _| false)
        .build()
        .map_err(failed)?;
    // The main request is watched from before the page is asked for, then the page is loaded.
    let request = state.request.clone();
    let address = parsed.to_string();
    let handle = app.clone();
    window
        .with_webview(move |platform| {
            let view = platform.inner();
            view.connect_permission_request(|_, asked| {
                asked.deny();
                true
            });
            // The page shows itself in the window it is given: it cannot take the whole screen
            // (where it could pose as Dossier) or open the print dialog.
            view.connect_enter_fullscreen(|_| true);
            view.connect_print(|_, _| true);
            // A page's `window.close()` has wry drop the webview: the window goes with it, so that
            // Capture says the window was closed rather than finding an empty one.
            view.connect_close(move |_| close_now(&handle));
            view.connect_resource_load_started(move |view, resource, sent| {
                let main = view.main_resource().is_some_and(|m| &m == resource);
                let mut seen = request.lock().unwrap_or_else(|e| e.into_inner());
                if main || seen.at.is_none() {
                    *seen = Request {
                        method: sent.http_method().map(|m| m.to_string()).unwrap_or_else(|| "GET".into()),
                        url: sent.uri().map(|u| u.to_string()).unwrap_or_default(),
                        fields: sent.http_headers().map(|h| fields_of(&h)).unwrap_or_default(),
                        at: Some(Utc::now()),
                    };
                }
            });
            view.load_uri(&address);
        })
        .map_err(failed)?;
    Ok(())
}

/// Closes the capture window, if it is open, and waits (at most 2 s) until it is gone, so that
/// another can be opened under its label. Not to be called on the main thread, which removes it.
pub fn close(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(LABEL) {
        let _ = window.destroy();
        for _ in 0..40 {
            if app.get_webview_window(LABEL).is_none() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Closes the capture window without waiting (on the main thread, from WebKit's or a window's event).
pub fn close_now(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(LABEL) {
        let _ = window.destroy();
    }
}

/// What was taken from the capture window.
pub struct Taken {
    /// The WARC file: the main resource's response and its request, as WebKit had them.
    pub warc: Vec<u8>,
    pub name: String,
    pub png: Vec<u8>,
    pub screenshot_note: String,
    /// The text as drawn.
    pub text: String,
}

/// The parts of the page WebKit holds, read on the main thread.
#[derive(Default)]
struct Parts {
    final_url: String,
    loading: bool,
    agent: String,
    status: u16,
    fields: Vec<(String, String)>,
    body: Option<Result<Vec<u8>, String>>,
    text: Option<Result<Drawn, String>>,
    snapshot: Option<Result<Pixels, String>>,
}

/// A snapshot's pixels as cairo drew them (ARGB32, premultiplied, native byte order).
pub struct Pixels {
    pub width: u32,
    pub height: u32,
    pub stride: usize,
    pub data: Vec<u8>,
}

/// What the page's document held when taken: its text as drawn, and its HTML as built so far.
#[derive(serde::Deserialize)]
struct Drawn {
    text: String,
    html: String,
}

enum Answer {
    Facts { final_url: String, loading: bool, agent: String, status: u16, fields: Vec<(String, String)> },
    Body(Result<Vec<u8>, String>),
    Text(Result<Drawn, String>),
    Snapshot(Result<Pixels, String>),
}

/// Takes the page from the capture window (see the module's comment). Blocks: call off the async
/// runtime. A closed window is one clear error; a page still loading after [`LOAD_WAIT`] is taken as
/// shown, and the note says so.
pub fn take(app: &AppHandle) -> Result<Taken, Error> {
    let started = Instant::now();
    let mut parts = Parts::default();
    loop {
        let (tx, rx) = mpsc::channel();
        ask(app, false, tx)?;
        if let Ok(Answer::Facts { loading, .. }) = rx.recv_timeout(WAIT) {
            if !loading || started.elapsed() >= LOAD_WAIT {
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(250));
        if started.elapsed() >= LOAD_WAIT {
            break;
        }
    }
    let (tx, rx) = mpsc::channel();
    ask(app, true, tx)?;
    let mut deadline = Instant::now() + WAIT;
    while parts.body.is_none() || parts.text.is_none() || parts.snapshot.is_none() {
        // A page still loading may never hand its body over: once drawn, it is waited for briefly.
        if parts.loading && parts.text.is_some() && parts.snapshot.is_some() {
            deadline = deadline.min(Instant::now() + Duration::from_secs(5));
        }
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(Answer::Facts { final_url, loading, agent, status, fields }) => {
                (parts.final_url, parts.loading, parts.agent, parts.status, parts.fields) =
                    (final_url, loading, agent, status, fields)
            }
            Ok(Answer::Body(b)) => parts.body = Some(b),
            Ok(Answer::Text(t)) => parts.text = Some(t),
            Ok(Answer::Snapshot(s)) => parts.snapshot = Some(s),
            Err(_) => break,
        }
    }
    if app.get_webview_window(LABEL).is_none() {
        return Err(closed());
    }
    let asked = app.state::<Window>().asked.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let request = app.state::<Window>().request.lock().unwrap_or_else(|e| e.into_inner()).clone();
    finish(parts, &asked, request, Utc::now())
}

/// The error of a capture window the user closed (or never opened).
fn closed() -> Error {
    Error::rule(
        "capture",
        "capture_window_closed",
        None,
        "the capture window was closed: open the page again to capture it",
    )
}

/// Asks the capture window's webview for its facts, and with `all` for the body, text and snapshot.
fn ask(app: &AppHandle, all: bool, tx: mpsc::Sender<Answer>) -> Result<(), Error> {
    let window = app.get_webview_window(LABEL).ok_or_else(closed)?;
    window
        .with_webview(move |platform| {
            let view = platform.inner();
            let resource = view.main_resource();
            let response = resource.as_ref().and_then(|r| r.response());
            let _ = tx.send(Answer::Facts {
                final_url: view.uri().map(|u| u.to_string()).unwrap_or_default(),
                loading: view.is_loading(),
                agent: WebViewExt::settings(&view)
                    .and_then(|s| s.user_agent())
                    .map(|a| a.to_string())
                    .unwrap_or_default(),
                status: response.as_ref().map_or(0, |r| r.status_code() as u16),
                fields: response.as_ref().and_then(|r| r.http_headers()).map(|h| fields_of(&h)).unwrap_or_default(),
            });
            if !all {
                return;
            }
            let none = None::<&webkit2gtk::gio::Cancellable>;
            match &resource {
                Some(resource) => {
                    let tx = tx.clone();
                    resource.data(none, move |r| {
                        let _ = tx.send(Answer::Body(r.map_err(|e| e.to_string())));
                    });
                }
                None => {
                    let _ = tx.send(Answer::Body(Err("WebKit holds no page".into())));
                }
            }
            let text_tx = tx.clone();
            // Read in a script world of Dossier's own: the page's scripts cannot change what it sees.
            view.evaluate_javascript(
                "JSON.stringify({text: document.body ? document.body.innerText : '', \
                 html: document.documentElement ? document.documentElement.outerHTML : ''})",
                Some("dossier-capture"),
                None,
                none,
                move |r| {
                    use javascriptcore::ValueExt;
                    let drawn = r
                        .map_err(|e| e.to_string())
                        .and_then(|v| serde_json::from_str::<Drawn>(v.to_str().as_str()).map_err(|e| e.to_string()));
                    let _ = text_tx.send(Answer::Text(drawn));
                },
            );
            view.snapshot(SnapshotRegion::FullDocument, SnapshotOptions::NONE, none, move |r| {
                let _ = tx.send(Answer::Snapshot(r.map_err(|e| e.to_string()).and_then(pixels_of)));
            });
        })
        .map_err(|_| closed())
}

/// A webview's header fields as name and value pairs.
fn fields_of(headers: &soup::MessageHeaders) -> Vec<(String, String)> {
    let mut out = Vec::new();
    headers.foreach(|name, value| out.push((name.to_string(), value.to_string())));
    out
}

/// The pixels of a snapshot, copied off cairo's surface (on the main thread; encoded elsewhere).
fn pixels_of(surface: cairo::Surface) -> Result<Pixels, String> {
    let mut image = cairo::ImageSurface::try_from(surface).map_err(|_| "the snapshot is not an image".to_string())?;
    let (width, height) = (image.width().max(0) as u32, image.height().max(0) as u32);
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(format!("the page is {width} × {height} px, more than Dossier draws"));
    }
    let stride = image.stride().max(0) as usize;
    image.flush();
    let data = image.data().map_err(|e| e.to_string())?.to_vec();
    Ok(Pixels { width, height, stride, data })
}

/// The files of a capture from what WebKit said (`parts`), the address asked for and the main
/// request it reported: the WARC, the PNG and the notes.
fn finish(parts: Parts, asked: &str, request: Request, at: DateTime<Utc>) -> Result<Taken, Error> {
    let refused = |why: String| {
        Error::rule("capture", "capture_failed", why.clone(), format!("the page could not be captured: {why}"))
    };
    let pixels = match parts.snapshot {
        Some(Ok(p)) => p,
        Some(Err(why)) => return Err(refused(format!("WebKit did not draw it ({why})"))),
        None => return Err(refused(format!("WebKit did not draw it within {} s", WAIT.as_secs()))),
    };
    let drawn = match parts.text {
        Some(Ok(t)) => t,
        Some(Err(why)) => return Err(refused(format!("its text could not be read ({why})"))),
        None => return Err(refused(format!("its text was not read within {} s", WAIT.as_secs()))),
    };
    // A page that had not finished loading may not hand its body over: its document as built so far
    // is kept instead, and the note says so.
    let mut as_built = false;
    let body = match parts.body {
        Some(Ok(b)) if b.len() <= MAX_BODY => b,
        Some(Ok(b)) => return Err(refused(format!("it is {} MiB, over {} MiB", b.len() >> 20, MAX_BODY >> 20))),
        Some(Err(_)) | None if parts.loading && drawn.html.len() <= MAX_BODY => {
            as_built = true;
            drawn.html.into_bytes()
        }
        Some(Err(why)) => return Err(refused(format!("WebKit did not hand over the page ({why})"))),
        None => return Err(refused(format!("WebKit did not hand over the page within {} s", WAIT.as_secs()))),
    };
    let text = drawn.text;
    if parts.final_url.is_empty() || parts.status == 0 {
        return Err(refused("WebKit received no answer from the server".into()));
    }
    let png = png_of(&pixels)?;
    let webkit = webkit_version();
    let drawn_at = at.format("%Y-%m-%dT%H:%M:%SZ");
    let mut note = format!(
        "the whole page, {} × {} px, drawn by WebKitGTK {webkit} in Dossier's capture window at {drawn_at} from {}",
        pixels.width, pixels.height, parts.final_url
    );
    if parts.loading {
        note.push_str(&format!(
            "; the page had not finished loading after {} s and was taken as shown",
            LOAD_WAIT.as_secs()
        ));
    }
    if as_built {
        note.push_str("; its archive holds the document as WebKit had built it, not the bytes received");
    }
    let warc = warc_of(&parts.final_url, parts.status, &parts.fields, &body, &request, &parts.agent, asked, at)?;
    let host =
        url::Url::parse(&parts.final_url).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default();
    let name = format!("capture-{host}-{}.warc", at.format("%Y%m%dT%H%M%SZ"))
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || "-._".contains(c) { c } else { '_' })
        .collect();
    Ok(Taken { warc, name, png, screenshot_note: note, text })
}

/// The WARC of a page as WebKit received it: its main response (the body decoded, as WebKit hands it
/// over) and the request WebKit reported for it, or, when it reported none, the request's method,
/// address and user agent. The address asked for, when a redirect took the page elsewhere, is said in
/// the `warcinfo` record (WebKit does not hand over the redirects' own responses).
#[allow(clippy::too_many_arguments)]
fn warc_of(
    final_url: &str,
    status: u16,
    fields: &[(String, String)],
    body: &[u8],
    request: &Request,
    agent: &str,
    asked: &str,
    at: DateTime<Utc>,
) -> Result<Vec<u8>, Error> {
    let same = request.url == final_url && !request.url.is_empty();
    let mut sent = if same { request.fields.clone() } else { Vec::new() };
    if !sent.iter().any(|(n, _)| n.eq_ignore_ascii_case("User-Agent")) && !agent.is_empty() {
        sent.push(("User-Agent".into(), agent.into()));
    }
    let method = if same && !request.method.is_empty() { request.method.as_str() } else { "GET" };
    let mut software =
        format!("Dossier {} (capture window, WebKitGTK {})", env!("CARGO_PKG_VERSION"), webkit_version());
    if !asked.is_empty() && asked != final_url {
        software.push_str(&format!("; asked for {}", asked.replace(['\r', '\n'], "")));
    }
    let exchange = warc::Exchange {
        url: final_url.to_string(),
        at: if same { request.at.unwrap_or(at) } else { at },
        ip: None,
        request: warc::http_request(method, final_url, &sent),
        response: warc::http_response(status, fields, body),
    };
    warc::capture_file(&software, agent, &[exchange])
}

/// A PNG of the snapshot's pixels (cairo's premultiplied ARGB made straight RGBA).
fn png_of(p: &Pixels) -> Result<Vec<u8>, Error> {
    let failed = |e: png::EncodingError| Error::internal(format!("writing the screenshot: {e}"));
    let mut rgba = Vec::with_capacity(p.width as usize * p.height as usize * 4);
    for row in p.data.chunks(p.stride.max(1)).take(p.height as usize) {
        for px in row[..(p.width as usize * 4).min(row.len())].chunks_exact(4) {
            let argb = u32::from_ne_bytes([px[0], px[1], px[2], px[3]]);
            let a = (argb >> 24) as u8;
            let straight = |c: u32| -> u8 {
                let c = (c & 0xff) as u16;
                if a == 0 {
                    0
                } else {
                    ((c * 255 + u16::from(a) / 2) / u16::from(a)).min(255) as u8
                }
            };
            rgba.extend_from_slice(&[straight(argb >> 16), straight(argb >> 8), straight(argb), a]);
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, p.width, p.height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(failed)?;
    writer.write_image_data(&rgba).map_err(failed)?;
    writer.finish().map_err(failed)?;
    Ok(out)
}

/// The version of the WebKitGTK library the app runs on (`2.50`).
fn webkit_version() -> String {
    // SAFETY: these functions only read constants of the loaded library.
    unsafe {
        format!(
            "{}.{}.{}",
            webkit2gtk::ffi::webkit_get_major_version(),
            webkit2gtk::ffi::webkit_get_minor_version(),
            webkit2gtk::ffi::webkit_get_micro_version()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).expect("a time").with_timezone(&Utc)
    }

    /// Guards: the capture window goes to web pages only, never to the app, a file or the evidence.
    #[test]
    fn the_capture_window_shows_web_pages_only() {
        let ok = |u: &str| may_show(&tauri::Url::parse(u).expect("a URL"));
        assert!(ok("https://example.org/notice") && ok("http://127.0.0.1:8080/") && ok("about:blank"));
        for refused in ["tauri://localhost/", "file:///etc/passwd", "evidence://localhost/e1", "about:config"] {
            assert!(!ok(refused), "{refused}");
        }
    }

    /// Guards: cairo's premultiplied ARGB (a row padded to its stride) becomes the straight RGBA of a
    /// PNG of the snapshot's size.
    #[test]
    fn a_snapshot_becomes_a_png_of_its_size_and_colours() {
        // Two pixels a row, a stride of 12 bytes: opaque red, half-transparent white (premultiplied).
        let mut data = Vec::new();
        for _ in 0..3 {
            data.extend(0xffff_0000u32.to_ne_bytes());
            data.extend(0x8080_8080u32.to_ne_bytes());
            data.extend([0xaa; 4]);
        }
        let png = png_of(&Pixels { width: 2, height: 3, stride: 12, data }).expect("a PNG");
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().expect("a PNG header");
        let mut rgba = vec![0; reader.output_buffer_size().expect("a size")];
        let info = reader.next_frame(&mut rgba).expect("its pixels");
        assert_eq!((info.width, info.height), (2, 3));
        assert_eq!(&rgba[..8], &[255, 0, 0, 255, 255, 255, 255, 128]);
    }

    /// Guards: the WARC of a page WebKit received holds its response as WebKit had it and the request
    /// WebKit reported for it; a request WebKit did not report for the page kept (a redirect took it
    /// elsewhere) is not passed off as the page's, and the address asked for is said in `warcinfo`.
    #[test]
    fn the_warc_holds_the_response_and_request_webkit_reported() {
        let fields = vec![("Content-Type".to_string(), "text/html".to_string())];
        let body = b"<html><title>Quay</title><p>tide</p></html>";
        let request = Request {
            method: "GET".into(),
            url: "http://127.0.0.1:9/notice".into(),
            fields: vec![("Accept".into(), "text/html".into()), ("Sec-Fetch-Mode".into(), "navigate".into())],
            at: Some(at("2024-05-01T10:20:29Z")),
        };
        let now = at("2024-05-01T10:20:35Z");
        let agent = "Mozilla/5.0 AppleWebKit";
        let same = "http://127.0.0.1:9/notice";
        let warc = warc_of(same, 200, &fields, body, &request, agent, same, now).expect("a WARC");
        let page = dossier_core::archive::read(&warc).expect("read back");
        assert_eq!((page.final_url.as_str(), page.status, page.body.as_slice()), (same, Some(200), &body[..]));
        assert_eq!(page.captured_at, "2024-05-01T10:20:29Z", "dated by its request");
        let text = String::from_utf8_lossy(&warc);
        assert!(text.contains(
            "GET /notice HTTP/1.1\r\nHost: 127.0.0.1:9\r\nAccept: text/html\r\nSec-Fetch-Mode: navigate\r\n"
        ));
        assert!(text.contains(&format!("User-Agent: {agent}\r\n")), "{text}");

        let moved = "http://127.0.0.1:9/moved";
        let warc = warc_of(moved, 200, &fields, body, &request, agent, same, now).expect("a WARC");
        let text = String::from_utf8_lossy(&warc);
        assert!(!text.contains("Sec-Fetch-Mode"), "the other address's request is not this one's: {text}");
        assert!(text.contains(&format!("; asked for {same}\r\n")), "{text}");
        let page = dossier_core::archive::read(&warc).expect("read back");
        assert_eq!((page.final_url.as_str(), page.captured_at.as_str()), (moved, "2024-05-01T10:20:35Z"));
    }

    /// Guards: what WebKit did not hand over is one clear error naming it; a page still loading is
    /// kept as WebKit had built it, and the note says so; the note names WebKitGTK and the size.
    #[test]
    fn a_capture_says_what_was_missing_or_unfinished() {
        let pixels = || Pixels { width: 1, height: 2, stride: 4, data: vec![0xff; 8] };
        let drawn = || Drawn { text: "Quay".into(), html: "<html><body>Quay</body></html>".into() };
        let parts = |loading: bool, body: Option<Result<Vec<u8>, String>>| Parts {
            final_url: "http://127.0.0.1:9/notice".into(),
            loading,
            agent: "WebKit".into(),
            status: 200,
            fields: vec![("Content-Type".into(), "text/html".into())],
            body,
            text: Some(Ok(drawn())),
            snapshot: Some(Ok(pixels())),
        };
        let now = at("2024-05-01T10:20:35Z");
        let taken =
            finish(parts(false, Some(Ok(b"<p>Quay</p>".to_vec()))), "", Request::default(), now).expect("taken");
        assert!(
            taken.screenshot_note.starts_with("the whole page, 1 × 2 px, drawn by WebKitGTK "),
            "{}",
            taken.screenshot_note
        );
        assert_eq!((taken.text.as_str(), taken.name.as_str()), ("Quay", "capture-127.0.0.1-20240501T102035Z.warc"));

        let unfinished = finish(parts(true, None), "", Request::default(), now).expect("taken as shown");
        assert!(unfinished.screenshot_note.contains("had not finished loading"), "{}", unfinished.screenshot_note);
        assert!(unfinished.screenshot_note.contains("as WebKit had built it"), "{}", unfinished.screenshot_note);

        let refused = finish(parts(false, None), "", Request::default(), now).err().expect("refused");
        assert!(refused.to_string().contains("did not hand over the page within"), "{refused}");
        let mut blank = parts(false, Some(Ok(Vec::new())));
        blank.snapshot = Some(Err("no page".into()));
        let refused = finish(blank, "", Request::default(), now).err().expect("refused");
        assert!(refused.to_string().contains("WebKit did not draw it (no page)"), "{refused}");
    }
}
