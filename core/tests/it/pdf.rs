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
        assert!(!flat(&text(&path, None)).contains("**"), "{case}: Markdown read, not shown");
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
    // A narrow column may end a line after "</", which pdftotext reads as a space.
    let all: String = text(&path, None).split_whitespace().collect();
    assert!(all.contains("Event<script>document.title='x'</script>"), "the title reads as typed: {all}");
}

/// The PDF's bookmarks as qpdf reads them: each top-level title with the page it opens (from 1).
fn bookmarks(path: &Path) -> Vec<(String, usize)> {
    let json = tool("qpdf", &["--json=2", "--json-key=outlines", "--json-key=pages", path.to_str().unwrap()]);
    let doc: serde_json::Value = serde_json::from_str(&json).expect("qpdf's JSON");
    let pages: Vec<&str> = doc["pages"].as_array().unwrap().iter().map(|p| p["object"].as_str().unwrap()).collect();
    doc["outlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let page = o["destpageposfrom1"].as_u64().map(|p| p as usize).unwrap_or_else(|| {
                let target = o["dest"][0].as_str().unwrap_or_default();
                pages.iter().position(|p| *p == target).map_or(0, |i| i + 1)
            });
            (o["title"].as_str().unwrap().to_string(), page)
        })
        .collect()
}

#[test]
fn a_generated_case_of_2000_items_reads_back_with_its_bookmarks() {
    let mut fx = fresh();
    dossier_core::generate::generate(&mut fx.store, "big", 2000, 1).unwrap();
    let path = write_pdf(&fx, "big", Lang::En, &ReportOptions::default());
    let n = pages(&path);
    assert!(n > 100, "a long report: {n} pages");
    // A bookmark per section, each opening the page whose text starts with that section's title.
    let marks = bookmarks(&path);
    let titles: Vec<&str> = marks.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Summary",
            "Cast of characters",
            "Chronology",
            "Agreements and clauses",
            "Allegations",
            "Correspondence",
            "Evidence index"
        ]
    );
    for (title, page) in &marks {
        assert!((1..=n).contains(page), "{title}: page {page} of {n}");
        let body = flat(&text(&path, Some(*page)));
        assert!(body.contains(title.as_str()), "{title} opens page {page}: {}", &body[..body.len().min(300)]);
    }
    // The chronology's first and last entries, in order, on the pages between its bookmark and the next.
    let entries = timeline::all(fx.store.reader(), "big", &Filter::default()).unwrap();
    let (from, to) = (marks[2].1, marks[3].1);
    let chronology: String = (from..=to).map(|p| text(&path, Some(p))).collect::<Vec<_>>().join(" ");
    let joined: String = chronology.split_whitespace().collect();
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    let first = joined.find(&squeeze(&entries[0].title)).expect("the first entry");
    let last = joined.rfind(&squeeze(&entries[entries.len() - 1].title)).expect("the last entry");
    assert!(first < last, "entries in order");
}

#[test]
fn a_stopped_pdf_stops_early_and_returns_nothing() {
    let mut fx = fresh();
    dossier_core::generate::generate(&mut fx.store, "big", 300, 1).unwrap();
    let calls = std::cell::Cell::new(0u64);
    let seen = std::cell::Cell::new((0u64, 0u64));
    let stop_half_way = |done: u64, total: u64| {
        calls.set(calls.get() + 1);
        seen.set((done, total));
        done < total / 2
    };
    let result = export::pdf_watched(
        fx.store.reader(),
        "big",
        Lang::En,
        "2026-11-29",
        &ReportOptions::default(),
        &stop_half_way,
    );
    assert!(matches!(result, Err(dossier_core::error::Error::Cancelled)), "stopped: {:?}", result.map(|b| b.len()));
    let (done, total) = seen.get();
    assert!(calls.get() > 1 && done >= total / 2 && done < total, "told as it went: {done} of {total}");
}

