//! Golden reports: the Markdown, the HTML and the Word document (its `word/document.xml`) of both demo
//! cases in English and French, with each report option, and the published site's page, compared
//! byte for byte with the files in `core/tests/fixtures/reports/`. They pin what the reports say and how each format lays it out, so a
//! change in how a report is built can be shown to change nothing.
//!
//! After a change that is meant to alter a report, write the goldens again and read the diff:
//! `DOSSIER_BLESS=1 cargo test -p dossier-core --test it report_goldens`.

use std::io::Read as _;
use std::path::PathBuf;

use crate::common::*;
use dossier_core::date::Lang;
use dossier_core::demo;
use dossier_core::record::agreement::{self, AgreementInput, ClauseInput};
use dossier_core::record::allegation::AllegationInput;
use dossier_core::record::evidence::{self, EvidenceInput, LinkInput, QuoteInput};
use dossier_core::record::letter::LetterInput;
use dossier_core::record::response::{self, ResponseInput};
use dossier_core::transfer::export::{self, ReportOptions};
use dossier_core::view::timeline;

const TWITTER: &str = "twitter-v-microsoft";
const GETTY: &str = "getty-v-stability-ai";

/// The date the HTML and Word reports say they were made on, fixed so that they are reproducible.
const GENERATED_ON: &str = "2026-12-06";

/// One report to compare: its golden's name, the case, the language and the options.
struct Variant {
    name: &'static str,
    case: &'static str,
    lang: Lang,
    options: ReportOptions,
}

fn variant(name: &'static str, case: &'static str, lang: Lang, options: ReportOptions) -> Variant {
    Variant { name, case, lang, options }
}

/// The reports of the demo store: each case in both languages, then each option once.
fn demo_variants() -> Vec<Variant> {
    let narrowed = ReportOptions {
        sections: vec!["parties,chronology".into(), "evidence".into()],
        kinds: vec!["letter".into(), "event".into()],
        from: "2023-03".into(),
        to: "2023-04".into(),
        exhibits: true,
        ..Default::default()
    };
    vec![
        variant("twitter.en", TWITTER, Lang::En, ReportOptions::default()),
        variant("twitter.fr", TWITTER, Lang::Fr, ReportOptions::default()),
        variant("getty.en", GETTY, Lang::En, ReportOptions::default()),
        variant("getty.fr", GETTY, Lang::Fr, ReportOptions::default()),
        variant("twitter-exhibits.fr", TWITTER, Lang::Fr, ReportOptions { exhibits: true, ..Default::default() }),
        variant("twitter-narrowed.en", TWITTER, Lang::En, narrowed),
        variant(
            "twitter-tagged.en",
            TWITTER,
            Lang::En,
            ReportOptions { sections: vec!["chronology".into()], tag: "fees".into(), ..Default::default() },
        ),
    ]
}

/// The reports of the fuller store ([`fuller`]), which holds what the demo lacks.
fn fuller_variants() -> Vec<Variant> {
    vec![
        variant("fuller.en", TWITTER, Lang::En, ReportOptions::default()),
        variant("fuller.fr", TWITTER, Lang::Fr, ReportOptions::default()),
        variant("fuller-exhibits.en", TWITTER, Lang::En, ReportOptions { exhibits: true, ..Default::default() }),
    ]
}

