//! A case in Arabic and Hebrew: what a person wrote from right to left reads from the right in the
//! timeline and the record panel, the Latin names inside it stay where the sentence puts them, and
//! the page around it keeps its own direction. Screenshots `scripts-<lang>-*.png`.

use std::path::Path;

use dossier_core::record::case::{self, CaseInput};
use dossier_core::record::event::{self, EventInput};
use dossier_core::Store;

use crate::driver::*;

const ARABIC: &str = "الشركة ترفع دعوى ضد Microsoft";
const HEBREW: &str = "החברה הגישה תביעה נגד Twitter";

/// A database holding a case whose events are titled in Arabic and Hebrew.
fn case_in_two_scripts(db: &Path) {
    let mut store = Store::open(db).expect("a new database");
    let input =
        CaseInput { title: "نزاع الشركة ضد Microsoft".into(), slug: "arabic".into(), ..Default::default() };
    case::create(&mut store, &input).expect("the case");
    for (date, title) in [("2023-04", ARABIC), ("2023-05", HEBREW), ("2023-06", "Microsoft replies")] {
        let input = EventInput { case: "arabic".into(), title: title.into(), date: date.into(), ..Default::default() };
        event::create(&mut store, &input).expect("an event");
    }
}

/// For each element `css` finds: its text, where its first and last letters stand (their left
/// edges), the right edge of its text and of its box.
const PLACES: &str = r#"
return [...document.querySelectorAll(arguments[0])].map((el) => {
  const node = [...el.childNodes].find((n) => n.nodeType === 3 && n.textContent.trim());
  if (!node) return null;
  const text = node.textContent;
  const range = document.createRange();
  range.setStart(node, 0);
  range.setEnd(node, 1);
  const first = range.getBoundingClientRect().left;
  range.setStart(node, text.length - 1);
  range.setEnd(node, text.length);
  const last = range.getBoundingClientRect().left;
  range.selectNodeContents(node);
  return [text, first, last, range.getBoundingClientRect().right, el.getBoundingClientRect().right];
}).filter(Boolean);
"#;

type Place = (String, f64, f64, f64, f64);

async fn places(app: &App, css: &str) -> Vec<Place> {
    let found = app.client.execute(PLACES, vec![serde_json::json!(css)]).await.expect("the places of the text");
    serde_json::from_value(found).expect("places")
}

#[tokio::test(flavor = "current_thread")]
async fn right_to_left_titles_read_from_the_right_in_english_and_french() {
    let home = tempfile::tempdir().expect("temp dir");
    let db = home.path().join("scripts.sqlite");
    case_in_two_scripts(&db);
    let app = App::start_with(home.path(), &[("DOSSIER_DB", db.to_str().expect("a UTF-8 path"))]).await;
    for lang in ["en", "fr"] {
        app.set_lang(lang).await;
        app.click("[data-testid=case-arabic]").await;
        app.click("[data-testid=tab-timeline]").await;
        app.wait_css("[data-testid=entry]").await;
        let titles = places(&app, "[data-testid=entry] .entry-title").await;
        for title in [ARABIC, HEBREW] {
            let (_, first, last, _, _) =
                titles.iter().find(|p| p.0 == title).unwrap_or_else(|| panic!("{title} in {titles:?}"));
            assert!(first > last, "{lang}: '{title}' reads from the right: first letter at {first}, last at {last}");
        }
        let (_, first, last, _, _) = titles.iter().find(|p| p.0 == "Microsoft replies").expect("the English title");
        assert!(first < last, "{lang}: an English title still reads from the left");
        app.shot(&format!("scripts-{lang}-timeline")).await;

        app.click_xpath(&format!("//li[@data-testid='entry']//button[contains(., '{}')]", &ARABIC[..12])).await;
        app.wait_css("[data-testid=record-panel] .panel-actions").await;
        let heading = places(&app, "[data-testid=record-panel] h2").await;
        let (_, first, last, text_right, box_right) =
            heading.iter().find(|p| p.0 == ARABIC).unwrap_or_else(|| panic!("the panel's title: {heading:?}"));
        assert!(first > last, "{lang}: the panel's title reads from the right");
        assert!((box_right - text_right).abs() < 3.0, "{lang}: and is set flush right: {text_right} in {box_right}");
        app.shot(&format!("scripts-{lang}-panel")).await;
        app.click("[data-testid=record-panel] .panel-head button").await;
        app.wait_gone("[data-testid=record-panel]").await;
    }
    app.stop().await;
}
