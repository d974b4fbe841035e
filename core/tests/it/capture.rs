//! Captured web pages: one piece of evidence holding its WARC (or MHTML), the page's text and a
//! screenshot, each hashed, with its capture time and final address read from the archive; found by
//! search, cited by a record, shown in the report, checked, and erased with all three files.

use std::path::{Path, PathBuf};

use crate::common::*;
use dossier_core::archive::{self, warc};
use dossier_core::care::erase::{erase, EraseInput};
use dossier_core::record::evidence::capture::{self, CaptureInput};
use dossier_core::record::evidence::{self, LinkInput};
use dossier_core::transfer::{self, ImportRequest};
use dossier_core::view::search::search;
use sha2::{Digest, Sha256};

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49,
    0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d,
    0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

const PAGE: &str = "<html><head><title>Tariff notice</title></head>\
    <body><h1>Notice</h1><p>The tariff of quarrystone rose by 12%.</p></body></html>";

fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn at(text: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(text).expect("a time").with_timezone(&chrono::Utc)
}

/// A WARC as `dossier capture` writes one: the request for `/old`, its redirect, then the page at
/// `/new`, chunked.
fn capture_warc() -> Vec<u8> {
    let mut w = warc::Writer::new(Vec::new());
    let (old, new) = ("http://127.0.0.1:8080/old", "http://127.0.0.1:8080/new");
    w.record("warcinfo", at("2024-05-01T10:20:29Z"), &[], "application/warc-fields", b"software: dossier-test\r\n")
        .expect("warcinfo");
    let request = |path: &str| format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n");
    let first = w
        .record(
            "response",
            at("2024-05-01T10:20:29Z"),
            &[("WARC-Target-URI", old)],
            "application/http;msgtype=response",
            b"HTTP/1.1 302 Found\r\nLocation: /new\r\nContent-Length: 0\r\n\r\n",
        )
        .expect("redirect");
    w.record(
        "request",
        at("2024-05-01T10:20:29Z"),
        &[("WARC-Target-URI", old), ("WARC-Concurrent-To", &first)],
        "application/http;msgtype=request",
        request("/old").as_bytes(),
    )
    .expect("request");
    let mut chunked =
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for piece in PAGE.as_bytes().chunks(50) {
        chunked.extend(format!("{:x}\r\n", piece.len()).as_bytes());
        chunked.extend(piece);
        chunked.extend(b"\r\n");
    }
    chunked.extend(b"0\r\n\r\n");
    w.record(
        "response",
        at("2024-05-01T10:20:30Z"),
        &[("WARC-Target-URI", new)],
        "application/http;msgtype=response",
        &chunked,
    )
    .expect("page");
    w.into_inner()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write a fixture");
    path
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/capture").join(name)
}

