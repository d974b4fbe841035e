//! The bodies of the fuzz targets (`fuzz/`, cargo-fuzz on nightly), one per door hostile input comes
//! through: the date parser, Markdown to HTML, the search query builder, and the JSON bundle, CSV and
//! e-mail importers. Each takes arbitrary bytes, must not panic, and checks what must hold of any
//! answer (a date's text reads back as the same date, rendered HTML carries no script and took time
//! linear in the text, a query never raises a syntax error, an import either writes a sound record or
//! nothing). The stable test
//! `core/tests/fuzz_corpus.rs` replays the committed corpus through the same functions in CI.

use std::time::{Duration, Instant};

use crate::date::FuzzyDate;
use crate::record::case::{self, CaseInput};
use crate::store::Store;
use crate::transfer::{bundle, import};

/// The date parser: any text is a date or a clear error; a date's canonical text reads back the same,
/// and so do its words in either language, but where words do not say it all (fractions of a second,
/// a range from a point to itself).
pub fn date(data: &[u8]) {
    use crate::date::{Lang, Point};
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(d) = FuzzyDate::parse(text) {
        let again = FuzzyDate::parse(&d.canonical()).expect("a date's canonical text parses");
        assert_eq!(again.canonical(), d.canonical(), "{text:?}");
        if let (Some(lo), Some(hi)) = (d.lower(), d.upper()) {
            assert!(lo < hi, "{text:?}: empty bounds");
        }
        let fraction = |p: &Point| matches!(p, Point::Instant(m) if m.timestamp_subsec_nanos() != 0);
        let said_whole = match &d {
            FuzzyDate::Between(first, last) => first != last && !fraction(first) && !fraction(last),
            FuzzyDate::Exact(p) | FuzzyDate::About(p) | FuzzyDate::Before(p) | FuzzyDate::After(p) => !fraction(p),
        };
        for lang in [Lang::En, Lang::Fr] {
            let words = d.display(lang);
            if said_whole {
                let back = FuzzyDate::parse_in(&words, lang);
                assert_eq!(back.as_ref().map(FuzzyDate::canonical), Ok(d.canonical()), "{text:?} as {words:?}");
            }
        }
    }
}

/// Markdown to HTML: whatever the text, the HTML carries no script, event handler or link outside the
/// web, mail and same-page places. The text itself may say `javascript:`; only the tags are checked.
/// And the depth guard alone, without the time budget that would hide a bypass, keeps rendering the
/// text as Markdown and converting it as HTML within a time linear in its length.
pub fn markdown(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let started = Instant::now();
    let _ = crate::markdown::render(&text);
    let _ = crate::markdown::text(&text);
    let took = started.elapsed();
    assert!(
        took < linear_time(data.len()),
        "{took:?} for {} bytes: {:?}",
        data.len(),
        text.get(..200).unwrap_or(&text)
    );
    let html = crate::markdown::to_safe_html(&text);
    for tag in tags(&html) {
        let (name, attributes) = tag;
        assert!(
            !["script", "iframe", "object", "embed", "img", "style", "svg"].contains(&name.as_str()),
            "<{name}> in {html:?}"
        );
        for (attribute, value) in attributes {
            assert!(!attribute.starts_with("on"), "{attribute} in {html:?}");
            if attribute == "href" || attribute == "src" {
                let value = value.trim().to_ascii_lowercase();
                let allowed = ["http:", "https:", "mailto:", "#"].iter().any(|p| value.starts_with(p));
                assert!(allowed, "{attribute}={value:?} in {html:?}");
            }
        }
    }
}

/// A generous bound on work linear in `bytes`, even in a debug build on a loaded machine: the review's
/// inputs that bypassed the guard took seconds at 58 KiB, minutes at 234 KiB.
fn linear_time(bytes: usize) -> Duration {
    Duration::from_secs(2) + Duration::from_micros(20) * u32::try_from(bytes).unwrap_or(u32::MAX)
}

