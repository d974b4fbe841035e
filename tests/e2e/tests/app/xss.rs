//! Hostile markup in the real webview (WebKitGTK): scripts, event handlers, `javascript:` and
//! protocol-relative links, frames, SVG and remote images put into a case summary, a letter body, an
//! evidence title, a party name and a search snippet. Each payload would set `window.__xss` or fetch
//! from a local server the test watches; the test reads both after showing every place.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::driver::*;

/// The `dossier` CLI built beside the app.
fn cli() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("target dir").join("debug").join("dossier")
}

/// Every payload, each of which would mark `window.__xss` or fetch from `host` if it ran.
fn payloads(host: &str) -> Vec<String> {
    vec![
        "<script>window.__xss='script'</script>".into(),
        "<img src=x onerror=\"window.__xss='onerror'\">".into(),
        "[click me](javascript:window.__xss='javascript-link')".into(),
        format!("[share](//{host}/relative-link)"),
        format!("<iframe src=\"http://{host}/frame\"></iframe>"),
        "<svg onload=\"window.__xss='svg'\"><circle r=\"5\"/></svg>".into(),
        format!("![tracker](http://{host}/remote.png) <img src=\"http://{host}/raw.png\">"),
        "<a href=\"javascript:window.__xss='anchor'\">anchor</a> xsspayloadword".into(),
    ]
}

/// A local server that counts every connection made to it.
fn watch() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let host = listener.local_addr().expect("address").to_string();
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&hits);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            counted.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    (host, hits)
}

fn run(db: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new(cli()).arg("--db").arg(db).args(args).output().expect("the dossier CLI");
    assert!(out.status.success(), "dossier {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[tokio::test(flavor = "current_thread")]
async fn hostile_markup_never_runs_and_fetches_nothing_in_the_webview() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().expect("temp dir");
    let (host, hits) = watch();
    let all = payloads(&host).join("\n\n");
    let one_line = payloads(&host).join(" ");
    let db = data.path().join("org.dossier.app").join("dossier.sqlite");
    run(&db, &["case", "add", "--title", "Hostile", "--summary", &all]);
    let party = format!("Evil {one_line}");
    run(&db, &["party", "add", "--name", &party[..party.len().min(900)], "--kind", "organisation"]);
    run(&db, &["party", "add", "--name", "Target", "--kind", "organisation"]);
    run(&db, &["party", "role", "hostile", "Target", "respondent"]);
    run(
        &db,
        &["letter", "add", "hostile", "--from", "Target", "--subject", "A letter", "--date", "2024-01", "--body", &all],
    );
    run(
        &db,
        &["evidence", "add-url", "hostile", "https://example.org/a", "--title", &one_line[..one_line.len().min(900)]],
    );

    let app = App::start(data.path()).await;
    app.set_lang("en").await;
    app.click("[data-testid=case-hostile]").await;
    app.click("[data-testid=tab-overview]").await;
    app.wait_css("[data-testid=overview] .markdown").await;
    app.click("[data-testid=tab-parties]").await;
    app.click("[data-testid=tab-evidence]").await;
    app.click("[data-testid=tab-correspondence]").await;
    app.click("[data-testid=thread-letter]").await;
    app.wait_css("[data-testid=record-panel] .markdown").await;
    // Links that survived the sanitizer are clicked, as a reader would.
    for link in
        app.client.find_all(fantoccini::Locator::Css("[data-testid=record-panel] .markdown a")).await.expect("links")
    {
        let _ = link.click().await;
    }
    app.type_into("[data-testid=search]", "xsspayloadword").await;
    app.wait_css("[data-testid=hit]").await;
    app.shot("xss-en").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;

    let marker = app.client.execute("return window.__xss === undefined ? null : String(window.__xss);", vec![]).await;
    assert_eq!(marker.expect("the page answers"), serde_json::Value::Null, "a payload ran");
    // What a payload would have needed in the page: an inline script, a frame, an event handler, a
    // javascript: link, a remote image. None is there; the payloads' words are, as text.
    let dangerous = app
        .client
        .execute(
            "return document.querySelectorAll('iframe, object, embed, [onerror], [onload], a[href^=\"javascript:\" i], \
             img[src^=\"http\"], a[href^=\"//\"]').length + Array.from(document.scripts).filter((s) => !s.src).length;",
            vec![],
        )
        .await
        .expect("the page answers");
    assert_eq!(dangerous, serde_json::Value::from(0), "a dangerous element reached the page");
    let page = app.client.source().await.expect("page source");
    assert!(page.contains("xsspayloadword"), "the text itself is shown");
    assert_eq!(hits.load(Ordering::SeqCst), 0, "the webview fetched from {host}");
    app.stop().await;
}
