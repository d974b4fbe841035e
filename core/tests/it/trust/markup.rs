//! M1: nesting measured on what the parsers build, and rendering within a time budget. Each test runs
//! one of the review's inputs, which took from 2 to 73 s, and checks what a reader sees: the text,
//! escaped, with no nested lists or tags.

use std::path::PathBuf;

use crate::common::*;
use dossier_core::markdown::{html_to_text, to_safe_html};
use dossier_core::record::case;
use dossier_core::record::evidence::{self, FileInput};
use dossier_core::transfer::{self, import};
use dossier_core::view::search;

fn html_report(fx: &Fixture) -> String {
    let bytes = transfer::export_bytes(&fx.store, "innocent", "html", "en", &Default::default()).expect("export");
    String::from_utf8(bytes).expect("utf-8")
}

/// Ordered-list markers on one line: pulldown-cmark nests a list per marker, which the line-prefix
/// guard did not count. The summary is shown as escaped text in the report.
#[test]
fn m1_a_summary_of_numbered_markers_is_shown_as_text() {
    let summary = format!("{}x", "1. ".repeat(80_000));
    let fx = with_case(&summary);
    let report = html_report(&fx);
    assert!(report.contains("<p>1. 1. 1. 1. "), "the summary is there as text");
    assert!(report.matches("<ol>").count() < 5, "no nested lists");
}

/// The same with `1)` markers, straight through the renderer.
#[test]
fn m1_parenthesised_markers_are_shown_as_text() {
    let html = to_safe_html(&format!("{}x", "1) ".repeat(20_000)));
    assert!(html.starts_with("<p>1) 1) 1) "), "{}", &html[..40]);
    assert!(!html.contains("<ol") && !html.contains("<li>"));
}

/// A plain-text e-mail body of numbered markers becomes a letter body, rendered in the report.
#[test]
fn m1_an_emails_numbered_body_is_exported_as_text() {
    let mut fx = with_case("");
    let mail = format!(
        "Message-ID: <ol@x>\nDate: Thu, 20 Apr 2023 09:15:00 +0200\nFrom: a@evil.example\nSubject: numbered\n\
         Content-Type: text/plain\n\n{}x\n",
        "1. ".repeat(40_000)
    );
    import::eml(&mut fx.store, "innocent", mail.as_bytes(), "olmail.eml").expect("import");
    let report = html_report(&fx);
    assert!(report.contains("<p>1. 1. 1. 1. "), "the body is there as text");
    assert!(report.matches("<ol>").count() < 5, "no nested lists");
}

/// End tags that close nothing (`</x>` with a `<div>` open): the old counter dropped on each, while
/// the parser nested the divs. As HTML evidence, its text is still read and indexed.
#[test]
fn m1_html_evidence_whose_end_tags_close_nothing_is_stripped() {
    let html = format!("{}needle in the haystack", "<div></x>".repeat(80_000));
    assert_eq!(html_to_text(&html).trim(), "needle in the haystack");
    let mut fx = with_case("");
    let input = FileInput { case: "innocent".into(), path: PathBuf::from("et.html"), ..Default::default() };
    let e = evidence::add_stream(&mut fx.store, &input, html.as_bytes()).expect("evidence").id;
    let hits = search::search(fx.store.reader(), "needle haystack", None, 10).expect("search");
    assert!(hits.iter().any(|h| h.record_id == e), "the file's text is indexed");
}

/// The same markup as an HTML-only e-mail: imported, its body the text without the tags.
#[test]
fn m1_an_html_only_email_whose_end_tags_close_nothing_imports_as_text() {
    let mut fx = with_case("");
    let mail = format!(
        "Message-ID: <div@x>\nDate: Thu, 20 Apr 2023 09:15:00 +0200\nFrom: a@evil.example\nSubject: divs\n\
         Content-Type: text/html\n\n{}the body\n",
        "<div></x>".repeat(100_000)
    );
    import::eml(&mut fx.store, "innocent", mail.as_bytes(), "divs.eml").expect("import");
    let report = html_report(&fx);
    assert!(report.contains("the body"), "the body is there");
    assert!(!report.contains("&lt;div"), "its tags were stripped, not kept as text");
}

/// The guard does not refuse what documents really hold: a nested list, quotes, a table in a
/// sloppy e-mail whose paragraphs and cells are never closed.
#[test]
fn m1_ordinary_nesting_is_still_rendered() {
    let html = to_safe_html("1. one\n   1. one point one\n\n> quoted\n>> twice\n\n<div><b>bold</b></div>");
    assert!(html.contains("<ol>\n<li>one\n<ol>") && html.contains("<blockquote>") && html.contains("<b>bold</b>"));
    let cells = "<tr><td><font face=Arial>cell<td><p>text".repeat(200);
    let mail = format!("<html><body><table>{cells}</table><p>end<p>of<p>mail</body></html>");
    // html2text draws the table's rules; the tag-stripping fallback would not.
    let text = html_to_text(&mail);
    assert!(text.contains("cell") && text.contains('─'), "converted by html2text: {text:.300}");
}

/// Guards the rest of M1 (rendering under the store lock): a report is read and rendered through a
/// read-only twin of the store, which works while the store itself holds the database for writing,
/// and refuses to write.
#[test]
fn m1_a_report_renders_through_a_twin_while_the_store_writes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = dossier_core::Store::open(&dir.path().join("t.sqlite")).expect("open");
    dossier_core::demo::load(&mut store).expect("demo");
    let twin = store.read_only_twin().expect("twin");
    let options = dossier_core::transfer::export::ReportOptions::default();
    store
        .batch(|s| {
            dossier_core::record::case::create(
                s,
                &dossier_core::record::case::CaseInput { title: "Written meanwhile".into(), ..Default::default() },
            )?;
            let html = dossier_core::transfer::export_bytes(&twin, "twitter-v-microsoft", "html", "en", &options)?;
            assert!(String::from_utf8_lossy(&html).contains("Microsoft"), "the report is whole");
            Ok(())
        })
        .expect("the write and the report, side by side");
    assert!(twin.is_read_only());
}

/// Guards the rest of M1 for imports: an HTML-only e-mail is imported through a writable twin of the
/// store on another thread, while the store itself answers reads; what the twin wrote is the record's
/// own (the store sees it, sealed and anchored: `check` is clean).
#[test]
fn m1_an_import_through_a_writable_twin_leaves_the_store_free() {
    let fx = with_case("");
    let mut twin = fx.store.writable_twin().expect("twin");
    let mail = format!(
        "Message-ID: <div@x>\nDate: Thu, 20 Apr 2023 09:15:00 +0200\nFrom: a@evil.example\nSubject: divs\n\
         Content-Type: text/html\n\n{}the body\n",
        "<div></x>".repeat(100_000)
    );
    std::thread::scope(|s| {
        let importer = s.spawn(move || import::eml(&mut twin, "innocent", mail.as_bytes(), "divs.eml"));
        let cases = case::list(fx.store.reader()).expect("the store answers meanwhile");
        assert_eq!(cases.len(), 1);
        importer.join().expect("import thread").expect("import");
    });
    assert_eq!(count(&fx.store, "SELECT count(*) FROM letter"), 1, "the store sees the import");
    let report = dossier_core::care::check::check(&fx.store, None).expect("check");
    assert!(report.is_sound(), "{:?}", report.problems);
}
