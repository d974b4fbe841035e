//! `dossier capture URL --case SLUG` against a web server on 127.0.0.1 that the test starts: a page
//! reached through redirects is kept whole (WARC, screenshot, text, each hashed), cited and reported;
//! a slow page still arrives; a huge page, a page that never ends and a server that never answers
//! each fail within their bound with one line and keep nothing; without Chromium the page is kept
//! with its missing screenshot said.
//!
//! The server answers at most [`MAX_CONNECTIONS`] connections and ends every answer by itself (the
//! endless page after [`ENDLESS_FOR`]), so nothing it starts outlives the test by long.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use crate::common::Db;

const MAX_CONNECTIONS: usize = 40;
const ENDLESS_FOR: Duration = Duration::from_secs(20);

const PAGE: &str = "<html><head><title>Quarry notice</title></head><body><h1>Notice</h1>\
    <p>The tariff of the pelagornis quarry rose by 12%.</p><div style=\"height:2400px\"></div>\
    <p>Foot of the page.</p></body></html>";

/// Starts the test's web server on a free port of 127.0.0.1; returns its address.
fn server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    std::thread::spawn(move || {
        for stream in listener.incoming().take(MAX_CONNECTIONS).flatten() {
            std::thread::spawn(move || answer(stream));
        }
    });
    address
}

/// Answers one request by its path.
fn answer(mut stream: TcpStream) {
    let mut line = String::new();
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    if reader.read_line(&mut line).is_err() {
        return;
    }
    // The rest of the request head.
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let _ = match path.as_str() {
        "/page" => send(&mut stream, "200 OK", "text/html; charset=utf-8", PAGE.as_bytes()),
        "/start" => redirect(&mut stream, "/middle"),
        "/middle" => redirect(&mut stream, "page"),
        "/loop" => redirect(&mut stream, "/loop"),
        "/slow" => slow(&mut stream),
        "/huge" => huge(&mut stream),
        "/endless" => endless(&mut stream),
        "/silent" => {
            std::thread::sleep(Duration::from_secs(10));
            Ok(())
        }
        _ => send(&mut stream, "404 Not Found", "text/plain", b"no such page"),
    };
}

fn send(stream: &mut TcpStream, status: &str, kind: &str, body: &[u8]) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)
}

