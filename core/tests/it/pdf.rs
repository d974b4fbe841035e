//! The PDF export read back as a reader's tools read it: poppler's `pdftotext`, `pdfinfo` and
//! `pdffonts` (installed by the set-up) give its text page by page, its page count and its fonts.

use std::path::{Path, PathBuf};

use crate::common::*;
use dossier_core::date::Lang;
use dossier_core::demo;
use dossier_core::record::case;
use dossier_core::transfer::export::{self, ReportOptions};
use dossier_core::view::timeline::{self, Filter};

fn write_pdf(fx: &Fixture, case: &str, lang: Lang, options: &ReportOptions) -> PathBuf {
    let bytes = export::pdf(fx.store.reader(), case, lang, "2026-11-29", options).expect("pdf");
    assert!(bytes.starts_with(b"%PDF-"));
    let path = fx.dir.path().join(format!("{case}-{}.pdf", lang.as_str()));
    std::fs::write(&path, bytes).unwrap();
    path
}

fn text(path: &Path, page: Option<usize>) -> String {
    let p = path.to_str().unwrap();
    match page {
        Some(n) => tool("pdftotext", &["-f", &n.to_string(), "-l", &n.to_string(), p, "-"]),
        None => tool("pdftotext", &[p, "-"]),
    }
}

fn pages(path: &Path) -> usize {
    tool("pdfinfo", &[path.to_str().unwrap()])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
        .expect("a page count")
}

/// pdftotext breaks lines where the page does; compare text with the line breaks as spaces.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn both_demo_cases_read_back_in_order_with_page_furniture() {
    let mut fx = fresh();
    demo::load(&mut fx.store).unwrap();
    for case in ["twitter-v-microsoft", "getty-v-stability-ai"] {
        let path = write_pdf(&fx, case, Lang::En, &ReportOptions::default());
        // The chronology as laid out on the page: each entry's row starts with the first words of
        // its title in the "What" column, and the rows come in the chronology's order.
        let layout = tool("pdftotext", &["-layout", path.to_str().unwrap(), "-"]);
        let lines: Vec<String> = layout.lines().map(flat).collect();
        let start = lines.iter().position(|l| l == "Chronology").expect("the chronology's heading");
        let end = start + lines[start..].iter().position(|l| l == "Agreements and clauses").expect("the next section");
        let mut previous = start;
        for e in timeline::all(fx.store.reader(), case, &Filter::default()).unwrap() {
            let first_words = e.title.split_whitespace().take(3).collect::<Vec<_>>().join(" ");
            let row = (previous..end)
                .find(|&i| lines[i].contains(&first_words))
                .unwrap_or_else(|| panic!("{case}: '{}' missing or out of order", e.title));
            previous = row;
        }
        let n = pages(&path);
        assert!(n >= 5, "{case}: a page per section at least, {n} pages");
        let title = case::get(fx.store.reader(), case).unwrap().title;
        let second = flat(&text(&path, Some(2)));
        assert!(second.contains(&flat(&title)), "{case}: running header on page 2: {second}");
        assert!(second.replace(' ', "").contains(&format!("2/{n}")), "{case}: page numbers: {second}");
        // The table of contents gives the page each section starts on.
        let toc = lines.iter().find(|l| l.starts_with("3. Chronology")).expect("the chronology in the contents");
        let page: usize = toc.rsplit(' ').next().and_then(|p| p.parse().ok()).expect("a page number");
        assert!(flat(&text(&path, Some(page))).contains("Chronology Dates are as precise"), "{toc}");
        let fonts = tool("pdffonts", &[path.to_str().unwrap()]);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(!rows.is_empty() && rows.iter().all(|r| r.contains(" yes ")), "every font embedded:\n{fonts}");
    }
}

#[test]
fn french_pdf_and_options_follow_the_report() {
    let mut fx = fresh();
    demo::load(&mut fx.store).unwrap();
    let options =
        ReportOptions { sections: vec!["chronology".into(), "evidence".into()], exhibits: true, ..Default::default() };
    let path = write_pdf(&fx, "twitter-v-microsoft", Lang::Fr, &options);
    let all = flat(&text(&path, None));
    assert!(all.contains("Chronologie") && all.contains("Index des pièces"), "French headings");
    assert!(all.contains("Pièce 1"), "exhibit numbering");
    assert!(!all.contains("Allégations"), "only the sections asked for");
    assert!(all.contains("vers avril 2023"), "dates in French words");
}

#[test]
fn hostile_text_is_printed_not_run() {
    let mut fx = fresh();
    let payload = "<script>document.title='x'</script><img src=http://127.0.0.1:9/x.png>";
    hostile_case(&mut fx.store, payload);
    let path = write_pdf(&fx, "hostile", Lang::En, &ReportOptions::default());
    let all = flat(&text(&path, None));
    assert!(all.contains("Event <script>document.title='x'</script>"), "the title reads as typed: {all}");
}
