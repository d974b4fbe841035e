//! "Capture page…" in the app: a page served on 127.0.0.1 by the test opens in the app's capture
//! window, drawn by the app's own WebKit, and is captured from there; its panel shows the capture
//! time, WebKit as what drew the whole page (taller than the window), the screenshot and the text.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use crate::driver::*;

/// A page taller than the window (2,600 px), part of whose text its script writes, and which tries
/// Dossier's IPC (its script writes whether a command answered it).
const PAGE: &str = "<html><head><title>Harbour notice</title></head><body><h1>Harbour notice</h1>\
    <p>The mooring fee of the trilobite quay rose.</p><div style=\"height: 2600px\"></div>\
    <p id=\"late\"></p><p id=\"ipc\"></p><script>document.getElementById('late').textContent = \
    ['Written', 'by', 'script:', 'the', 'quokka', 'lighthouse', 'stays', 'lit.'].join(' '); \
    (function () { var out = document.getElementById('ipc'); var t = window.__TAURI_INTERNALS__; \
    if (!t) { out.textContent = 'IPC absent'; return; } out.textContent = 'IPC pending'; \
    try { t.invoke('list_cases').then(function () { out.textContent = 'IPC answered'; }, \
    function () { out.textContent = 'IPC refused'; }); } catch (e) { out.textContent = 'IPC refused'; } \
    })();</script></body></html>";

/// Serves `PAGE` to at most 20 connections (WebKit's load of the page and of its favicon).
fn server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let address = format!("http://{}/notice", listener.local_addr().expect("address"));
    std::thread::spawn(move || {
        for mut stream in listener.incoming().take(20).flatten() {
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                PAGE.len()
            );
            let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(PAGE.as_bytes()));
        }
    });
    address
}

#[tokio::test(flavor = "current_thread")]
async fn a_page_captured_through_the_apps_webkit_shows_what_was_drawn() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().expect("temp dir");
    let url = server();
    let app = App::start(data.path()).await;
    app.set_lang("en").await;
    app.click("[data-testid=case-twitter-v-microsoft]").await;
    app.click("[data-testid=tab-evidence]").await;
    app.click("[data-testid=capture-page]").await;
    app.type_into("#f-url", &url).await;
    app.click("[data-testid=save]").await;
    // The second step: the page is open in the capture window; Capture takes it from there.
    app.until(
        "the form saying the page is open",
        async |a: &App| a.texts(".form-intro").await.join(" "),
        |t| t.contains("open in the capture window"),
    )
    .await;
    let button = app.texts("[data-testid=save]").await;
    assert_eq!(button, ["Capture"]);
    // What the user does in the capture window takes a moment: the page's script has tried the IPC.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    app.click("[data-testid=save]").await;
    let at = app
        .until(
            "the capture in its panel",
            async |a: &App| a.texts("[data-testid=captured-at]").await,
            |t| !t.is_empty(),
        )
        .await;
    assert!(at[0].ends_with('Z') && at[0].len() == 20, "{at:?}");
    let panel = app.texts(".panel").await.join("\n");
    assert!(panel.contains("Harbour notice"), "{panel}");
    let note = app.texts("[data-testid=screenshot-note]").await.join(" ");
    assert!(note.contains("drawn by WebKitGTK") && note.contains("capture window"), "{note}");
    let height: u32 = note
        .split(" px")
        .next()
        .and_then(|size| size.rsplit(' ').next())
        .and_then(|h| h.parse().ok())
        .unwrap_or_else(|| panic!("a height in the note: {note}"));
    assert!(height >= 2600, "the whole page was drawn, not the window: {note}");
    // The thumbnail shows the screenshot (read through the evidence: protocol).
    let loaded = app
        .until(
            "the screenshot's thumbnail",
            async |a: &App| {
                a.client
                    .execute(
                        "const i = document.querySelector('[data-testid=capture-screenshot] img'); \
                         return i && i.complete ? i.naturalHeight : 0;",
                        vec![],
                    )
                    .await
                    .ok()
                    .and_then(|v| v.as_u64())
                    .unwrap_or(0)
            },
            |h| *h > 0,
        )
        .await;
    assert_eq!(loaded, u64::from(height), "the thumbnail is the whole page's screenshot");
    app.shot("capture-panel-en").await;
    app.set_lang("fr").await;
    let note = app.texts("[data-testid=screenshot-note]").await.join(" ");
    assert!(note.contains("WebKitGTK"), "{note}");
    app.shot("capture-panel-fr").await;
    app.set_lang("en").await;
    // A click opens it in the viewer, beside the text as drawn: the script's words are there.
    app.click("[data-testid=capture-screenshot]").await;
    app.wait_css("[data-testid=viewer-image]").await;
    let text = app
        .until(
            "the page's text in the viewer",
            async |a: &App| a.texts("[data-testid=viewer-text]").await.join(" "),
            |t| t.contains("quokka lighthouse"),
        )
        .await;
    assert!(text.contains("The mooring fee of the trilobite quay rose."), "{text}");
    assert!(text.contains("IPC refused") || text.contains("IPC absent"), "no command answers the page: {text}");
    app.shot("capture-viewer-en").await;
    app.stop().await;
}

