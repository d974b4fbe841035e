//! M5, L9: publishing shows only the public, and quotes are verbatim or say so.

use crate::common::*;
use dossier_core::date::Lang;
use dossier_core::record::allegation::{self, StatusInput};
use dossier_core::record::attribution::AttributionInput;
use dossier_core::record::case::{self, CaseInput};
use dossier_core::record::event::EventInput;
use dossier_core::record::evidence::{self, EvidenceInput, FileInput, LinkInput, QuoteCheck, QuoteInput};
use dossier_core::record::party;
use dossier_core::record::response::{self, ResponseInput};
use dossier_core::record::{privacy, Listed};
use dossier_core::transfer::{self, export};
use dossier_core::{demo, Store};

const DEMO: &str = "twitter-v-microsoft";

/// The published site's page and the TimelineJS file of a case, as a reader gets them.
fn published(store: &Store, case: &str) -> (String, String) {
    let files = export::site(store.reader(), case, Lang::En, "2026-12-06").expect("site");
    let index = String::from_utf8(files[0].1.clone()).expect("utf-8");
    (index, export::timelinejs(store.reader(), case, Lang::En).expect("timelinejs"))
}

fn url_evidence(store: &mut Store, case: &str, title: &str, publisher: &str, url: &str, date: &str) -> String {
    let input = EvidenceInput {
        case: case.into(),
        kind: "url".into(),
        title: title.into(),
        url: url.into(),
        publisher: publisher.into(),
        date: date.into(),
        ..Default::default()
    };
    evidence::create(store, &input).expect("evidence").id
}

fn link(store: &mut Store, evidence: &str, record: &str, pinpoint: &str) {
    let input =
        LinkInput { evidence: evidence.into(), record: record.into(), pinpoint: pinpoint.into(), ..Default::default() };
    evidence::link(store, &input).expect("link");
}

/// The review's case: Jane Whistle alleges that Acme falsified its safety tests, Acme denies it, and
/// Jane's memo supports the allegation; the allegation and Jane are then made private.
fn acme_leak() -> (Fixture, String) {
    let mut fx = fresh();
    let s = &mut fx.store;
    let input = CaseInput {
        slug: "acme-leak".into(),
        title: "Acme leak".into(),
        summary: "Public summary.".into(),
        ..Default::default()
    };
    case::create(s, &input).expect("case");
    org(s, "Acme Corp");
    let jane = party(s, "Jane Whistle", "person");
    let mut claim = allegation_input("acme-leak", "Jane Whistle", "Acme Corp", "", "Acme falsified the safety tests");
    claim.date = "2023-02-05".into();
    let a1 = allegation_with(s, claim).id;
    let denial = ResponseInput {
        allegations: vec![a1.clone()],
        by: "Acme Corp".into(),
        stance: "denies".into(),
        text: "Acme denies falsifying its safety tests".into(),
        date: "2023-02-10".into(),
        ..Default::default()
    };
    response::create(s, &denial).expect("response");
    let memo = url_evidence(
        s,
        "acme-leak",
        "memo from Jane's mailbox",
        "Jane Whistle",
        "https://files.example/jane-memo.pdf",
        "",
    );
    link(s, &memo, &a1, "p. 3");
    privacy::set(s, &a1, true).expect("private allegation");
    privacy::set(s, &jane.id, true).expect("private party");
    (fx, a1)
}