/// Guards the "Done when" of web capture in the core: three files hashed, time and final address,
/// text searchable, cited by a record, shown in the HTML report with its time and hashes.
#[test]
fn a_capture_keeps_its_warc_screenshot_and_text_and_is_cited_and_reported() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let warc_bytes = capture_warc();
    let warc = write(fx.dir.path(), "page.warc", &warc_bytes);
    let png = write(fx.dir.path(), "page.png", PNG);
    let input = CaptureInput {
        case: "c".into(),
        archive: warc,
        screenshot: Some(png),
        screenshot_note: "full page, 1280 × 600 px, by Chromium".into(),
        ..Default::default()
    };
    let e = capture::add(&mut fx.store, &input).expect("capture");
    assert_eq!(e.title, "Tariff notice", "the page's title names it");
    assert_eq!(e.sha256.as_deref(), Some(sha(&warc_bytes).as_str()), "the WARC is the evidence's file");
    assert_eq!(e.media_type.as_deref(), Some("application/warc"));
    assert_eq!(e.url.as_deref(), Some("http://127.0.0.1:8080/new"));
    assert_eq!(e.date.as_deref(), Some("2024-05-01T10:20:30Z"), "dated by its capture");
    let c = e.capture.clone().expect("a capture");
    assert_eq!((c.url.as_str(), c.final_url.as_str()), ("http://127.0.0.1:8080/old", "http://127.0.0.1:8080/new"));
    assert_eq!((c.captured_at.as_str(), c.status, c.format.as_str()), ("2024-05-01T10:20:30Z", Some(200), "warc"));
    assert_eq!(c.made_by, "dossier-test");
    let shot = c.screenshot.clone().expect("a screenshot");
    assert_eq!((shot.sha256.as_str(), shot.size), (sha(PNG).as_str(), PNG.len() as i64));
    let text = std::fs::read(stored_file(&fx.store, &c.text.sha256)).expect("the text file");
    assert_eq!(sha(&text), c.text.sha256);
    assert!(String::from_utf8_lossy(&text).contains("The tariff of quarrystone rose by 12%."), "{text:?}");
    for part in [&c.text.sha256, &shot.sha256, e.sha256.as_ref().expect("sha")] {
        assert!(stored_file(&fx.store, part).is_file(), "{part} is in the store");
    }

    let hits = search(fx.store.reader(), "quarrystone", None, 10).expect("search");
    assert!(hits.iter().any(|h| h.record_id == e.id), "the page's words find the capture: {hits:?}");

    let cited = event(&mut fx.store, "c", "Tariff raised", "2024-05-01");
    evidence::link(
        &mut fx.store,
        &LinkInput { evidence: e.id.clone(), record: cited.id.clone(), ..Default::default() },
    )
    .expect("cite it");
    let html =
        String::from_utf8(transfer::export_bytes(&fx.store, "c", "html", "en", &Default::default()).expect("report"))
            .expect("utf-8");
    for expected in [
        "web page capture",
        "2024-05-01T10:20:30Z",
        &sha(&warc_bytes),
        &shot.sha256,
        &c.text.sha256,
        "Address asked for",
        "http://127.0.0.1:8080/old",
        "Tariff raised",
    ] {
        assert!(html.contains(expected), "the report shows {expected}");
    }
    assert!(messages(&checked(&fx.db_path())).is_empty(), "a capture checks clean");
}

/// Guards: a capture's screenshot or text altered in the store is named by check, as any evidence
/// file is; erasing the capture removes all three files.
#[test]
fn a_captures_parts_are_checked_and_erased_with_it() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let warc = write(fx.dir.path(), "page.warc", &capture_warc());
    let png = write(fx.dir.path(), "page.png", PNG);
    let input = CaptureInput { case: "c".into(), archive: warc, screenshot: Some(png), ..Default::default() };
    let e = capture::add(&mut fx.store, &input).expect("capture");
    let c = e.capture.clone().expect("capture");
    let shot = stored_file(&fx.store, &c.screenshot.as_ref().expect("shot").sha256);
    let kept = std::fs::read(&shot).expect("read");
    std::fs::remove_file(&shot).expect("remove");
    let found = messages(&checked(&fx.db_path()));
    assert!(found.iter().any(|m| m.contains("'Tariff notice'") && m.ends_with("is missing")), "{found:?}");
    std::fs::write(&shot, kept).expect("put back");

    let files = [e.sha256.clone().expect("sha"), c.text.sha256.clone(), c.screenshot.expect("shot").sha256];
    erase(&mut fx.store, &EraseInput { id: e.id.clone(), reason: "received_in_error".into(), note: String::new() })
        .expect("erase");
    for sha in &files {
        assert!(!fx.store.blobs().contains(sha), "{sha} left the store");
    }
    assert!(messages(&checked(&fx.db_path())).is_empty());
}

