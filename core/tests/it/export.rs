//! Case summaries at the public boundary: what the Markdown, HTML, CSV and ICS exports actually say
//! about the demo case and small hand-made cases, read back with the crates a reader's tools use.

use crate::common::*;
use dossier_core::date::Lang;
use dossier_core::record::case::{self, CaseInput};
use dossier_core::record::event::EventInput;
use dossier_core::record::letter::LetterInput;
use dossier_core::transfer::export;
use dossier_core::view::timeline::{self, Entry, Filter};
use dossier_core::{demo, Store};

const DEMO: &str = "twitter-v-microsoft";

/// The demo article, hashed outside Rust with `sha256sum assets/demo/twitter-microsoft-article-fr.txt`.
const ARTICLE_SHA256: &str = "196b5b06a2f29a6edcf5dbd5105ac2a25fdecd2737fd36c5ddbb1d7153171ca1";

/// The four allegations of the demo case and their current status in English.
const DEMO_ALLEGATIONS: &[(&str, &str)] = &[
    ("Microsoft illegally used Twitter data to train artificial-intelligence models", "alleged"),
    ("Microsoft used more Twitter data than the agreement provided for", "under review"),
    ("Microsoft shared Twitter data with government agencies without Twitter's consent", "under review"),
    ("Microsoft did not pay the fee due for Twitter's data", "under review"),
];

fn demo_store() -> Fixture {
    let mut fx = fresh();
    demo::load(&mut fx.store).expect("load the demo cases");
    fx
}

fn entries(store: &Store, case: &str) -> Vec<Entry> {
    timeline::all(store.reader(), case, &Filter::default()).expect("timeline")
}