#[test]
fn m5_the_source_and_the_answer_of_a_private_allegation_are_not_published() {
    let (mut fx, a1) = acme_leak();
    let s = &mut fx.store;
    event(s, "acme-leak", "Acme recalls its heaters", "2023-03-01");
    let (site, timeline) = published(s, "acme-leak");
    for page in [&site, &timeline] {
        assert!(page.contains("Acme recalls its heaters"), "the public record is published");
        for secret in ["jane-memo.pdf", "memo from Jane", "Jane Whistle", "Acme denies falsifying", "falsified"] {
            assert!(!page.contains(secret), "{secret} is published: {page}");
        }
    }
    assert!(!site.contains("id=\"source-1\""), "no source is listed: {site}");

    // A response that also answers a public allegation is published, and so is the memo once a
    // published record cites it.
    let public = allegation_with(s, {
        let mut a = allegation_input("acme-leak", "Acme Corp", "Acme Corp", "", "Acme misfiled a report");
        a.date = "2023-02-06".into();
        a
    });
    let both = ResponseInput {
        allegations: vec![a1.clone(), public.id.clone()],
        by: "Acme Corp".into(),
        stance: "denies".into(),
        text: "Acme answers both".into(),
        date: "2023-02-11".into(),
        ..Default::default()
    };
    response::create(s, &both).expect("response");
    let memo = evidence::list(s.reader(), "acme-leak").unwrap()[0].id.clone();
    link(s, &memo, &public.id, "p. 4");
    let (site, _) = published(s, "acme-leak");
    assert!(site.contains("Acme answers both"));
    assert!(site.contains("<li id=\"source-1\"><cite>memo from Jane&#39;s mailbox</cite>"), "{site}");
    assert!(site.contains("S1</a> (p. 4)") && !site.contains("p. 3"), "only the public pinpoint: {site}");
}

#[test]
fn m5_only_evidence_a_published_entry_cites_is_a_source() {
    let mut fx = fresh();
    let s = &mut fx.store;
    case(s, "c");
    let meeting = event(s, "c", "Board meeting", "2023-01-10").id;
    let lead = event(s, "c", "Lead from a tip line", "2023-01-12").id;
    let cited = url_evidence(s, "c", "Minutes of the board", "", "https://a.example/minutes", "");
    url_evidence(s, "c", "Unfiled draft", "Nobody", "https://a.example/draft", "");
    let tip = url_evidence(s, "c", "Tip line transcript", "", "https://a.example/tip", "");
    url_evidence(s, "c", "Newspaper article", "Daily", "https://a.example/article", "2023-01-15");
    link(s, &cited, &meeting, "§ 2");
    link(s, &tip, &lead, "");
    privacy::set(s, &lead, true).unwrap();

    let (site, timeline) = published(s, "c");
    assert!(site.contains("<cite>Minutes of the board</cite>") && timeline.contains("Minutes of the board"));
    for hidden in ["Unfiled draft", "Tip line transcript", "a.example/tip", "Lead from a tip line"] {
        assert!(!site.contains(hidden) && !timeline.contains(hidden), "{hidden} is published");
    }
    // A dated piece of evidence is an entry of its own, and the source that entry cites.
    assert!(site.contains("<cite>Newspaper article</cite>"), "{site}");
    assert_eq!(site.matches("<li id=\"source-").count(), 2, "{site}");

    // Evidence whose every link is to a private record is private for publishing, entry included.
    let rumour = url_evidence(s, "c", "Rumour column", "", "https://a.example/rumour", "2023-01-20");
    link(s, &rumour, &lead, "");
    let (site, _) = published(s, "c");
    assert!(!site.contains("Rumour column"), "{site}");
}

#[test]
fn m5_replies_and_status_changes_of_a_private_record_are_held_back() {
    let mut fx = fresh();
    let s = &mut fx.store;
    case(s, "c");
    org(s, "Acme");
    org(s, "Beta");
    let secret = letter(s, "c", "Acme", &["Beta"], "Confidential offer", "2023-01-02").id;
    let mut reply = letter_input("c", "Beta", &["Acme"], "Re: Confidential offer", "2023-01-05");
    reply.in_reply_to = secret.clone();
    let reply = letter_with(s, reply).id;
    let mut again = letter_input("c", "Acme", &["Beta"], "Re: Re: Confidential offer", "2023-01-07");
    again.in_reply_to = reply.clone();
    letter_with(s, again);
    let open = letter(s, "c", "Acme", &["Beta"], "Public notice", "2023-01-09").id;
    let mut answer = letter_input("c", "Beta", &["Acme"], "Re: Public notice", "2023-01-10");
    answer.in_reply_to = open;
    letter_with(s, answer);

    let mut claim = allegation_input("c", "Acme", "Beta", "", "Beta broke the embargo");
    claim.date = "2023-01-03".into();
    let claim = allegation_with(s, claim).id;
    let status = StatusInput { status: "withdrawn".into(), date: "2023-01-20".into(), ..Default::default() };
    allegation::set_status(s, &claim, &status).expect("status");
    let carried = ResponseInput {
        allegations: vec![claim.clone()],
        by: "Beta".into(),
        letter: reply.clone(),
        stance: "denies".into(),
        text: "Beta kept the embargo".into(),
        ..Default::default()
    };
    response::create(s, &carried).expect("response");
    privacy::set(s, &secret, true).unwrap();
    privacy::set(s, &claim, true).unwrap();

    let (site, timeline) = published(s, "c");
    for page in [&site, &timeline] {
        assert!(page.contains("Public notice") && page.contains("Re: Public notice"));
        for held in ["Confidential offer", "embargo", "withdrawn"] {
            assert!(!page.contains(held), "{held} is published: {page}");
        }
    }
}