/// The tags of serialized HTML, each as its lower-case name and its attributes (name, value). Text is
/// escaped in serialized HTML, so every `<` opens a tag; a quoted value may hold `>`.
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let inside = &rest[start + 1..];
        let mut quote = None;
        let end = inside
            .char_indices()
            .find(|&(_, c)| match quote {
                Some(q) if c == q => {
                    quote = None;
                    false
                }
                Some(_) => false,
                None if c == '"' || c == '\'' => {
                    quote = Some(c);
                    false
                }
                None => c == '>',
            })
            .map_or(inside.len(), |(i, _)| i);
        found.push(tag(&inside[..end]));
        rest = &inside[end.min(inside.len())..];
    }
    found
}

/// One tag's name and attributes, from the text between `<` and `>`.
fn tag(body: &str) -> (String, Vec<(String, String)>) {
    let body = body.trim_start_matches('/');
    let name_end = body.find(|c: char| c.is_whitespace() || c == '/').unwrap_or(body.len());
    let name = body[..name_end].to_ascii_lowercase();
    let mut attributes = Vec::new();
    let mut rest = body[name_end..].trim_start_matches(|c: char| c.is_whitespace() || c == '/');
    while !rest.is_empty() {
        let name_end = rest.find(|c: char| c.is_whitespace() || c == '=' || c == '/').unwrap_or(rest.len());
        let attribute = rest[..name_end].to_ascii_lowercase();
        rest = &rest[name_end..];
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'');
            let (v, tail) = match quote {
                Some(q) => after[1..].split_once(q).unwrap_or((&after[1..], "")),
                None => after.split_once(char::is_whitespace).unwrap_or((after, "")),
            };
            value = v.replace("&amp;", "&").replace("&quot;", "\"");
            rest = tail;
        }
        attributes.push((attribute, value));
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
    }
    (name, attributes)
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
            assert_eq!(e.code(), crate::error::ErrorCode::InvalidInput, "{text:?}: {e}");
        }
    });
}

/// After an import: the record checks sound, whatever was or was not written.
fn sound(s: &Store) {
    let report = crate::care::check::check(s, None).expect("check runs");
    assert!(report.is_sound(), "{:?}", report.problems);
}

/// The JSON bundle importer: a bundle imports whole (and exports again) or not at all.
pub fn bundle(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (_dir, mut s) = store();
    if let Ok(report) = bundle::import_json(&mut s, text, None, bundle::Mode::Merge) {
        bundle::export_json(s.reader(), &report.case_slug, bundle::Contents::ALL).expect("an imported case exports");
    }
    sound(&s);
}

/// The CSV chronology importer.
pub fn csv(data: &[u8]) {
    let (_dir, mut s) = store();
    let _ = import::csv_chronology(&mut s, "c", data);
    sound(&s);
}

/// The e-mail importer, within a time linear in the message's length beyond the render budget its
/// HTML body may spend.
pub fn eml(data: &[u8]) {
    let (_dir, mut s) = store();
    let started = Instant::now();
    let _ = import::eml(&mut s, "c", data, "fuzz.eml");
    let took = started.elapsed();
    assert!(took < crate::markdown::RENDER_BUDGET + linear_time(data.len()), "{took:?} for {} bytes", data.len());
    sound(&s);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Markdown target's oracle finds what it looks for, and only in tags.
    #[test]
    fn the_tag_reader_sees_handlers_and_links_but_not_text() {
        let html = r#"<p title="a > b" onclick='x()'>javascript: in text</p><a href="javascript:alert(1)">x</a><img src=//host/x>"#;
        let found = tags(html);
        let names: Vec<_> = found.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["p", "p", "a", "a", "img"]);
        assert_eq!(
            found[0].1,
            [("title".to_string(), "a > b".to_string()), ("onclick".to_string(), "x()".to_string())]
        );
        assert_eq!(found[2].1, [("href".to_string(), "javascript:alert(1)".to_string())]);
        assert_eq!(found[4].1, [("src".to_string(), "//host/x".to_string())]);
    }
}
