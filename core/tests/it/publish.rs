//! Publish exports (the static site and TimelineJS) at the public boundary: what a reader of the
//! published timeline sees of the demo case, that nothing private reaches them, that fuzzy dates stay
//! as fuzzy as recorded, and that hostile text stays inert.

use std::collections::HashMap;

use crate::common::*;
use dossier_core::date::Lang;
use dossier_core::markdown::escape_html;
use dossier_core::record::case::{self, CaseInput};
use dossier_core::record::evidence::{self, EvidenceInput, LinkInput};
use dossier_core::record::{event, letter, party, privacy};
use dossier_core::transfer::{self, export, ExportRequest};
use dossier_core::view::timeline::{self, Filter};
use dossier_core::{demo, Error};
use serde_json::Value;

const DEMO: &str = "twitter-v-microsoft";
const SOURCE: &str = "Seed article (unnamed French outlet)";
const THREAT: &str = "Elon Musk threatens to sue Microsoft";
const STATEMENT: &str = "Microsoft's statement to Reuters";
const LEAK: &str = "Internal memo from a confidential source";

/// The demo store with some records made private: an event, a letter, the party every attribution
/// names as its reporter, and a second piece of evidence (a memo) that supports the first event.
fn demo_with_private_records() -> Fixture {
    let mut fx = fresh();
    demo::load(&mut fx.store).expect("demo");
    let s = &mut fx.store;
    let threat = event::list(s.reader(), DEMO).unwrap().into_iter().find(|e| e.title == THREAT).expect("threat").id;
    let statement = letter::threads(s.reader(), DEMO)
        .unwrap()
        .into_iter()
        .find(|t| t.letter.subject == STATEMENT)
        .unwrap()
        .letter
        .id;
    let source = party::get(s.reader(), SOURCE).unwrap().id;
    let first = timeline::all(s.reader(), DEMO, &Filter::default()).unwrap()[0].record_id.clone();
    let memo = evidence::create(
        s,
        &EvidenceInput {
            case: DEMO.into(),
            kind: "url".into(),
            title: LEAK.into(),
            url: "https://leak.example/memo".into(),
            ..Default::default()
        },
    )
    .unwrap();
    evidence::link(
        s,
        &LinkInput { evidence: memo.id.clone(), record: first, pinpoint: "p. 3".into(), ..Default::default() },
    )
    .unwrap();
    for id in [&threat, &statement, &source, &memo.id] {
        privacy::set(s, id, true).unwrap();
    }
    fx
}

fn site_files(fx: &Fixture, lang: Lang) -> HashMap<&'static str, String> {
    export::site(fx.store.reader(), DEMO, lang, "2026-11-29")
        .expect("site")
        .into_iter()
        .map(|(name, bytes)| (name, String::from_utf8(bytes).expect("utf-8")))
        .collect()
}

fn timelinejs(fx: &Fixture, lang: Lang) -> Value {
    serde_json::from_str(&export::timelinejs(fx.store.reader(), DEMO, lang).expect("timelinejs")).expect("JSON")
}

#[test]
fn nothing_private_is_published() {
    let fx = demo_with_private_records();
    let site = site_files(&fx, Lang::En);
    let tl = timelinejs(&fx, Lang::En).to_string();
    for (what, text) in [("site", site.values().cloned().collect::<String>()), ("timelinejs", tl)] {
        for secret in [THREAT, STATEMENT, SOURCE, LEAK, "leak.example"] {
            let shown = escape_html(secret);
            assert!(!text.contains(secret) && !text.contains(&shown), "{what} shows the private '{secret}'");
        }
        assert!(text.contains("a source who is not named"), "{what}: a private reporter is withheld, not dropped");
    }
}