/// Guards: a WARC made by Webrecorder's warcio (gzipped per record, a 301, the page gzip-encoded and
/// chunked as it came) imports as a capture of the page the redirect led to, without screenshot,
/// saying so; and `dossier import` takes it by its extension.
#[test]
fn a_warc_from_webrecorder_imports_as_a_capture() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let report = transfer::import(
        &mut fx.store,
        &ImportRequest { path: fixture("warcio.warc.gz"), case: "c".into(), ..Default::default() },
    )
    .expect("import");
    assert_eq!(report.count, 1);
    let e = evidence::list(fx.store.reader(), "c").expect("list").pop().expect("one piece");
    let c = e.capture.expect("a capture");
    assert_eq!(e.title, "Moved notice");
    assert!(c.url.ends_with("/old") && c.final_url.ends_with("/new"), "{c:?}");
    assert_eq!(c.status, Some(200));
    assert!(c.screenshot.is_none());
    assert_eq!(c.screenshot_note, "no screenshot: the archive holds none");
    let text = evidence::text(fx.store.reader(), &e.id, None).expect("text");
    assert!(text[0].text.contains("The tariff of zanzibarite rose."), "{text:?}");
}

/// Guards: an MHTML page saved by a browser imports as a capture (its address and time from its
/// headers, no HTTP status), and a file that is neither archive is refused with one line.
#[test]
fn an_mhtml_page_imports_and_a_non_archive_is_refused() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let report = transfer::import(
        &mut fx.store,
        &ImportRequest { path: fixture("blink.mhtml"), case: "c".into(), ..Default::default() },
    )
    .expect("import");
    assert_eq!(report.count, 1);
    let e = evidence::list(fx.store.reader(), "c").expect("list").pop().expect("one piece");
    let c = e.capture.expect("a capture");
    assert_eq!((c.final_url.as_str(), c.format.as_str()), ("https://example.org/notice", "mhtml"));
    assert_eq!((c.captured_at.as_str(), c.status), ("2024-05-07T10:20:30Z", None));
    assert_eq!(c.made_by, "<Saved by Blink>");
    assert_eq!(e.media_type.as_deref(), Some("multipart/related"));
    assert!(search(fx.store.reader(), "quarrystone", None, 5).expect("search").iter().any(|h| h.record_id == e.id));

    let junk = write(fx.dir.path(), "junk.warc", b"WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 99\r\n\r\nshort");
    let before = snapshot(&fx.store);
    let err = transfer::import(&mut fx.store, &ImportRequest { path: junk, case: "c".into(), ..Default::default() })
        .expect_err("refused");
    assert_eq!(err.to_string(), "file: the web archive could not be read: record 1 is cut short");
    assert_eq!(snapshot(&fx.store), before, "nothing was written");
}

/// Guards the reader against what it must not trust: a redirect loop ends, and a record claiming
/// more bytes than the file holds is refused.
#[test]
fn an_archive_reader_stays_within_what_it_is_given() {
    let mut w = warc::Writer::new(Vec::new());
    for (from, to) in [("http://a.test/1", "/2"), ("http://a.test/2", "/1")] {
        let block = format!("HTTP/1.1 301 Moved\r\nLocation: {to}\r\n\r\n");
        w.record(
            "response",
            at("2024-01-01T00:00:00Z"),
            &[("WARC-Target-URI", from)],
            "application/http",
            block.as_bytes(),
        )
        .expect("record");
    }
    let page = archive::read(&w.into_inner()).expect("a loop still reads");
    assert_eq!(page.status, Some(301));
    let err = archive::read(b"WARC/1.1\r\nContent-Length: 18446744073709551615\r\n\r\n").expect_err("refused");
    assert!(err.to_string().contains("cut short"), "{err}");
}