#[test]
fn m5_private_names_in_published_text_are_listed_before_writing() {
    let (mut fx, _) = acme_leak();
    let s = &mut fx.store;
    let jane = party::get(s.reader(), "Jane Whistle").unwrap();
    let mut input = jane.to_input();
    input.aliases = vec!["J. Whistle".into()];
    party::update(s, &jane.id, &input).expect("alias");
    let mut summary = case::get(s.reader(), "acme-leak").unwrap().to_input();
    summary.summary = "Documents first seen by J. Whistle.".into();
    case::update(s, "acme-leak", &summary).expect("summary");
    let attribution = AttributionInput {
        reported_by: "Acme Corp".into(),
        how: "told to us by jane whistle".into(),
        certainty: "reported".into(),
        ..Default::default()
    };
    let recall = EventInput {
        case: "acme-leak".into(),
        title: "Acme recalls its heaters".into(),
        date: "2023-03-01".into(),
        attributions: vec![attribution],
        ..Default::default()
    };
    let recall = event_with(s, recall).id;
    let article = url_evidence(s, "acme-leak", "Interview", "Jane Whistle's blog", "https://blog.example/i", "");
    link(s, &article, &recall, "");

    let check = transfer::publish_check(s, "acme-leak").expect("check");
    let found: Vec<String> = check.names.iter().map(|n| n.describe()).collect();
    assert_eq!(
        found,
        [
            "the private party 'Jane Whistle' (as 'J. Whistle') is named in the case summary",
            "the private party 'Jane Whistle' is named in how “Acme recalls its heaters” was obtained (its attribution)",
            "the private party 'Jane Whistle' is named in the publisher of the source “Interview”",
        ]
    );
    assert_eq!(check.formats.len(), 2);

    // Strict refuses, naming the first; the reports made for the team are not checked.
    let refused = transfer::before_export(s, "acme-leak", "site", true).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::InvalidInput);
    says(&refused, &["J. Whistle", "case summary"]);
    assert_eq!(transfer::before_export(s, "acme-leak", "timelinejs", false).unwrap().len(), 3);
    assert!(transfer::before_export(s, "acme-leak", "html", false).unwrap().is_empty());
    assert_eq!(transfer::before_export(s, "acme-leak", "html", true).unwrap_err().code(), ErrorCode::InvalidInput);
}

/// The demo's seed article (a text file, read when it was added) and its first allegation.
fn demo_article() -> (Fixture, String, String) {
    let mut fx = fresh();
    demo::load(&mut fx.store).expect("demo");
    let db = fx.store.reader();
    let allegation = allegation::list(db, DEMO).unwrap()[0].id.clone();
    let article = evidence::list(db, DEMO).unwrap().into_iter().find(|e| e.sha256.is_some()).expect("a file").id;
    (fx, article, allegation)
}

fn quote_link(evidence: &str, record: &str, page: Option<i64>, exact: &str) -> LinkInput {
    LinkInput {
        evidence: evidence.into(),
        record: record.into(),
        quote: Some(QuoteInput { page, exact: exact.into(), ..Default::default() }),
        ..Default::default()
    }
}

