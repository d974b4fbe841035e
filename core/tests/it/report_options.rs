//! Report options at the public boundary: sections, a chronology filter and exhibit numbering. What a
//! report shows is decided once, in the report value (`export::report`), so the rules are checked on
//! it; each format then gets one check that it renders what the value says.

use std::process::Command;

use crate::common::*;
use dossier_core::date::Lang;
use dossier_core::record::evidence::{self, EvidenceInput, LinkInput};
use dossier_core::transfer::export::report::{self, Block, Inline, Report, Table};
use dossier_core::transfer::export::{self, ReportOptions};
use dossier_core::view::timeline;
use dossier_core::vocabulary::{ReportSection, Vocabulary};
use dossier_core::{demo, Error};

const DEMO: &str = "twitter-v-microsoft";

fn demo_store() -> Fixture {
    let mut fx = fresh();
    demo::load(&mut fx.store).expect("demo");
    fx
}

fn report(fx: &Fixture, lang: Lang, options: &ReportOptions) -> Report {
    report::read(fx.store.reader(), DEMO, lang, options).expect("report")
}

/// The table of a section, which every format shows: the chronology, the evidence index.
fn table(r: &Report, id: ReportSection) -> &Table {
    let section = r.sections.iter().find(|s| s.id == id).unwrap_or_else(|| panic!("no section {id:?}"));
    section
        .blocks
        .iter()
        .find_map(|b| if let Block::Table(t) = b { Some(t) } else { None })
        .unwrap_or_else(|| panic!("no table in {id:?}"))
}

/// A row's cells as words, without markup.
fn cells(t: &Table, row: usize) -> Vec<String> {
    t.rows[row].cells.iter().map(|c| c.blocks.iter().map(words).collect()).collect()
}

fn words(block: &Block) -> String {
    match block {
        Block::Para(inlines) | Block::Aside(inlines) => inline_words(inlines),
        Block::Markdown(text, _) => text.clone(),
        Block::List(items) => items.iter().map(|i| inline_words(i)).collect::<Vec<_>>().join("; "),
        _ => String::new(),
    }
}

fn inline_words(inlines: &[Inline]) -> String {
    inlines
        .iter()
        .map(|i| match i {
            Inline::Text(t) | Inline::Fixed(t) | Inline::Strong(t) | Inline::Kind(t) | Inline::Code(t) => t.clone(),
            Inline::Date { recorded, .. } => recorded.clone(),
            Inline::Sources(cites) => report::cites_text(cites),
            Inline::CrossRef { text, .. } | Inline::Web(text) => text.clone(),
            Inline::Quote { exact, .. } => exact.clone(),
        })
        .collect()
}

/// Each chronology row's "what", in order.
fn chronology(r: &Report) -> Vec<String> {
    let t = table(r, ReportSection::Chronology);
    (0..t.rows.len()).map(|i| cells(t, i)[1].clone()).collect()
}

fn docx_text(fx: &Fixture, options: &ReportOptions) -> String {
    let path = fx.dir.path().join("report.docx");
    std::fs::write(&path, export::docx(fx.store.reader(), DEMO, Lang::En, "2026-11-29", options).unwrap()).unwrap();
    let out =
        Command::new("pandoc").args(["-f", "docx", "-t", "plain", "--wrap=none"]).arg(&path).output().expect("pandoc");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn only_the_sections_asked_for_are_shown() {
    let fx = demo_store();
    let options = ReportOptions { sections: vec!["evidence,chronology".into()], ..Default::default() };
    let r = report(&fx, Lang::En, &options);
    let ids: Vec<ReportSection> = r.sections.iter().map(|s| s.id).collect();
    assert_eq!(ids, [ReportSection::Chronology, ReportSection::Evidence], "in the report's order");
    let all = report(&fx, Lang::En, &ReportOptions::default());
    assert_eq!(all.sections.len(), ReportSection::ALL.len(), "no option: every section");

    // Each format renders the sections of the value, and only those.
    let html = export::html(fx.store.reader(), DEMO, Lang::En, "2026-11-29", &options).unwrap();
    assert!(html.contains("<section id=\"chronology\">") && html.contains("href=\"#evidence\""));
    assert!(!html.contains("<section id=\"summary\">") && !html.contains("href=\"#allegations\""));
    let md = export::markdown(fx.store.reader(), DEMO, Lang::En, &options).unwrap();
    assert!(md.contains("## Chronology") && !md.contains("## Allegations"));
    let text = docx_text(&fx, &options);
    assert!(text.contains("Evidence index") && !text.contains("Cast of characters"));

    let e = report::read(
        fx.store.reader(),
        DEMO,
        Lang::En,
        &ReportOptions { sections: vec!["chronologie".into()], ..Default::default() },
    )
    .unwrap_err();
    assert!(matches!(&e, Error::Invalid { field, .. } if field == "sections"), "{e:?}");
    assert!(e.to_string().contains("'chronologie' is not one of"), "{e}");
}

#[test]
fn the_chronology_keeps_the_kinds_and_the_window_asked_for() {
    let fx = demo_store();
    let whole = chronology(&report(&fx, Lang::En, &ReportOptions::default()));
    let entries = timeline::all(fx.store.reader(), DEMO, &Default::default()).unwrap();
    assert_eq!(whole.len(), entries.len(), "one row per timeline entry");
    for (row, entry) in whole.iter().zip(&entries) {
        assert!(row.contains(&entry.title), "{row:?} out of order, {:?} expected", entry.title);
    }

    let letters = ReportOptions { kinds: vec!["letter".into()], ..Default::default() };
    let rows = chronology(&report(&fx, Lang::En, &letters));
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[0].contains("Twitter's letter to Microsoft on its use of Twitter data"), "{rows:?}");

    let window = ReportOptions { from: "2023-03".into(), to: "2023-03".into(), ..Default::default() };
    let rows = chronology(&report(&fx, Lang::En, &window));
    assert!(rows.iter().any(|r| r.contains("Twitter announces paid API prices")), "March 2023 is in");
    assert!(!rows.iter().any(|r| r.contains("Twitter ends its free API")), "February 2023 is out");

    let tagged = ReportOptions { tag: "ai training".into(), ..Default::default() };
    let rows = chronology(&report(&fx, Lang::En, &tagged));
    assert!(!rows.is_empty() && rows.iter().all(|r| !r.contains("paid API prices")), "{rows:?}");

    let only_letters = ReportOptions { sections: vec!["chronology".into()], ..letters };
    let md = export::markdown(fx.store.reader(), DEMO, Lang::En, &only_letters).unwrap();
    assert!(!md.contains("Twitter ends its free API"), "the Markdown renders the narrowed chronology");

    let e =
        report::read(fx.store.reader(), DEMO, Lang::En, &ReportOptions { from: "March".into(), ..Default::default() })
            .unwrap_err();
    assert!(e.to_string().contains("March"), "{e}");
}