/// The demo, with what the demo does not have added to its main case: clauses cited by an
/// allegation and by evidence, response deadlines (one answered, one overdue, one open), a copied reader,
/// evidence found on the web and elsewhere with a publisher, a date and a note, quotes found and
/// not checked, and user text that looks like markup to each format.
fn fuller() -> Fixture {
    let mut fx = fresh();
    demo::load(&mut fx.store).expect("demo");
    let s = &mut fx.store;
    let agreement = agreement::create(
        s,
        &AgreementInput {
            case: TWITTER.into(),
            title: "Data licence | annex *B*".into(),
            kind: "licence".into(),
            parties: vec!["Twitter".into(), "Microsoft".into()],
            effective: "2021-06-01".into(),
            terminated: "<2023-05".into(),
            terms: "Two **rules**:\n\n1. pay\n2. <b>report</b> use\n\n```\nunclosed".into(),
        },
    )
    .expect("agreement");
    let fees = agreement::add_clause(
        s,
        &agreement.id,
        &ClauseInput { reference: "§ 3.1".into(), text: "Fees are due *monthly*.".into() },
    )
    .expect("clause");
    agreement::add_clause(s, &agreement.id, &ClauseInput { reference: "§ 7 [audit]".into(), text: String::new() })
        .expect("clause");
    let demand = letter_with(
        s,
        LetterInput {
            channel: "email".into(),
            cc: vec!["Reuters".into()],
            deadline: "2023-05-05".into(),
            body: "Please pay.\n\n# Not a heading\n\n<script>alert(1)</script>".into(),
            ..letter_input(TWITTER, "Twitter", &["Microsoft"], "Demand for the fees <due>", "2023-04-20")
        },
    );
    let reply = letter_with(
        s,
        LetterInput {
            in_reply_to: demand.id.clone(),
            deadline: "~2099-06".into(),
            ..letter_input(TWITTER, "Microsoft", &["Twitter"], "Counter-proposal", "2023-04-28")
        },
    );
    letter_with(
        s,
        LetterInput {
            deadline: "2023-06-01".into(),
            ..letter_input(TWITTER, "Twitter", &["Microsoft"], "Reminder", "2023-05-10")
        },
    );
    let unpaid = allegation_with(
        s,
        AllegationInput {
            clauses: vec![fees.id.clone()],
            detail: "Owed since **March** | see the _demand_.".into(),
            ..allegation_input(TWITTER, "Twitter", "Microsoft", &demand.id, "Fees under § 3.1 are unpaid")
        },
    );
    response::create(
        s,
        &ResponseInput {
            allegations: vec![unpaid.id.clone()],
            by: "Microsoft".into(),
            letter: reply.id.clone(),
            stance: "denies".into(),
            text: "Nothing is *owed*.".into(),
            ..Default::default()
        },
    )
    .expect("response");
    event_with(
        s,
        dossier_core::record::event::EventInput {
            case: TWITTER.into(),
            title: "Price | volume *table* # [x] <i>".into(),
            date: "2023-04-10T09:30+02:00".into(),
            description: "A *described* event with <em>HTML</em>.".into(),
            parties: vec!["Twitter".into()],
            ..Default::default()
        },
    );
    let web = evidence::create(
        s,
        &EvidenceInput {
            case: TWITTER.into(),
            kind: "url".into(),
            title: "Pricing page".into(),
            url: "https://developer.example.com/pricing?tier=basic&x=1".into(),
            publisher: "Twitter".into(),
            date: "2023-03-15".into(),
            note: "Captured *before* the change.".into(),
        },
    )
    .expect("web evidence");
    let print = evidence::create(
        s,
        &EvidenceInput {
            case: TWITTER.into(),
            kind: "publication".into(),
            title: "Trade press report".into(),
            url: "https://example.org/o'brien".into(),
            publisher: "Trade <press> & co".into(),
            ..Default::default()
        },
    )
    .expect("publication");
    let article = evidence::list(s.reader(), TWITTER).expect("evidence").into_iter().find(|e| e.sha256.is_some());
    let article = article.expect("the demo article");
    let quoted = |exact: &str, page| Some(QuoteInput { page, exact: exact.into(), ..Default::default() });
    for (evidence, record, pinpoint, note, quote) in [
        (&web.id, &fees.id, "tier table", "", quoted("basic $100/month", Some(2))),
        (&web.id, &demand.id, "", "the amount asked", None),
        (&print.id, &unpaid.id, "p. 4", "", None),
        (&article.id, &demand.id, "¶ 4", "", quoted("Microsoft", Some(1))),
    ] {
        evidence::link(
            s,
            &LinkInput {
                evidence: evidence.clone(),
                record: record.clone(),
                pinpoint: pinpoint.into(),
                note: note.into(),
                quote,
            },
        )
        .unwrap_or_else(|e| panic!("link {pinpoint}: {e}"));
    }
    fx
}

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reports").join(name)
}

