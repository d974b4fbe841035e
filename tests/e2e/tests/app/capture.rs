//! "Capture page…" in the app: a page served on 127.0.0.1 by the test is captured from the case's
//! evidence list, and its panel shows the capture time, the screenshot and the text with their
//! digests.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use crate::driver::*;

const PAGE: &str = "<html><head><title>Harbour notice</title></head><body><h1>Harbour notice</h1>\
    <p>The mooring fee of the trilobite quay rose.</p></body></html>";

/// Serves `PAGE` to at most 20 connections (the capture's fetch, Chromium's load and its favicon).
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
async fn a_page_captured_from_the_evidence_list_shows_its_time_and_digests() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().expect("temp dir");
    let url = server();
    let app = App::start(data.path()).await;
    app.set_lang("en").await;
    app.click("[data-testid=case-twitter-v-microsoft]").await;
    app.click("[data-testid=tab-evidence]").await;
    app.click("[data-testid=capture-page]").await;
    app.type_into("#f-url", &url).await;
    app.save_form().await;
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
    assert!(panel.contains("the whole page, 1280 ×"), "the screenshot was drawn: {panel}");
    assert!(panel.contains("Text of the page"), "{panel}");
    app.shot("capture-panel-en").await;
    app.stop().await;
}