#[test]
fn the_site_shows_every_public_entry_in_order_with_its_sources() {
    let fx = demo_with_private_records();
    let private = privacy::private_ids(fx.store.reader()).unwrap();
    // A response the private statement carries is held back with it (it would tell what it said).
    let answers: Vec<String> = dossier_core::record::response::list(fx.store.reader(), DEMO)
        .unwrap()
        .into_iter()
        .filter(|r| r.letter_id.as_ref().is_some_and(|l| private.contains(l)))
        .map(|r| r.id)
        .collect();
    assert!(!answers.is_empty(), "the statement carries a response");
    let public: Vec<_> = timeline::all(fx.store.reader(), DEMO, &Filter::default())
        .unwrap()
        .into_iter()
        .filter(|e| !private.contains(&e.record_id) && !answers.contains(&e.record_id))
        .collect();
    assert!(public.len() >= 10, "the demo has a chronology worth publishing");
    let site = site_files(&fx, Lang::En);
    let html = &site["index.html"];
    let mut at = 0;
    for e in &public {
        let title = escape_html(&e.title);
        let found = html[at..].find(&title).unwrap_or_else(|| panic!("'{}' missing or out of order", e.title));
        at += found;
    }
    assert_eq!(html.matches("<li id=\"entry-").count(), public.len());
    assert_eq!(html.matches("class=\"mark\"").count(), public.len(), "one mark on the strip per entry");
    // The article supports the entries, cited by its paragraph.
    assert!(html.contains("<a href=\"#source-1\">S1</a> (¶ 5)"), "sources are cited with their pinpoint");
    assert!(html.contains("<cite>Seed article (French): Twitter&#39;s letter to Microsoft</cite>"));
    assert!(
        html.contains("<link rel=\"stylesheet\" href=\"style.css\">")
            && html.contains("<script src=\"timeline.js\" defer>")
    );
    assert!(!html.contains("http://") || html.contains("https://"), "no address but the sources'");
    assert!(site["timeline.js"].contains("hidden"), "the script only filters");
    assert!(!site["timeline.js"].contains("innerHTML") && !site["timeline.js"].contains("fetch("));

    let fr = site_files(&fx, Lang::Fr);
    assert!(fr["index.html"].contains("<html lang=\"fr\">") && fr["index.html"].contains("Chronologie"));
    assert!(fr["index.html"].contains("une source non nommée"));
}