/// The same escaping the HTML report must apply to user text.
fn html_escaped(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// Every value of `attr="…"` in `html`.
fn attribute_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!("{attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(at, _)| {
            let rest = &html[at + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Markdown

/// Guards: the Markdown summary carries the case's title, its four allegations with their current
/// status, dates in words and the evidence digest.
#[test]
fn markdown_summarises_the_demo_case() {
    let fx = demo_store();
    let md = export::markdown(fx.store.reader(), DEMO, Lang::En, &Default::default()).expect("markdown");
    assert!(md.starts_with("# Twitter v. Microsoft — use of Twitter data and unpaid API fees\n"), "{md}");
    assert!(md.contains("**Status:** open"));
    for (n, (summary, status)) in DEMO_ALLEGATIONS.iter().enumerate() {
        let heading = format!("### A{}. {summary}\n", n + 1);
        let at = md.find(&heading).unwrap_or_else(|| panic!("allegation heading {heading:?} in\n{md}"));
        let section = &md[at + heading.len()..];
        let section = &section[..section.find("\n### ").unwrap_or(section.len())];
        assert!(section.contains(&format!("- **Current status:** **{status}**\n")), "status of {summary:?}: {section}");
        assert!(
            section.contains("#### Status history\n\n| Date | Status | Note |"),
            "history of {summary:?}: {section}"
        );
    }
    assert!(md.contains("about April 2023"), "dates in words");
    assert!(md.contains("(`~2023-04`)"), "dates as recorded beside the words");
    assert!(md.contains(ARTICLE_SHA256), "article digest");
    assert!(md.contains("**¶ 2**"), "pinpoints, in bold");
    assert!(md.contains("| Twitter | organisation | claimant |  |  |"), "the table of parties: {md}");
    assert!(
        md.contains(
            "| Twitter's legal representative | person | counsel for Twitter | legal representative, Twitter |"
        ),
        "{md}"
    );
    assert!(md.contains("### Twitter\n\n> The platform"), "parties' descriptions: {md}");
    assert!(md.contains("#### ↳ about April 2023 — Microsoft's statement to Reuters"), "replies marked: {md}");
    assert!(md.contains("## Correspondence") && md.contains("Microsoft's statement to Reuters"));
    assert!(md.contains("Twitter API agreement with Microsoft"), "agreements");
    assert!(md.contains("will review"), "response stance");
}

/// Guards: user text cannot break the Markdown structure (a `|` in a table cell, a heading marker,
/// an unclosed code fence in a body).
#[test]
fn markdown_escapes_user_text_in_the_structure() {
    let mut fx = fresh();
    case(&mut fx.store, "c");
    org(&mut fx.store, "A | B Corp");
    event_with(
        &mut fx.store,
        EventInput {
            case: "c".into(),
            title: "Price | volume *table* # [x]".into(),
            date: "2023-03".into(),
            parties: vec!["A | B Corp".into()],
            ..Default::default()
        },
    );
    letter_with(
        &mut fx.store,
        LetterInput {
            body: "```\nunclosed fence\n# not a heading".into(),
            ..letter_input("c", "A | B Corp", &[], "Subject", "2023-04")
        },
    );
    let md = export::markdown(fx.store.reader(), "c", Lang::En, &Default::default()).expect("markdown");
    let row = md.lines().find(|l| l.contains("Price")).expect("chronology row");
    assert!(row.contains(r"Price \| volume \*table\* \# \[x\]"), "{row}");
    assert!(row.contains(r"A \| B Corp"), "{row}");
    let unescaped_pipes = row.char_indices().filter(|(i, c)| *c == '|' && !row[..*i].ends_with('\\')).count();
    assert_eq!(unescaped_pipes, 6, "five cells, no extra column: {row}");
    assert!(md.contains("> ```\n> unclosed fence\n> # not a heading\n"), "bodies are quoted: {md}");
    assert!(md.contains("\n## Evidence index\n"), "the sections after the body are still headings");
}

#[test]
fn markdown_in_french() {
    let fx = demo_store();
    let md = export::markdown(fx.store.reader(), DEMO, Lang::Fr, &Default::default()).expect("markdown");
    assert!(md.contains("**Statut :**") || md.contains("**Statut:**"), "{}", &md[..300]);
    assert!(md.contains("vers avril 2023"));
    assert!(md.contains("## Chronologie"));
    assert!(md.contains("en cours d’examen"));
}

// ---------------------------------------------------------------------------------------------
// HTML

/// Guards: the report is one self-contained document whose table of contents points at sections that
/// exist, whose chronology follows the timeline, and which carries digests, pinpoints and its date.
#[test]
fn html_report_is_complete_and_navigable() {
    let fx = demo_store();
    let html = export::html(fx.store.reader(), DEMO, Lang::En, "2024-05-02", &Default::default()).expect("html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<html lang=\"en\">"));
    assert!(
        html.contains("@media print") && html.contains("size: A4") && html.contains("break-before: page"),
        "print CSS"
    );
    assert!(!html.contains("<link") && !html.contains("src=\"http"), "self-contained");
    assert!(html.contains("Generated on 2024-05-02"));

    let ids = attribute_values(&html, "id");
    let hrefs: Vec<&str> = attribute_values(&html, "href").into_iter().filter_map(|h| h.strip_prefix('#')).collect();
    assert!(hrefs.len() >= 7, "a table of contents: {hrefs:?}");
    for section in ["summary", "parties", "chronology", "agreements", "allegations", "correspondence", "evidence"] {
        assert!(hrefs.contains(&section), "contents link to #{section}");
    }
    for target in &hrefs {
        assert!(ids.contains(target), "href=\"#{target}\" has no id=\"{target}\"");
    }

    // The chronology's rows and their order are the report value's (`report_options`); here, that
    // the HTML lays them out: a row per entry, dates in words.
    let start = html.find("<table class=\"chronology\">").expect("chronology table");
    let table = &html[start..start + html[start..].find("</table>").expect("end of chronology")];
    assert_eq!(table.matches("<tr>").count(), entries(&fx.store, DEMO).len() + 1, "a header and a row per entry");
    assert!(html.contains("about April 2023"));

    assert!(html.contains(ARTICLE_SHA256), "digest in the evidence index");
    assert!(html.contains("<a href=\"#evidence-1\">E1</a> (¶ 5)"), "chronology cites evidence with pinpoints");
    assert!(html.contains("<strong>¶ 1–2</strong>"), "evidence index lists pinpoints");
    assert!(html.contains("Twitter&#39;s legal representative"), "cast of characters");
    assert!(html.contains("legal representative, Twitter"), "affiliations");
    for (n, (summary, status)) in DEMO_ALLEGATIONS.iter().enumerate() {
        let heading = format!("<h3>A{}. {}</h3>", n + 1, html_escaped(summary));
        let at = html.find(&heading).unwrap_or_else(|| panic!("allegation {heading}"));
        let article = &html[at..at + html[at..].find("</article>").expect("end of allegation")];
        assert!(article.contains(&format!("<dd><strong>{status}</strong></dd>")), "status of {summary}");
        assert!(article.contains("Status history"), "history of {summary}");
        if *status == "under review" {
            assert!(article.contains("Microsoft will review Twitter"), "response thread of {summary}");
        }
    }
    assert!(html.contains("class=\"depth-1\""), "the statement sits under the letter it answers");
}

/// Guards: no script reaches the report, whatever the case summary holds.
#[test]
fn html_report_carries_no_script() {
    let mut fx = demo_store();
    let current = case::get(fx.store.reader(), DEMO).expect("case");
    let hostile = "Intro <script>alert(1)</script> then <img src=x onerror=alert(1)> and [x](javascript:alert(1)) \
                   <a href=\"JaVaScRiPt:alert(2)\" onclick=\"alert(3)\">y</a>";
    case::update(&mut fx.store, DEMO, &CaseInput { summary: hostile.into(), ..current.to_input() })
        .expect("update summary");
    event_with(
        &mut fx.store,
        EventInput {
            case: DEMO.into(),
            title: "<script>alert(4)</script>".into(),
            date: "2023-05".into(),
            description: "<svg onload=alert(5)></svg>".into(),
            ..Default::default()
        },
    );
    for lang in [Lang::En, Lang::Fr] {
        let html = export::html(fx.store.reader(), DEMO, lang, "<script>alert(6)</script>", &Default::default())
            .expect("html");
        let lower = html.to_lowercase();
        for bad in ["<script", "onerror", "onclick", "onload", "javascript:"] {
            assert!(!lower.contains(bad), "{bad} in the report");
        }
        assert!(html.contains("&lt;script&gt;alert(4)&lt;/script&gt;"), "a hostile title is shown as text");
        assert!(html.contains("Intro"), "the rest of the summary is kept");
    }
}

#[test]
fn html_report_in_french() {
    let fx = demo_store();
    let html = export::html(fx.store.reader(), DEMO, Lang::Fr, "2 mai 2024", &Default::default()).expect("html");
    assert!(html.contains("<html lang=\"fr\">"));
    assert!(html.contains("Généré le 2 mai 2024"));
    assert!(html.contains(">Chronologie<") && html.contains(">Intervenants<"));
    assert!(html.contains("vers avril 2023"));
}

#[test]
fn unknown_case_is_not_found() {
    let fx = fresh();
    let e = export::html(fx.store.reader(), "nope", Lang::En, "today", &Default::default()).expect_err("no case");
    assert_eq!(e.code(), ErrorCode::NotFound);
    assert_eq!(export::csv(fx.store.reader(), "nope").expect_err("no case").code(), ErrorCode::NotFound);
    assert_eq!(export::ics(fx.store.reader(), "nope").expect_err("no case").code(), ErrorCode::NotFound);
}

// ---------------------------------------------------------------------------------------------
// CSV

fn csv_rows(bytes: &[u8]) -> (Vec<String>, Vec<csv::StringRecord>) {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").expect("a UTF-8 byte-order mark");
    let mut reader = csv::Reader::from_reader(body);
    let headers = reader.headers().expect("headers").iter().map(String::from).collect();
    let rows = reader.records().collect::<Result<Vec<_>, _>>().expect("records");
    (headers, rows)
}

/// Guards: the CSV opens in a spreadsheet as the chronology, one row per entry in order, with the
/// recorded dates kept and formulas neutralised.
#[test]
fn csv_is_the_chronology_for_spreadsheets() {
    let mut fx = demo_store();
    event(&mut fx.store, DEMO, "Fees, \"basic\" tier, and more", "2023-05-02");
    event(&mut fx.store, DEMO, "=HYPERLINK(\"http://evil.example\",\"click\")", "2023-05-03");
    event(&mut fx.store, DEMO, "-2 + 3", "<2023-06-07");
    let bytes = export::csv(fx.store.reader(), DEMO).expect("csv");
    assert!(bytes.starts_with(b"\xEF\xBB\xBFdate,date_text,from,to,kind,title,"));
    let text = std::str::from_utf8(&bytes).expect("UTF-8");
    assert!(!text.replace("\r\n", "").contains(['\r', '\n']), "records end in CRLF");
    assert!(text.ends_with("\r\n"));

    let (headers, rows) = csv_rows(&bytes);
    assert_eq!(headers, export::CSV_COLUMNS);
    let timeline = entries(&fx.store, DEMO);
    assert_eq!(rows.len(), timeline.len(), "one row per timeline entry");
    for (row, entry) in rows.iter().zip(&timeline) {
        assert_eq!(&row[0], entry.date, "date as recorded, in timeline order");
        assert_eq!(&row[4], entry.kind);
        assert_eq!(&row[10], entry.record_id);
        assert_eq!(row[9].parse::<i64>().expect("count"), entry.evidence_count);
    }
    let about = rows.iter().find(|r| &r[0] == "~2023-04").expect("an about-April row");
    assert_eq!(&about[1], "about April 2023");
    assert_eq!((&about[2], &about[3]), ("2023-03-01", "2023-05-31"), "bounds of ~2023-04");
    let between = rows.iter().find(|r| &r[0] == "2023-02..2023-04").expect("a range");
    assert_eq!((&between[2], &between[3]), ("2023-02-01", "2023-04-30"));
    let before = rows.iter().find(|r| &r[5] == "'-2 + 3").expect("a neutralised title");
    assert_eq!((&before[0], &before[2], &before[3]), ("<2023-06-07", "", "2023-06-06"), "open lower bound");

    assert!(rows.iter().any(|r| &r[5] == "Fees, \"basic\" tier, and more"), "commas and quotes round-trip");
    assert!(rows.iter().any(|r| &r[5] == "'=HYPERLINK(\"http://evil.example\",\"click\")"), "formula neutralised");
    assert!(rows.iter().all(|r| !r[5].starts_with(['=', '+', '-', '@'])));
    let letter = rows.iter().find(|r| &r[4] == "letter").expect("a letter row");
    assert_eq!(&letter[7], "Microsoft; Twitter; Twitter's legal representative", "parties joined with ';'");
    let nyt = rows.iter().find(|r| r[5].starts_with("The New York Times is the first")).expect("the NYT event");
    assert_eq!(
        &nyt[8],
        "reported by Seed article (unnamed French outlet) (reported) — « le premier à faire état de cette lettre »"
    );
}

// ---------------------------------------------------------------------------------------------
// ICS

fn deadline_case(s: &mut Store) {
    case(s, "d");
    org(s, "Twitter");
    org(s, "Microsoft");
    let long = "Request for information on Microsoft's use of Twitter data under the API agreement, \
                with a list of the agencies it was shared with; and the fees";
    letter_with(
        s,
        LetterInput {
            deadline: "2023-05-05".into(),
            ..letter_input("d", "Twitter", &["Microsoft"], long, "2023-04-20")
        },
    );
    letter_with(
        s,
        LetterInput {
            deadline: "~2023-06".into(),
            ..letter_input("d", "Microsoft", &["Twitter"], "Counter-proposal", "2023-04-25")
        },
    );
    letter(s, "d", "Twitter", &["Microsoft"], "No deadline here", "2023-04-26");
}

fn parse_ics(text: &str) -> icalendar::Calendar {
    let unfolded = icalendar::parser::unfold(text);
    let parsed =
        icalendar::parser::read_calendar(&unfolded).unwrap_or_else(|e| panic!("calendar does not parse: {e}\n{text}"));
    parsed.into()
}

/// Guards: each response deadline is one all-day event a calendar can import, with a stable UID, and
/// the file follows RFC 5545's line rules.
#[test]
fn ics_lists_the_response_deadlines() {
    let mut fx = fresh();
    deadline_case(&mut fx.store);
    let text = export::ics(fx.store.reader(), "d").expect("ics");
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
    assert!(!text.replace("\r\n", "").contains(['\r', '\n']), "every line ends in CRLF");
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "line longer than 75 octets: {line:?}");
    }
    assert_eq!(text.matches("BEGIN:VEVENT\r\n").count(), 2);
    assert!(text.contains("VERSION:2.0\r\n") && text.contains("PRODID:"));
    assert!(text.contains("DTSTART;VALUE=DATE:20230505\r\n") && text.contains("DTEND;VALUE=DATE:20230506\r\n"));
    assert!(text.contains("DTSTART;VALUE=DATE:20230601\r\n"), "about June: its first day");

    let calendar = parse_ics(&text);
    use icalendar::Component;
    let events: Vec<&icalendar::Event> = calendar.events().collect();
    assert_eq!(events.len(), 2);
    let letters = dossier_core::record::letter::list(fx.store.reader(), "d").expect("letters");
    let first = &events[0];
    assert_eq!(first.get_uid(), Some(format!("{}@dossier", letters[0].id).as_str()), "stable UID");
    assert!(first.get_summary().expect("summary").starts_with("Reply due: Request for information on Microsoft's use"));
    assert!(first.get_summary().expect("summary").ends_with("shared with; and the fees"), "text escaping round-trips");
    let description = first.get_description().expect("description");
    assert!(description.contains("From: Twitter") && description.contains("2023-05-05 (5 May 2023)"), "{description}");
    assert!(first.get_timestamp().is_some(), "DTSTAMP");
    assert_eq!(
        first.get_start(),
        Some(icalendar::DatePerhapsTime::Date(chrono::NaiveDate::from_ymd_opt(2023, 5, 5).expect("day")))
    );
    assert!(events[1].get_description().expect("description").contains("~2023-06 (about June 2023)"));

    // The same case exported twice gives the same file: UIDs and stamps come from the record.
    assert_eq!(export::ics(fx.store.reader(), "d").expect("ics"), text);
}

