//! Report options at the public boundary: sections, a chronology filter and exhibit numbering, the
//! same in Markdown, HTML and Word.

use std::process::Command;

use crate::common::*;
use dossier_core::date::Lang;
use dossier_core::record::evidence::{self, EvidenceInput, LinkInput};
use dossier_core::transfer::export::{self, ReportOptions};
use dossier_core::{demo, Error};

const DEMO: &str = "twitter-v-microsoft";

fn demo_store() -> Fixture {
    let mut fx = fresh();
    demo::load(&mut fx.store).expect("demo");
    fx
}

fn html(fx: &Fixture, options: &ReportOptions) -> String {
    export::html(fx.store.reader(), DEMO, Lang::En, "2026-11-29", options).expect("html")
}

fn markdown(fx: &Fixture, options: &ReportOptions) -> String {
    export::markdown(fx.store.reader(), DEMO, Lang::En, options).expect("markdown")
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
    let options = ReportOptions { sections: vec!["chronology,evidence".into()], ..Default::default() };
    let html = html(&fx, &options);
    for shown in
        ["<section id=\"chronology\">", "<section id=\"evidence\">", "href=\"#chronology\"", "href=\"#evidence\""]
    {
        assert!(html.contains(shown), "{shown}");
    }
    for hidden in [
        "<section id=\"summary\">",
        "<section id=\"allegations\">",
        "href=\"#allegations\"",
        "<section id=\"correspondence\">",
    ] {
        assert!(!html.contains(hidden), "{hidden}");
    }
    let md = markdown(&fx, &options);
    assert!(md.contains("## Chronology") && md.contains("## Evidence index"));
    assert!(!md.contains("## Allegations") && !md.contains("## Summary"));
    let text = docx_text(&fx, &options);
    assert!(
        text.contains("Chronology") && !text.contains("Cast of characters") && !text.contains("Response deadlines")
    );

    let e = export::html(
        fx.store.reader(),
        DEMO,
        Lang::En,
        "x",
        &ReportOptions { sections: vec!["chronologie".into()], ..Default::default() },
    )
    .unwrap_err();
    assert!(matches!(&e, Error::Invalid { field, .. } if field == "sections"), "{e:?}");
    assert!(e.to_string().contains("'chronologie' is not one of"), "{e}");
}

#[test]
fn the_chronology_keeps_the_kinds_and_the_window_asked_for() {
    let fx = demo_store();
    let letters =
        ReportOptions { sections: vec!["chronology".into()], kinds: vec!["letter".into()], ..Default::default() };
    let md = markdown(&fx, &letters);
    assert!(md.contains("Twitter's letter to Microsoft on its use of Twitter data"));
    assert!(!md.contains("Twitter ends its free API"), "events are left out");

    let window = ReportOptions {
        sections: vec!["chronology".into()],
        from: "2023-03".into(),
        to: "2023-03".into(),
        ..Default::default()
    };
    let md = markdown(&fx, &window);
    assert!(md.contains("Twitter announces paid API prices"), "March 2023 is in");
    assert!(!md.contains("Twitter ends its free API and introduces"), "February 2023 is out");

    let e = export::markdown(
        fx.store.reader(),
        DEMO,
        Lang::En,
        &ReportOptions { from: "March".into(), ..Default::default() },
    )
    .unwrap_err();
    assert!(e.to_string().contains("March"), "{e}");
}

#[test]
fn an_exhibit_list_numbers_evidence_in_date_order_and_cites_it_so() {
    let mut fx = demo_store();
    let free_api =
        dossier_core::view::timeline::all(fx.store.reader(), DEMO, &Default::default()).unwrap()[0].record_id.clone();
    // Two more pieces whose titles sort the other way round from their dates.
    evidence::create(
        &mut fx.store,
        &EvidenceInput {
            case: DEMO.into(),
            kind: "url".into(),
            title: "A late statement".into(),
            url: "https://example.org/a".into(),
            date: "2023-05-02".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let early = evidence::create(
        &mut fx.store,
        &EvidenceInput {
            case: DEMO.into(),
            kind: "url".into(),
            title: "Z early notice".into(),
            url: "https://example.org/z".into(),
            date: "2022-12-01".into(),
            ..Default::default()
        },
    )
    .unwrap();
    evidence::link(
        &mut fx.store,
        &LinkInput { evidence: early.id.clone(), record: free_api, pinpoint: "p. 1".into(), ..Default::default() },
    )
    .unwrap();

    let options = ReportOptions { exhibits: true, ..Default::default() };
    let md = markdown(&fx, &options);
    let order: Vec<&str> = md.lines().filter(|l| l.starts_with("### Exhibit ")).collect();
    assert_eq!(order.len(), 3, "{order:?}");
    assert!(order[0].starts_with("### Exhibit 1. Z early notice"), "{order:?}");
    // The article has no date of its own: it takes the date of the first entry it supports (Feb 2023).
    assert!(order[1].starts_with("### Exhibit 2. Seed article"), "{order:?}");
    assert!(order[2].starts_with("### Exhibit 3. A late statement"), "{order:?}");
    let row = md.lines().find(|l| l.contains("Twitter ends its free API")).unwrap_or_default();
    assert!(row.contains("Exhibit 1 (p. 1), Exhibit 2 (¶ 5)"), "the chronology cites exhibits by number: {row}");
    assert!(!md.contains("### E1."));

    let html = html(&fx, &options);
    assert!(html.contains("<a href=\"#evidence-1\">Exhibit 1</a> (p. 1)"));
    let fr = export::markdown(fx.store.reader(), DEMO, Lang::Fr, &options).unwrap();
    assert!(fr.contains("### Pièce 1. Z early notice"));
    assert!(docx_text(&fx, &options).contains("Exhibit 3"));

    // Without the option, the index keeps its order by title and its E-numbers.
    let md = markdown(&fx, &ReportOptions::default());
    assert!(md.contains("### E1. A late statement"));
}
