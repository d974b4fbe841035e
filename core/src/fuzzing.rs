//! The bodies of the fuzz targets (`fuzz/`, cargo-fuzz on nightly), one per door hostile input comes
//! through: the date parser, Markdown to HTML, the search query builder, and the JSON bundle, CSV and
//! e-mail importers. Each takes arbitrary bytes, must not panic, and checks what must hold of any
//! answer (a date's text reads back as the same date, rendered HTML carries no script, a query never
//! raises a syntax error, an import either writes a sound record or nothing). The stable test
//! `core/tests/fuzz_corpus.rs` replays the committed corpus through the same functions in CI.

use crate::date::FuzzyDate;
use crate::record::case::{self, CaseInput};
use crate::store::Store;
use crate::transfer::{bundle, import};

/// The date parser: any text is a date or a clear error; a date's canonical text reads back the same.
pub fn date(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(d) = FuzzyDate::parse(text) {
        let again = FuzzyDate::parse(&d.canonical()).expect("a date's canonical text parses");
        assert_eq!(again.canonical(), d.canonical(), "{text:?}");
        if let (Some(lo), Some(hi)) = (d.lower(), d.upper()) {
            assert!(lo < hi, "{text:?}: empty bounds");
        }
        let _ = (d.display(crate::date::Lang::En), d.display(crate::date::Lang::Fr));
    }
}

/// Markdown to HTML: whatever the text, the HTML carries no script, event handler or script link.
pub fn markdown(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let html = crate::markdown::to_safe_html(&text).to_ascii_lowercase();
    for forbidden in ["<script", "<iframe", "<object", "<embed", "javascript:", "<img", "<style"] {
        assert!(!html.contains(forbidden), "{forbidden} in {html:?}");
    }
    assert!(!html.split(['<', ' ', '\n', '\t', '/']).any(|w| w.starts_with("on") && w.contains('=')), "{html:?}");
    let _ = crate::markdown::html_to_text(&text);
}

/// An empty store in memory with one case, `c`.
fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut s = Store::open_in_memory(dir.path()).expect("store");
    case::create(&mut s, &CaseInput { title: "Fuzz".into(), slug: "c".into(), ..Default::default() }).expect("case");
    (dir, s)
}

thread_local! {
    static SEARCH: (tempfile::TempDir, Store) = store();
}

/// The search query builder: any text gives no query or one FTS5 runs without a syntax error.
pub fn query(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    SEARCH.with(|(_, s)| {
        if let Err(e) = crate::view::search::search(s.reader(), &text, None, 10) {
            assert_eq!(e.code(), "invalid_input", "{text:?}: {e}");
        }
    });
}

/// After an import: the record checks sound, whatever was or was not written.
fn sound(s: &Store) {
    let report = crate::store::check::check(s, None).expect("check runs");
    assert!(report.is_sound(), "{:?}", report.problems);
}

/// The JSON bundle importer: a bundle imports whole (and exports again) or not at all.
pub fn bundle(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (_dir, mut s) = store();
    if let Ok(report) = bundle::import_json(&mut s, text, None, bundle::Mode::Merge) {
        bundle::export_json(s.reader(), &report.case_slug).expect("an imported case exports");
    }
    sound(&s);
}

/// The CSV chronology importer.
pub fn csv(data: &[u8]) {
    let (_dir, mut s) = store();
    let _ = import::csv_chronology(&mut s, "c", data);
    sound(&s);
}

/// The e-mail importer.
pub fn eml(data: &[u8]) {
    let (_dir, mut s) = store();
    let _ = import::eml(&mut s, "c", data, "fuzz.eml");
    sound(&s);
}