#[test]
fn l9_words_that_are_not_on_the_page_are_refused() {
    let (mut fx, article, allegation) = demo_article();
    let before = snapshot(&fx.store);
    let fabricated = quote_link(&article, &allegation, Some(1), "Microsoft agreed to pay ten million");
    let e = refused(&mut fx.store, |s| evidence::link(s, &fabricated));
    assert_eq!(e.code(), ErrorCode::InvalidInput);
    says(&e, &["page 1", "agreed to pay ten million"]);
    assert_eq!(snapshot(&fx.store), before);
    let html = export::html(fx.store.reader(), DEMO, Lang::En, "today", &Default::default()).unwrap();
    assert!(!html.contains("agreed to pay ten million"));

    // The document's own words pass, however their spaces, ligatures and hyphens were typed.
    let page = evidence::text(fx.store.reader(), &article, Some(1)).unwrap().remove(0).text;
    let words: Vec<&str> = page.split_whitespace().skip(10).take(8).collect();
    let typed = words.join("  \n ").replace("fi", "ﬁ");
    let kept = evidence::link(&mut fx.store, &quote_link(&article, &allegation, Some(1), &typed)).expect("verbatim");
    assert_eq!(kept.quote.as_ref().map(|q| q.check), Some(QuoteCheck::Found));
    let shown = evidence::get(fx.store.reader(), &article).unwrap();
    let q = shown.links.iter().find_map(|l| l.quote.clone()).expect("quote");
    assert_eq!(q.check, QuoteCheck::Found);
    let md = export::markdown(fx.store.reader(), DEMO, Lang::En, &Default::default()).unwrap();
    assert!(md.contains(&format!("{}” (p. 1)\n", words.last().unwrap())), "no caveat for a checked quote");
}

#[test]
fn l9_a_quote_of_a_document_without_known_text_says_it_was_not_checked() {
    let (mut fx, _, allegation) = demo_article();
    let s = &mut fx.store;
    // A PDF waits to be read in the background; a URL has no text at all.
    let path = fx.dir.path().join("scan.pdf");
    std::fs::write(&path, b"%PDF-1.4\n% no text yet\n").unwrap();
    let pdf = evidence::add_file(s, &FileInput { case: DEMO.into(), path, ..Default::default() }).expect("pdf").id;
    let url = url_evidence(s, DEMO, "A web page", "", "https://w.example/p", "");
    for (evidence, words) in [(&pdf, "Microsoft agreed to pay ten million"), (&url, "the web page says so")] {
        let made = evidence::link(s, &quote_link(evidence, &allegation, Some(1), words)).expect("kept");
        assert_eq!(made.quote.map(|q| q.check), Some(QuoteCheck::Unchecked));
    }
    let listed: Listed<_> = evidence::page(s.reader(), DEMO, 0, 100).unwrap();
    let pdf_quote = listed.items.iter().find(|e| e.id == pdf).and_then(|e| e.links[0].quote.clone()).unwrap();
    assert_eq!(pdf_quote.check, QuoteCheck::Unchecked);

    let db = s.reader();
    let html = export::html(db, DEMO, Lang::En, "today", &Default::default()).unwrap();
    assert!(html.contains("“Microsoft agreed to pay ten million” <span class=\"page\">(p. 1)</span> <span class=\"caveat\">— not checked against the document</span>"), "{html}");
    let md = export::markdown(db, DEMO, Lang::Fr, &Default::default()).unwrap();
    assert!(md.contains("> “the web page says so” (p. 1) — non vérifiée dans le document"), "{md}");
    let docx = export::docx(db, DEMO, Lang::En, "today", &Default::default()).unwrap();
    let xml = document_xml(&docx);
    assert!(xml.contains("ten million” (p. 1) — not checked against the document"), "the Word report says it too");
}

/// The main part of a Word document, as text.
fn document_xml(docx: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a zip");
    let mut part = zip.by_name("word/document.xml").expect("document.xml");
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut part, &mut xml).expect("utf-8");
    xml
}