/// The main part of a Word document, which the writer lays out a paragraph, a table row or a field of
/// the table of contents a line, so that a golden's diff can be read.
fn document_xml(docx: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml").expect("word/document.xml").read_to_string(&mut xml).expect("UTF-8");
    xml
}

/// The three reports of one variant: (golden file name, content).
fn reports(fx: &Fixture, v: &Variant) -> Vec<(String, String)> {
    let db = fx.store.reader();
    let md = export::markdown(db, v.case, v.lang, &v.options).expect("markdown");
    let html = export::html(db, v.case, v.lang, GENERATED_ON, &v.options).expect("html");
    let docx = export::docx(db, v.case, v.lang, GENERATED_ON, &v.options).expect("docx");
    vec![
        (format!("{}.md", v.name), md),
        (format!("{}.html", v.name), html),
        (format!("{}.document.xml", v.name), document_xml(&docx)),
    ]
}

/// Compares every report of `variants` with its golden; the names that differ.
fn compare(fx: &Fixture, variants: &[Variant]) -> Vec<String> {
    check(variants.iter().flat_map(|v| reports(fx, v)).collect())
}

/// Compares each (name, text) with its golden (or writes it, with `DOSSIER_BLESS`); the names that
/// differ.
fn check(outputs: Vec<(String, String)>) -> Vec<String> {
    let bless = std::env::var_os("DOSSIER_BLESS").is_some();
    let mut differ = Vec::new();
    for (name, text) in outputs {
        let path = golden(&name);
        if bless {
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("create the goldens' folder");
            std::fs::write(&path, &text).expect("write a golden");
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            differ.push(name);
        }
    }
    differ
}

/// The published site's page shares its head with the HTML report; its goldens keep both honest.
fn site_pages(fx: &Fixture) -> Vec<(String, String)> {
    [(TWITTER, "twitter", Lang::En), (GETTY, "getty", Lang::Fr)]
        .into_iter()
        .map(|(case, name, lang)| {
            let files = export::site(fx.store.reader(), case, lang, GENERATED_ON).expect("site");
            let index = files.into_iter().find(|(n, _)| *n == "index.html").expect("index.html").1;
            (format!("{name}-site.{}.html", lang.as_str()), String::from_utf8(index).expect("UTF-8"))
        })
        .collect()
}

#[test]
fn reports_match_their_goldens() {
    let demo = demo_store();
    let mut differ = check(site_pages(&demo));
    differ.extend(compare(&demo, &demo_variants()));
    differ.extend(compare(&fuller(), &fuller_variants()));
    assert!(differ.is_empty(), "reports differ from their goldens (see the module's doc to bless them): {differ:?}");
}

/// The fuller store holds what its goldens are meant to show.
#[test]
fn the_fuller_case_has_what_the_demo_lacks() {
    let fx = fuller();
    let db = fx.store.reader();
    let case = dossier_core::record::case::get(db, TWITTER).expect("case");
    let deadlines = dossier_core::record::letter::deadlines(db, &case.id).expect("deadlines");
    let mut states: Vec<&str> = deadlines.iter().map(|d| d.state.as_str()).collect();
    states.sort();
    assert_eq!(states, ["answered", "open", "overdue"]);
    let mut quotes: Vec<String> = evidence::list(db, TWITTER)
        .expect("evidence")
        .into_iter()
        .flat_map(|e| e.links)
        .filter_map(|l| l.quote)
        .map(|q| format!("{:?}", q.check))
        .collect();
    quotes.sort();
    assert_eq!(quotes, ["Found", "Unchecked"]);
    assert!(timeline::all(db, TWITTER, &Default::default()).expect("timeline").len() > 10);
}

fn demo_store() -> Fixture {
    let mut fx = fresh();
    demo::load(&mut fx.store).expect("demo");
    fx
}