/// The words of page `page` as poppler places them: (text, left, right, top), in the order it reads
/// them off the page (left to right on each line, right-to-left words spelt backwards).
fn words(path: &Path, page: usize) -> Vec<(String, f64, f64, f64)> {
    let n = page.to_string();
    let html = tool("pdftotext", &["-bbox", "-f", &n, "-l", &n, path.to_str().unwrap(), "-"]);
    let attr = |line: &str, name: &str| -> f64 {
        let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        line[start..].split('"').next().unwrap().parse().unwrap()
    };
    html.lines()
        .filter(|l| l.trim_start().starts_with("<word"))
        .map(|l| {
            let text = l.split('>').nth(1).unwrap().split('<').next().unwrap().to_string();
            (text, attr(l, "xMin"), attr(l, "xMax"), attr(l, "yMin"))
        })
        .collect()
}

#[test]
fn right_to_left_text_reads_from_the_right() {
    use dossier_core::record::case::{self, CaseInput};
    use dossier_core::record::event::{self, EventInput};
    let mut fx = fresh();
    case::create(&mut fx.store, &CaseInput { title: "Rights".into(), slug: "rtl".into(), ..Default::default() })
        .unwrap();
    for (date, title) in [("2023-04", "الشركة ترفع دعوى ضد Microsoft"), ("2023-05", "החברה הגישה תביעה נגד Twitter")]
    {
        let input = EventInput { case: "rtl".into(), title: title.into(), date: date.into(), ..Default::default() };
        event::create(&mut fx.store, &input).unwrap();
    }
    let path = write_pdf(&fx, "rtl", Lang::En, &ReportOptions::default());
    let page = (1..=pages(&path)).find(|&p| text(&path, Some(p)).contains("Dates are as precise")).unwrap();
    let words = words(&path, page);
    let backwards = |s: &str| s.chars().rev().collect::<String>();
    for (first, latin) in [("الشركة", "Microsoft"), ("החברה", "Twitter")] {
        // Read right to left, the title's first word stands rightmost on its line, the Latin name at
        // its left end; the line is set flush right against the other lines of its cell.
        let first =
            words.iter().find(|w| w.0 == backwards(first)).unwrap_or_else(|| panic!("{first} not on page {page}"));
        let latin = words.iter().find(|w| w.0 == latin).unwrap();
        assert!((first.3 - latin.3).abs() < 1.0, "one line");
        let line: Vec<_> = words.iter().filter(|w| (w.3 - first.3).abs() < 1.0).collect();
        let right = line.iter().map(|w| w.2).fold(f64::MIN, f64::max);
        assert_eq!(first.2, right, "the first word is rightmost: {line:?}");
        assert!(latin.1 < first.1, "the Latin name is read last, at the left: {line:?}");
    }
}

#[test]
fn chinese_japanese_and_korean_are_set_in_a_face_that_has_them() {
    use dossier_core::record::case::{self, CaseInput};
    use dossier_core::record::event::{self, EventInput};
    let mut fx = fresh();
    case::create(&mut fx.store, &CaseInput { title: "株式会社 訴訟".into(), slug: "cjk".into(), ..Default::default() })
        .unwrap();
    let titles = ["株式会社が訴訟を提起した", "商标侵权诉讼", "소송을 제기했다"];
    for (i, title) in titles.iter().enumerate() {
        let date = format!("2023-0{}", i + 1);
        let input = EventInput { case: "cjk".into(), title: title.to_string(), date, ..Default::default() };
        event::create(&mut fx.store, &input).unwrap();
    }
    let path = write_pdf(&fx, "cjk", Lang::En, &ReportOptions::default());
    // DejaVu has none of these letters: a face of the system's that has them is embedded beside it
    // (the set-up installs WenQuanYi Micro Hei), rather than empty boxes.
    let fonts = tool("pdffonts", &[path.to_str().unwrap()]);
    let others: Vec<&str> = fonts.lines().skip(2).filter(|l| !l.contains("DejaVu")).collect();
    assert!(!others.is_empty() && others.iter().all(|r| r.contains(" yes ")), "a CJK face, embedded:\n{fonts}");
    let all: String = text(&path, None).split_whitespace().collect();
    for title in titles {
        assert!(all.contains(&title.split_whitespace().collect::<String>()), "{title} reads back");
    }
}