/// Guards the upgrade to schema version 16: a version-15 database with evidence gains the capture
/// table and view, keeps its files checked, and takes a capture.
#[test]
fn a_version_15_database_upgrades_and_takes_captures() {
    let (dir, path) = demo_db();
    {
        let conn = rusqlite::Connection::open(&path).expect("open with rusqlite");
        conn.execute_batch(&format!(
            "DROP VIEW evidence_file; DROP TABLE evidence_capture; {UNDO_SINCE_17} PRAGMA user_version = 15;"
        ))
        .expect("as version 15");
    }
    let mut store = dossier_core::Store::open(&path).expect("upgrade");
    let upgrade = store.take_upgrade().expect("an upgrade");
    assert_eq!((upgrade.from, upgrade.to), (15, dossier_core::store::schema_version() as i64));
    let slug = dossier_core::record::case::list(store.reader()).expect("cases")[0].slug.clone();
    let warc = write(dir.path(), "page.warc", &capture_warc());
    let input = CaptureInput { case: slug, archive: warc, ..Default::default() };
    capture::add(&mut store, &input).expect("a capture after the upgrade");
    drop(store);
    assert!(messages(&checked(&path)).is_empty());
}

/// Guards: a page in another character set than UTF-8 is read in the one it declares, in its
/// response's Content-Type or else in its <meta>, so its words are found.
#[test]
fn a_page_is_read_in_the_character_set_it_declares() {
    let page = |content_type: &str, body: &[u8]| {
        let mut w = warc::Writer::new(Vec::new());
        let mut block = format!("HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n\r\n").into_bytes();
        block.extend_from_slice(body);
        w.record(
            "response",
            at("2024-01-01T00:00:00Z"),
            &[("WARC-Target-URI", "http://a.test/")],
            "application/http",
            &block,
        )
        .expect("record");
        archive::read(&w.into_inner()).expect("read")
    };
    let latin = page("text/html; charset=windows-1252", b"<title>Caf\xe9</title><p>Cr\xe8me br\xfbl\xe9e</p>");
    assert_eq!(latin.title().as_deref(), Some("Café"));
    assert!(latin.text().contains("Crème brûlée"), "{}", latin.text());
    let meta = page("text/html", b"<meta charset=\"iso-8859-1\"><p>Fran\xe7ais</p>");
    assert!(meta.text().contains("Français"), "{}", meta.text());
    let utf8 = page("text/html", "<p>Газпром</p>".as_bytes());
    assert!(utf8.text().contains("Газпром"));
}

