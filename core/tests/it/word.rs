//! The Word export read back as a reader's tools read it: pandoc (installed by the set-up) turns the
//! `.docx` into text and into its document model, and `unzip` shows the parts Word reads for styles,
//! header rows and the title.

use std::path::Path;

use crate::common::*;
use dossier_core::date::Lang;
use dossier_core::demo;
use dossier_core::record::case;
use dossier_core::transfer::export;
use dossier_core::view::timeline::{self, Filter};

fn write_docx(fx: &Fixture, case: &str, lang: Lang) -> std::path::PathBuf {
    let bytes = export::docx(fx.store.reader(), case, lang, "2026-11-29", &Default::default()).expect("docx");
    let path = fx.dir.path().join(format!("{case}-{}.docx", lang.as_str()));
    std::fs::write(&path, bytes).unwrap();
    path
}

fn part(docx: &Path, name: &str) -> String {
    tool("unzip", &["-p", docx.to_str().unwrap(), name])
}

#[test]
fn both_demo_cases_read_back_with_the_chronology_in_order() {
    let mut fx = fresh();
    demo::load(&mut fx.store).unwrap();
    for case in ["twitter-v-microsoft", "getty-v-stability-ai"] {
        for lang in [Lang::En, Lang::Fr] {
            let path = write_docx(&fx, case, lang);
            let text = tool("pandoc", &["-f", "docx", "-t", "plain", "--wrap=none", path.to_str().unwrap()]);
            let title = case::get(fx.store.reader(), case).unwrap().title;
            assert!(text.contains(&title), "{case}: the title");
            let mut at = 0;
            for e in timeline::all(fx.store.reader(), case, &Filter::default()).unwrap() {
                let found = text[at..]
                    .find(&e.title)
                    .unwrap_or_else(|| panic!("{case}: '{}' missing or out of order", e.title));
                at += found;
            }
            let words =
                if lang == Lang::Fr { ["Chronologie", "Index des pièces"] } else { ["Chronology", "Evidence index"] };
            for w in words {
                assert!(text.contains(w), "{case} {lang:?}: section '{w}'");
            }
        }
    }
}

#[test]
fn the_document_uses_real_styles_repeated_header_rows_and_a_title() {
    let mut fx = fresh();
    demo::load(&mut fx.store).unwrap();
    let path = write_docx(&fx, "twitter-v-microsoft", Lang::En);
    // pandoc reads Word's heading styles as headings.
    let md = tool("pandoc", &["-f", "docx", "-t", "markdown", path.to_str().unwrap()]);
    let core = part(&path, "docProps/core.xml");
    assert!(core.contains("<dc:title>Twitter v. Microsoft"), "the title property: {core}");
    for heading in [
        "# Summary",
        "# Cast of characters",
        "# Chronology",
        "# Allegations",
        "# Evidence index",
        "## Response deadlines",
    ] {
        assert!(md.lines().any(|l| l.starts_with(heading)), "no heading '{heading}'");
    }
    let styles = part(&path, "word/styles.xml");
    for name in ["w:val=\"heading 1\"", "w:val=\"heading 2\"", "w:val=\"Title\"", "w:val=\"Dossier Table\""] {
        assert!(styles.contains(name), "style {name}");
    }
    let document = part(&path, "word/document.xml");
    let tables = document.matches("<w:tbl>").count();
    assert!(tables >= 5, "{tables} tables");
    assert_eq!(document.matches("<w:tblHeader/>").count(), tables, "each table's header row repeats");
    assert!(document.contains("w:anchor=\"evidence-1\""), "sources link to the evidence index");
    assert!(document.contains("TOC \\o"), "a table of contents field");
    assert!(part(&path, "word/footer1.xml").contains("PAGE"), "page numbers in the footer");
}

#[test]
fn hostile_text_is_text_in_word() {
    let mut fx = fresh();
    let payload = "<script>alert(1)</script> ]]> <w:p> &";
    hostile_case(&mut fx.store, payload);
    let path = write_docx(&fx, "hostile", Lang::En);
    let text = tool("pandoc", &["-f", "docx", "-t", "plain", "--wrap=none", path.to_str().unwrap()]);
    assert!(text.contains("Event <script>alert(1)</script> ]]> <w:p> &"), "the title reads as typed:\n{text}");
    let document = part(&path, "word/document.xml");
    assert!(!document.contains("<script>") && document.contains("&lt;script&gt;"), "escaped in the XML");
}

/// Guards: the Word document says what the HTML report says (they are one report value): an
/// agreement's and an allegation's sources, the agreement an allegation invokes, who said a
/// response, a letter's date in words and the arrow of a reply.
#[test]
fn word_gives_what_the_html_report_gives() {
    let mut fx = fresh();
    demo::load(&mut fx.store).unwrap();
    let path = write_docx(&fx, "twitter-v-microsoft", Lang::En);
    let text = tool("pandoc", &["-f", "docx", "-t", "plain", "--wrap=none", path.to_str().unwrap()]);
    let between = |from: &str, to: &str| {
        // The last mention: the table of contents names a heading first.
        let at = text.rfind(from).unwrap_or_else(|| panic!("no '{from}' in\n{text}"));
        &text[at..at + text[at..].find(to).unwrap_or_else(|| panic!("no '{to}' after '{from}'"))]
    };
    let agreement = between("Twitter API agreement with Microsoft\n\nKind:", "Terms");
    assert!(agreement.contains("Sources: E1 (¶ 2–3)"), "an agreement's sources: {agreement}");
    let a2 = between("A2. Microsoft used more Twitter data", "A3. ");
    assert!(a2.contains("Agreement: Twitter API agreement with Microsoft"), "the agreement invoked: {a2}");
    assert!(a2.contains("Sources: E1 (¶ 2)"), "an allegation's sources: {a2}");
    assert!(a2.contains("reported by Reuters"), "who said the response: {a2}");
    let letter = between("↳ about April 2023 — Microsoft's statement to Reuters", "In reply to");
    assert!(letter.contains("Date: about April 2023"), "a letter's date in words: {letter}");
}