#[test]
fn timelinejs_has_a_slide_per_public_entry_dated_no_finer_than_the_record() {
    let mut fx = fresh();
    let c =
        case::create(&mut fx.store, &CaseInput { title: "Dates".into(), slug: "dates".into(), ..Default::default() })
            .unwrap();
    for (title, date) in [
        ("A year", "2021"),
        ("About a month", "~2022-04"),
        ("A range", "2022-02..2022-05-10"),
        ("A day", "2022-06-01"),
        ("Before", "<2022-07"),
    ] {
        crate::common::event(&mut fx.store, &c.slug, title, date);
    }
    let tl: Value = serde_json::from_str(&export::timelinejs(fx.store.reader(), "dates", Lang::En).unwrap()).unwrap();
    assert_eq!(tl["title"]["text"]["headline"], "Dates");
    let slides: HashMap<String, &Value> = tl["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["text"]["headline"].as_str().unwrap().to_string(), s))
        .collect();
    assert_eq!(slides.len(), 5);
    let year = slides["A year"];
    assert_eq!(year["start_date"], serde_json::json!({ "year": 2021 }));
    assert_eq!(year["display_date"], "2021");
    let about = slides["About a month"];
    assert_eq!(about["start_date"], serde_json::json!({ "year": 2022, "month": 4 }));
    assert_eq!(about["display_date"], "about April 2022", "the qualifier is said in words");
    let range = slides["A range"];
    assert_eq!(range["start_date"], serde_json::json!({ "year": 2022, "month": 2 }));
    assert_eq!(range["end_date"], serde_json::json!({ "year": 2022, "month": 5, "day": 10 }));
    assert_eq!(slides["A day"]["start_date"], serde_json::json!({ "year": 2022, "month": 6, "day": 1 }));
    assert!(slides["Before"]["display_date"].as_str().unwrap().starts_with("before"));
    assert!(slides.values().all(|s| s["autolink"] == false && s["unique_id"].is_string() && s["group"] == "event"));
}

#[test]
fn hostile_text_stays_inert_in_publish_exports() {
    let mut fx = fresh();
    let payload = "<script>window.__xss=1</script><img src=x onerror=alert(1)>";
    hostile_case(&mut fx.store, payload);
    let site: String = export::site(fx.store.reader(), "hostile", Lang::En, "today")
        .unwrap()
        .into_iter()
        .filter(|(name, _)| *name == "index.html")
        .map(|(_, b)| String::from_utf8(b).unwrap())
        .collect();
    let tl = export::timelinejs(fx.store.reader(), "hostile", Lang::En).unwrap();
    let tl: Value = serde_json::from_str(&tl).unwrap();
    let tl_html = format!("{} {}", tl["title"]["text"], tl["events"]);
    for (what, text) in [("site", site.as_str()), ("timelinejs", tl_html.as_str())] {
        let lower = text.to_ascii_lowercase();
        // Text is escaped, so every `<` left opens a tag: none may run script or load anything.
        for tag in lower.split('<').skip(1).map(|t| t.split('>').next().unwrap_or_default()) {
            assert!(!tag.starts_with("img") && !tag.starts_with("script>"), "{what}: <{tag}>");
            assert!(!tag.contains("onerror") && !tag.contains("javascript:"), "{what}: <{tag}>");
        }
        assert!(lower.contains("&lt;script&gt;window.__xss"), "{what}: the payload is shown as text");
    }
    assert!(site.contains("<script src=\"timeline.js\" defer></script>"), "the page's one script is its own file");
    assert_eq!(site.matches("<script").count(), 1);
}

#[test]
fn the_site_is_written_as_a_folder_and_only_as_one() {
    let mut fx = fresh();
    demo::load(&mut fx.store).unwrap();
    let dir = fx.dir.path().join("published");
    let request = ExportRequest {
        case: DEMO.into(),
        format: "site".into(),
        path: dir.clone(),
        lang: "fr".into(),
        with_files: false,
        options: Default::default(),
    };
    let report = transfer::export(&fx.store, &request).expect("site");
    let mut names: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["index.html", "style.css", "timeline.js"]);
    let total: u64 = names.iter().map(|n| std::fs::metadata(dir.join(n)).unwrap().len()).sum();
    assert_eq!(report.count, total);

    let e = transfer::export_bytes(&fx.store, DEMO, "site", "en", &Default::default()).unwrap_err();
    assert!(matches!(&e, Error::Invalid { field, .. } if field == "format"), "{e:?}");
    assert!(e.to_string().contains("output folder"), "{e}");

    let file = fx.dir.path().join("a-file");
    std::fs::write(&file, "keep me").unwrap();
    let e = transfer::export(&fx.store, &ExportRequest { path: file.clone(), ..request }).unwrap_err();
    assert!(e.to_string().contains("is a file"), "{e}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
}

#[test]
fn both_demo_cases_publish_every_entry_in_both_formats() {
    let mut fx = fresh();
    demo::load(&mut fx.store).unwrap();
    for case in ["twitter-v-microsoft", "getty-v-stability-ai"] {
        let entries = timeline::all(fx.store.reader(), case, &Filter::default()).unwrap();
        let html: String = export::site(fx.store.reader(), case, Lang::En, "2026-11-29")
            .unwrap()
            .into_iter()
            .find(|(name, _)| *name == "index.html")
            .map(|(_, b)| String::from_utf8(b).unwrap())
            .unwrap();
        let tl: Value = serde_json::from_str(&export::timelinejs(fx.store.reader(), case, Lang::Fr).unwrap()).unwrap();
        let slides = tl["events"].as_array().unwrap();
        assert_eq!(slides.len(), entries.len(), "{case}: a slide per entry");
        assert_eq!(html.matches("<li id=\"entry-").count(), entries.len(), "{case}: an entry per entry");
        for (e, slide) in entries.iter().zip(slides) {
            assert!(html.contains(&escape_html(&e.title)), "{case}: {}", e.title);
            assert_eq!(slide["unique_id"], e.id.as_str(), "{case}: slides in the chronology's order");
            assert!(slide["display_date"].as_str().is_some_and(|d| !d.is_empty()));
        }
    }
}