/// Guards the app's capture window's archive (issue 26, item 4): a page as a browser hands it over —
/// its body already un-gzipped, its header fields as received, its request as the browser reports it
/// — is written by `warc::capture_file` so that reading it back gives the page as it was (the
/// `Content-Encoding: gzip` of the wire kept, renamed, not applied again to the decoded body); and the
/// text the browser drew, script-built words included, is the capture's text and what search finds.
#[test]
fn a_page_handed_over_by_a_browser_keeps_its_headers_and_the_text_it_drew() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    let url = "https://example.org/notice";
    let fields = vec![
        ("Content-Type".to_string(), "text/html; charset=utf-8".to_string()),
        ("Content-Encoding".to_string(), "gzip".to_string()),
        ("Content-Length".to_string(), "97".to_string()),
        ("Set-Cookie".to_string(), "banner=closed\r\nX-Forged: 1".to_string()),
    ];
    let response = warc::http_response(200, &fields, PAGE.as_bytes());
    let head = String::from_utf8_lossy(&response);
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert!(head.contains("X-Archive-Orig-Content-Encoding: gzip\r\n"), "{head}");
    assert!(head.contains(&format!("\r\nContent-Length: {}\r\n", PAGE.len())), "{head}");
    assert!(!head.contains("\r\nX-Forged"), "a value's line end forges no field: {head}");
    let sent = vec![("Accept".to_string(), "text/html".to_string()), ("User-Agent".to_string(), "WebKit".to_string())];
    let request = warc::http_request("GET", "https://example.org/notice?lang=fr", &sent);
    assert_eq!(
        String::from_utf8_lossy(&request),
        "GET /notice?lang=fr HTTP/1.1\r\nHost: example.org\r\nAccept: text/html\r\nUser-Agent: WebKit\r\n\r\n"
    );
    let exchange = warc::Exchange { url: url.into(), at: at("2024-05-01T10:20:30Z"), ip: None, request, response };
    let bytes = warc::capture_file("Dossier test (capture window)", "WebKit", &[exchange]).expect("the WARC");

    let page = archive::read(&bytes).expect("read back");
    assert_eq!((page.final_url.as_str(), page.status, page.problem.as_deref()), (url, Some(200), None));
    assert_eq!(page.body, PAGE.as_bytes(), "the decoded body is read as it is");
    assert_eq!(page.made_by, "Dossier test (capture window)");
    let kinds: Vec<String> = warc::records(&bytes).expect("records").into_iter().map(|r| r.kind).collect();
    assert_eq!(kinds, ["warcinfo", "response", "request"]);

    let drawn = "Notice\nThe tariff of quarrystone rose by 12%.\nWritten by script: the quokka lighthouse.";
    let input = CaptureInput { case: "c".into(), screenshot_note: "drawn by WebKitGTK".into(), ..Default::default() };
    let files = capture::CaptureFiles {
        name: "capture-example.org.warc".into(),
        archive: bytes,
        screenshot: Some(PNG.to_vec()),
        text: Some(drawn.into()),
    };
    let e = capture::add_files(&mut fx.store, &input, files).expect("kept");
    let c = e.capture.clone().expect("a capture");
    let text = std::fs::read(stored_file(&fx.store, &c.text.sha256)).expect("the text file");
    assert_eq!(String::from_utf8_lossy(&text), drawn, "the text kept is the text drawn");
    let hits = search(fx.store.reader(), "quokka", None, 10).expect("search");
    assert!(hits.iter().any(|h| h.record_id == e.id), "words a script wrote find the capture: {hits:?}");
    let (media_type, png) = capture::screenshot_for_viewer(&fx.store, &e.id).expect("the screenshot for the viewer");
    assert_eq!((media_type.as_str(), png.as_slice()), ("image/png", PNG));
}

/// Guards: the notes Dossier writes of a screenshot read in French too, clause by clause; what a
/// browser said in failing is kept as it came.
#[test]
fn a_screenshots_note_reads_in_french() {
    use dossier_core::record::evidence::capture::note_in_french;
    let cases = [
        (
            "the whole page, 1280 × 2788 px, drawn by WebKitGTK 2.50.6 in Dossier's capture window at 2026-12-07T19:06:01Z from http://127.0.0.1:1/notice; the page had not finished loading after 20 s and was taken as shown",
            "la page entière, 1280 × 2788 px, dessinée par WebKitGTK 2.50.6 dans la fenêtre de capture de Dossier le 2026-12-07T19:06:01Z depuis http://127.0.0.1:1/notice ; la page n’avait pas fini de se charger après 20 s et a été prise telle qu’affichée",
        ),
        (
            "the whole page, 1280 × 16384 px, drawn by Chromium 142 from its own load of https://a.example/x at 2026-12-07T10:00:00Z; the page is 40000 px high and only its first 16384 px are shown; the page had not finished loading when it was drawn",
            "la page entière, 1280 × 16384 px, dessinée par Chromium 142 à partir de son propre chargement de https://a.example/x le 2026-12-07T10:00:00Z ; la page fait 40000 px de haut et seuls ses 16384 premiers px sont montrés ; la page n’avait pas fini de se charger quand elle a été dessinée",
        ),
        ("kept in the web archive, made by Webrecorder", "conservée dans l’archive web, faite par Webrecorder"),
        ("no screenshot: Chromium (/usr/bin/chromium) is not installed", "pas de capture d’écran : Chromium (/usr/bin/chromium) n’est pas installé"),
        ("no screenshot: net::ERR_FAILED", "pas de capture d’écran : net::ERR_FAILED"),
        ("no screenshot: none was asked for", "pas de capture d’écran : aucune n’a été demandée"),
    ];
    for (en, fr) in cases {
        assert_eq!(note_in_french(en), fr);
    }
}