/// Guards: how fuzzy and exact-time deadlines are placed (see `export::ics`).
#[test]
fn ics_places_fuzzy_deadlines_on_their_earliest_day() {
    let mut fx = fresh();
    case(&mut fx.store, "f");
    org(&mut fx.store, "A");
    for (subject, deadline) in [
        ("before", "<2023-07-15"),
        ("instant", "2023-07-20T17:00+02:00"),
        ("year", "2024"),
        ("range", "2023-08-10..2023-08-20"),
    ] {
        letter_with(
            &mut fx.store,
            LetterInput { deadline: deadline.into(), ..letter_input("f", "A", &[], subject, "2023-04-01") },
        );
    }
    let text = export::ics(fx.store.reader(), "f").expect("ics");
    assert!(text.contains("DTSTART;VALUE=DATE:20230714\r\n"), "before 15 July: the 14th\n{text}");
    assert!(text.contains("DTSTART:20230720T150000Z\r\n"), "an instant stays an instant, in UTC");
    assert!(text.contains("DTSTART;VALUE=DATE:20240101\r\n"));
    assert!(text.contains("DTSTART;VALUE=DATE:20230810\r\n"));
    assert_eq!(parse_ics(&text).events().count(), 4);
}

#[test]
fn ics_without_deadlines_is_an_empty_calendar() {
    let fx = demo_store();
    let text = export::ics(fx.store.reader(), DEMO).expect("ics");
    assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"), "{text}");
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    assert!(!text.contains("BEGIN:VEVENT"));
    assert_eq!(parse_ics(&text).events().count(), 0);
}