fn redirect(stream: &mut TcpStream, to: &str) -> std::io::Result<()> {
    let head = format!("HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    stream.write_all(head.as_bytes())
}

/// The page in three chunks, half a second apart.
fn slow(stream: &mut TcpStream) -> std::io::Result<()> {
    stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n")?;
    for piece in
        ["<html><head><title>Slow notice</title></head><body>", "<p>It came slowly: ammonite.</p>", "</body></html>"]
    {
        std::thread::sleep(Duration::from_millis(500));
        stream.write_all(format!("{:x}\r\n{piece}\r\n", piece.len()).as_bytes())?;
    }
    stream.write_all(b"0\r\n\r\n")
}

/// A page that says it has 200 MiB, and sends them.
fn huge(stream: &mut TcpStream) -> std::io::Result<()> {
    let size = 200u64 << 20;
    stream.write_all(
        format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {size}\r\n\r\n").as_bytes(),
    )?;
    let block = vec![b'x'; 1 << 16];
    for _ in 0..(size >> 16) {
        stream.write_all(&block)?;
    }
    Ok(())
}

/// A page that keeps coming, a chunk every 100 ms, until the client leaves (or [`ENDLESS_FOR`]).
fn endless(stream: &mut TcpStream) -> std::io::Result<()> {
    stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n")?;
    let until = Instant::now() + ENDLESS_FOR;
    while Instant::now() < until {
        stream.write_all(b"8\r\n<p>.</p>\r\n")?;
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}

fn with_case() -> Db {
    let db = Db::new();
    db.ok(&["case", "add", "--title", "Quarry", "--slug", "quarry"]);
    db
}

/// Guards the "Done when" of web capture: a local page reached through two redirects is kept as one
/// piece of evidence with its WARC (every hop), screenshot and text, each hashed, its capture time
/// and final address; it is found by its words, cited by a record, and shown in the HTML report.
#[test]
fn a_page_behind_redirects_is_captured_whole_cited_and_reported() {
    let db = with_case();
    let site = server();
    let out = db.ok(&["capture", &format!("{site}/start"), "--case", "quarry"]);
    let id = out.lines().last().expect("the id, last").to_string();
    let e = db.json(&["evidence", "show", &id]);
    let c = &e["capture"];
    assert_eq!(e["title"], "Quarry notice");
    assert_eq!(c["url"], format!("{site}/start"));
    assert_eq!(c["final_url"], format!("{site}/page"));
    assert_eq!(c["status"], 200);
    assert_eq!(e["media_type"], "application/warc");
    let captured = c["captured_at"].as_str().expect("a time");
    // The evidence is dated at the capture: the same instant, written as dates are (a time on the
    // minute drops its ":00" seconds).
    let dated = captured.strip_suffix(":00Z").map_or_else(|| captured.to_string(), |minute| format!("{minute}Z"));
    assert_eq!(e["date"].as_str(), Some(dated.as_str()));

    let warc = std::fs::read(db.ok(&["evidence", "path", &id]).trim()).expect("the WARC");
    let text = String::from_utf8_lossy(&warc);
    for hop in ["/start", "/middle", "/page"] {
        assert!(text.contains(&format!("WARC-Target-URI: {site}{hop}\r\n")), "the WARC holds {hop}");
    }
    assert!(text.contains("HTTP/1.1 302 Found\r\nLocation: /middle\r\n"), "the redirect as it came");
    assert_eq!(text.matches("WARC-Type: request\r\n").count(), 3);

    match c["screenshot"].as_object() {
        Some(shot) => {
            assert!(shot["size"].as_i64().unwrap_or(0) > 0);
            let note = c["screenshot_note"].as_str().unwrap_or("");
            assert!(note.starts_with("the whole page, 1280 × "), "{note}");
            let high: u32 = note.split("× ").nth(1).and_then(|h| h.split(" px").next()?.parse().ok()).unwrap_or(0);
            assert!(high > 2400, "the whole page, not the window: {note}");
        }
        None => panic!("Chromium is installed by scripts/setup.sh: {}", c["screenshot_note"]),
    }
    assert_eq!(c["text"]["size"].as_i64().map(|n| n > 0), Some(true));
    let png = std::fs::read(db.ok(&["evidence", "path", &id, "--part", "screenshot"]).trim()).expect("the screenshot");
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    let text = std::fs::read_to_string(db.ok(&["evidence", "path", &id, "--part", "text"]).trim()).expect("the text");
    assert!(text.contains("The tariff of the pelagornis quarry rose by 12%."), "{text}");
    let hits = db.ok(&["search", "pelagornis"]);
    assert!(hits.contains("Quarry notice"), "{hits}");

    let event = db.ok(&["event", "add", "quarry", "--title", "Tariff raised", "--date", "2024-05-01"]);
    db.ok(&["evidence", "link", &id, event.trim()]);
    let report = db.dir().join("report.html");
    db.ok(&["export", "quarry", "--format", "html", "-o", &report.to_string_lossy()]);
    let html = std::fs::read_to_string(&report).expect("report");
    for shown in [
        captured,
        e["sha256"].as_str().unwrap_or("?"),
        c["text"]["sha256"].as_str().unwrap_or("?"),
        c["screenshot"]["sha256"].as_str().unwrap_or("?"),
        "Tariff raised",
        "web page capture",
    ] {
        assert!(html.contains(shown), "the report shows {shown}");
    }
    assert!(db.ok(&["check"]).contains("all as Dossier wrote it"), "the capture's three files check clean");
}

/// Guards: a page that takes time but comes whole within the bound is kept.
#[test]
fn a_slow_page_that_arrives_is_kept() {
    let db = with_case();
    let site = server();
    let out = db.ok(&["capture", &format!("{site}/slow"), "--case", "quarry", "--no-screenshot"]);
    let id = out.lines().last().expect("id").to_string();
    let e = db.json(&["evidence", "show", &id]);
    assert_eq!(e["title"], "Slow notice");
    assert_eq!(e["capture"]["screenshot_note"], "no screenshot: none was asked for");
    assert!(db.ok(&["evidence", "text", &id]).contains("It came slowly: ammonite."));
}

/// Guards the bounds: a huge page, an endless page, a silent server and a redirect loop each fail
/// with one line naming the address and the bound, within the time given, writing nothing.
#[test]
fn pages_past_their_bounds_fail_in_one_line_and_keep_nothing() {
    let db = with_case();
    let site = server();
    let before = db.writes();
    let cases: [(&str, &[&str], &str); 4] = [
        ("/huge", &["--max-size", "1"], "not captured: it is larger than 1 MiB; nothing was kept"),
        ("/endless", &["--timeout", "2"], "not captured: it did not arrive whole within 2 s; nothing was kept"),
        ("/silent", &["--timeout", "2"], "not captured: it did not arrive whole within 2 s; nothing was kept"),
        ("/loop", &[], "not captured: it redirects more than 10 times; nothing was kept"),
    ];
    for (path, flags, says) in cases {
        let url = format!("{site}{path}");
        let mut args = vec!["capture", url.as_str(), "--case", "quarry"];
        args.extend_from_slice(flags);
        let started = Instant::now();
        let (code, stderr) = db.err(&args);
        assert!(started.elapsed() < Duration::from_secs(8), "{path} took {:?}", started.elapsed());
        assert_eq!(code, 1, "{path}: {stderr}");
        assert_eq!(stderr, format!("dossier: {url}: {says}\n"), "{path}");
    }
    let (code, stderr) = db.err(&["capture", "ftp://127.0.0.1/x", "--case", "quarry"]);
    assert_eq!((code, stderr.as_str()), (2, "dossier: url: 'ftp://127.0.0.1/x' is not an http(s) address\n"));
    let (code, _) = db.err(&["capture", &format!("{site}/page"), "--case", "no-such-case"]);
    assert_eq!(code, 3, "the case is looked up before the page is fetched");
    assert_eq!(db.writes(), before, "nothing was written");
    assert_eq!(db.json(&["evidence", "list", "quarry"]).as_array().map(Vec::len), Some(0));
}

/// Guards the choice made without Chromium: the page is kept, its missing screenshot said in the
/// capture and on stderr.
#[test]
fn without_chromium_the_page_is_kept_and_the_missing_screenshot_said() {
    let db = with_case();
    let site = server();
    let out = db
        .command(&["capture", &format!("{site}/page"), "--case", "quarry"])
        .env("DOSSIER_CHROMIUM", "/nonexistent/chromium")
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr,
        "dossier: warning: no screenshot: Chromium (/nonexistent/chromium) is not installed; the page is kept without one\n"
    );
    let id = String::from_utf8_lossy(&out.stdout).lines().last().expect("id").to_string();
    let c = db.json(&["evidence", "show", &id])["capture"].clone();
    assert!(c["screenshot"].is_null());
    assert_eq!(c["screenshot_note"], "no screenshot: Chromium (/nonexistent/chromium) is not installed");
}

/// Guards: an existing WARC imports as a capture, by `capture --from` and by `import`.
#[test]
fn an_existing_warc_imports_as_a_capture() {
    let db = with_case();
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/capture/warcio.warc.gz");
    let id = db.ok(&["capture", "--from", fixture, "--case", "quarry"]);
    let id = id.lines().last().expect("id");
    assert!(db.json(&["evidence", "show", id])["capture"]["final_url"].as_str().is_some_and(|u| u.ends_with("/new")));
    let mhtml = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/capture/blink.mhtml");
    let said = db.ok(&["import", mhtml, "--case", "quarry"]);
    assert!(said.contains("1"), "{said}");
    assert_eq!(db.json(&["evidence", "list", "quarry"]).as_array().map(Vec::len), Some(2));
}