/// Serves a page that never ends: its head and first words, then nothing, the connection held open.
fn endless_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let address = format!("http://{}/endless", listener.local_addr().expect("address"));
    std::thread::spawn(move || {
        let mut open = Vec::new();
        for mut stream in listener.incoming().take(20).flatten() {
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let start = "<html><head><title>Endless notice</title></head><body><p>The wombat ferry is late.</p>";
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n";
            let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(start.as_bytes()));
            let _ = stream.write_all(&[b' '; 2048]);
            open.push(stream);
        }
    });
    address
}

/// Guards the bounds of a capture through the app's WebKit: a page that never finishes loading is
/// taken as shown after the wait, and the note says so; a capture window the user closed is one
/// clear error in the form, and Cancel then leaves nothing behind.
#[tokio::test(flavor = "current_thread")]
async fn an_endless_page_is_taken_as_shown_and_a_closed_window_is_said() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().expect("temp dir");
    let url = endless_server();
    let app = App::start(data.path()).await;
    app.set_lang("en").await;
    app.click("[data-testid=case-twitter-v-microsoft]").await;
    app.click("[data-testid=tab-evidence]").await;

    app.click("[data-testid=capture-page]").await;
    app.type_into("#f-url", &url).await;
    app.click("[data-testid=save]").await;
    app.wait_css("[data-testid=record-form] .form-intro").await;
    app.until("the second step", async |a: &App| a.texts("[data-testid=save]").await, |b| b == &["Capture"]).await;
    let started = std::time::Instant::now();
    app.click("[data-testid=save]").await;
    let mut note = String::new();
    while started.elapsed() < std::time::Duration::from_secs(90) && note.is_empty() {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        note = app.texts("[data-testid=screenshot-note]").await.join(" ");
    }
    assert!(note.contains("had not finished loading"), "taken as shown, and said: {note:?}");
    assert!(started.elapsed() < std::time::Duration::from_secs(60), "bounded: {:?}", started.elapsed());
    let panel = app.texts(".panel").await.join("\n");
    assert!(panel.contains("Endless notice"), "{panel}");

    app.click("[data-testid=capture-page]").await;
    app.type_into("#f-url", &url).await;
    app.click("[data-testid=save]").await;
    app.until("the second step", async |a: &App| a.texts("[data-testid=save]").await, |b| b == &["Capture"]).await;
    // Closed as a user closes it, with the close button a window manager draws (WebDriver does not
    // drive that window, and Xvfb has no window manager): `close_window.py` sends what it would.
    let found = tokio::process::Command::new("xdotool")
        .args(["search", "--name", "Dossier — http://127\\.0\\.0\\.1"])
        .output()
        .await
        .expect("xdotool (scripts/setup.sh installs it)");
    let ids = String::from_utf8_lossy(&found.stdout).split_whitespace().map(str::to_string).collect::<Vec<_>>();
    assert_eq!(ids.len(), 1, "one capture window: {ids:?}");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/app/close_window.py");
    let closed = tokio::process::Command::new("python3").args([script, &ids[0]]).status().await.expect("python3");
    assert!(closed.success(), "the capture window was asked to close");
    app.click("[data-testid=save]").await;
    let error = app
        .until(
            "the error of a closed window",
            async |a: &App| a.texts("[data-testid=form-error]").await.join(" "),
            |t| !t.is_empty(),
        )
        .await;
    assert_eq!(error, "The capture window was closed: open the page again to capture it.");
    app.click("[data-testid=cancel]").await;
    app.wait_gone("[data-testid=record-form]").await;
    app.stop().await;
}