#[test]
fn an_exhibit_list_numbers_evidence_in_date_order_and_cites_it_so() {
    let mut fx = demo_store();
    let free_api = timeline::all(fx.store.reader(), DEMO, &Default::default()).unwrap()[0].record_id.clone();
    // Two more pieces whose titles sort the other way round from their dates.
    for (title, date) in [("A late statement", "2023-05-02"), ("Z early notice", "2022-12-01")] {
        let e = evidence::create(
            &mut fx.store,
            &EvidenceInput {
                case: DEMO.into(),
                kind: "url".into(),
                title: title.into(),
                url: "https://example.org/a".into(),
                date: date.into(),
                ..Default::default()
            },
        )
        .unwrap();
        if title.starts_with('Z') {
            let link =
                LinkInput { evidence: e.id, record: free_api.clone(), pinpoint: "p. 1".into(), ..Default::default() };
            evidence::link(&mut fx.store, &link).unwrap();
        }
    }

    let options = ReportOptions { exhibits: true, ..Default::default() };
    let r = report(&fx, Lang::En, &options);
    let index = table(&r, ReportSection::Evidence);
    let numbered: Vec<(String, String)> =
        (0..index.rows.len()).map(|i| cells(index, i)).map(|c| (c[0].clone(), c[1].clone())).collect();
    assert_eq!(numbered.len(), 3, "{numbered:?}");
    assert_eq!(numbered[0].0, "Exhibit 1");
    assert!(numbered[0].1.starts_with("Z early notice"), "{numbered:?}");
    // The article has no date of its own: it takes the date of the first entry it supports (Feb 2023).
    assert!(numbered[1].1.starts_with("Seed article"), "{numbered:?}");
    assert!(numbered[2].1.starts_with("A late statement"), "{numbered:?}");
    assert_eq!(index.rows[0].id.as_deref(), Some("evidence-1"), "citations have a row to link to");
    let chronology = table(&r, ReportSection::Chronology);
    let row = (0..chronology.rows.len()).map(|i| cells(chronology, i)).find(|c| c[1].contains("free API")).unwrap();
    assert_eq!(row[4], "Exhibit 1 (p. 1), Exhibit 2 (¶ 5)", "the chronology cites exhibits by number");

    // Narrowed to March, the list is still numbered over the whole chronology: the article, dated by
    // a February entry, stays Exhibit 2.
    let march = ReportOptions { from: "2023-03".into(), to: "2023-03".into(), ..options.clone() };
    let second = cells(table(&report(&fx, Lang::En, &march), ReportSection::Evidence), 1);
    assert!(second[0] == "Exhibit 2" && second[1].starts_with("Seed article"), "{second:?}");

    let fr = report(&fx, Lang::Fr, &options);
    assert_eq!(cells(table(&fr, ReportSection::Evidence), 0)[0], "Pièce 1");
    // Without the option, the index keeps its order by title and its E-numbers.
    let plain = report(&fx, Lang::En, &ReportOptions::default());
    let first = cells(table(&plain, ReportSection::Evidence), 0);
    assert_eq!(first[0], "E1");
    assert!(first[1].starts_with("A late statement"), "{first:?}");

    // Each format renders the numbers of the value.
    let md = export::markdown(fx.store.reader(), DEMO, Lang::En, &options).unwrap();
    assert!(md.contains("### Exhibit 1. Z early notice") && md.contains("Exhibit 1 (p. 1), Exhibit 2 (¶ 5)"));
    let html = export::html(fx.store.reader(), DEMO, Lang::En, "2026-11-29", &options).unwrap();
    assert!(html.contains("<a href=\"#evidence-1\">Exhibit 1</a> (p. 1)"));
    assert!(docx_text(&fx, &options).contains("Exhibit 3"));
}
