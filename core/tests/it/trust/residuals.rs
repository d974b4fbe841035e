//! The residuals the second review found in old findings it otherwise called fixed (its "Old
//! findings" table, rows 1, 13 and 15): each test runs the residual's reproduction.

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use crate::common::*;
use dossier_core::markdown::{inert_links, to_safe_html};
use dossier_core::record::evidence::{self, FileInput};
use dossier_core::transfer::{self, import};

/// Old 1: a file picked by mistake for a CSV import (say, a file of keys) is refused without its
/// first line being quoted back: the message counts the columns and names the missing ones.
#[test]
fn old_1_a_csv_refusal_quotes_no_cell_of_the_first_line() {
    let mut fx = with_case("");
    let keys = b"AKIAIOSFODNN7EXAMPLE,wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nAKIA2,secret2\n";
    let err = refused(&mut fx.store, |s| import::csv_chronology(s, "innocent", keys));
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    says(
        &err,
        &["no 'date' column", "no 'title' column", "the first line has 2 columns, none of them one Dossier reads"],
    );
    let message = err.to_string();
    assert!(!message.contains("AKIA") && !message.contains("wJal"), "{message}");

    let half = b"date,password\n2023,hunter2\n";
    let err = refused(&mut fx.store, |s| import::csv_chronology(s, "innocent", half));
    says(&err, &["no 'title' column", "2 columns, 1 of them recognised (date)"]);
    assert!(!err.to_string().contains("password"), "{err}");
}

/// Old 13: the Markdown report keeps no image a viewer would fetch and no link it would resolve
/// against where the file is opened, as the HTML report; the words and the addresses stay as text,
/// and web links and footnotes stay links.
#[test]
fn old_13_the_markdown_export_fetches_and_resolves_nothing() {
    let summary = "Seen ![pixel](https://tracker.example/p.png) and [the share](//host/share) and \
                   [notes](../notes.html \"t\") and [ref link][r] and [![logo](https://t.example/l.png)](https://example.org/) \
                   and [web](https://example.org/a) and a note[^1].\n\n[r]: //host/ref\n\n[^1]: The note.";
    let mut fx = with_case(summary);
    org(&mut fx.store, "Acme");
    letter_with(
        &mut fx.store,
        dossier_core::record::letter::LetterInput {
            body: "Body ![](//tracker.example/q.gif) [x](file:///etc/passwd)".into(),
            ..letter_input("innocent", "Acme", &[], "Hello", "2023-03")
        },
    );
    let md =
        String::from_utf8(transfer::export_bytes(&fx.store, "innocent", "md", "en", &Default::default()).expect("md"))
            .expect("utf-8");
    // What a Markdown viewer makes of the report: no image, and no link but the absolute and the footnote.
    let html = to_safe_html(&md);
    let mut unsanitized = String::new();
    pulldown_cmark_html(&md, &mut unsanitized);
    assert!(!unsanitized.contains("<img"), "{md}");
    for href in ["href=\"//", "href=\"../", "href=\"file:"] {
        assert!(!unsanitized.contains(href), "{href} in:\n{md}");
    }
    assert!(unsanitized.contains("href=\"https://example.org/a\""), "web links stay: {md}");
    assert!(unsanitized.contains("href=\"https://example.org/\""), "a link around an image stays: {md}");
    assert!(html.contains("href=\"#"), "footnotes stay: {md}");
    for words in
        ["pixel", "image: https://tracker.example/p.png", "the share", "link: //host/share", "link: //host/ref", "logo"]
    {
        assert!(md.contains(words), "{words} kept as text in:\n{md}");
    }
    assert_eq!(inert_links("plain [web](https://e.org) text"), "plain [web](https://e.org) text");
    assert_eq!(inert_links("![](//t/q.gif)"), "\\(image: //t/q.gif\\)");
}

/// pulldown-cmark's own HTML, unsanitized: what a plain Markdown viewer would show.
fn pulldown_cmark_html(md: &str, out: &mut String) {
    let options = pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_FOOTNOTES;
    pulldown_cmark::html::push_html(out, pulldown_cmark::Parser::new_ext(md, options));
}

/// Old 15: a copy handed to another program is private to the user (its folders `0700`, the file
/// `0600`, in no shared folder) and does not stay for good: once old, the next sweep removes it,
/// and the folders earlier versions left in the temporary folder too.
#[test]
fn old_15_viewer_copies_are_private_and_swept_when_old() {
    let mut fx = with_case("");
    let input = FileInput { case: "innocent".into(), path: PathBuf::from("contract.pdf"), ..Default::default() };
    let pdf: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n";
    let id = evidence::add_stream(&mut fx.store, &input, pdf).expect("evidence").id;
    let copy = evidence::viewer_copy(&fx.store, &id).expect("a copy");
    let own = copy.parent().expect("the copy's folder").to_path_buf();
    let private = own.parent().expect("the private folder").to_path_buf();
    let mode = |p: &std::path::Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
    assert_eq!(mode(&copy), 0o600, "{}", copy.display());
    assert_eq!(mode(&own), 0o700);
    assert_eq!(mode(&private), 0o700);
    assert_ne!(private, std::env::temp_dir(), "not in the shared temporary folder itself");

    evidence::sweep_viewer_copies();
    assert!(copy.exists(), "a new copy stays while its program may need it");

    let legacy = tempfile::Builder::new().prefix("dossier-view-").tempdir().expect("an old version's folder").keep();
    let two_hours_ago = SystemTime::now() - Duration::from_secs(2 * 60 * 60);
    for dir in [&own, &legacy] {
        std::fs::File::open(dir).and_then(|f| f.set_modified(two_hours_ago)).expect("backdated");
    }
    evidence::sweep_viewer_copies();
    assert!(!own.exists(), "an old copy is removed");
    assert!(!legacy.exists(), "an old version's copy is removed");
    assert!(private.exists(), "the private folder stays");
}
