//! The demo case as a user first sees it, in both languages.

use fantoccini::Locator;

use crate::driver::*;

#[tokio::test(flavor = "current_thread")]
async fn demo_case_opens_on_its_timeline_in_order_in_english_and_french() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().expect("temp dir");
    let app = App::start(data.path()).await;
    app.set_lang("en").await;

    app.shot("cases-en").await;
    app.click("[data-testid=case-twitter-v-microsoft]").await;
    let rows = app.until("the demo timeline", App::timeline, |rows| rows.len() >= 16).await;
    let position = |kind: &str, part: &str| {
        rows.iter()
            .position(|(_, k, t)| k == kind && t.contains(part))
            .unwrap_or_else(|| panic!("no {kind} '{part}' in {rows:?}"))
    };
    assert_eq!(rows[0].0, "2023-02", "the free API's end opens the chronology: {rows:?}");
    assert!(rows[0].2.contains("free API"), "{rows:?}");
    let (prices, threat, letter, statement) = (
        position("event", "paid API prices"),
        position("event", "threatens to sue"),
        position("letter", "Twitter's letter"),
        position("letter", "statement to Reuters"),
    );
    assert!(prices < threat && threat < letter && letter < statement, "{rows:?}");
    let shown = app.texts("[data-testid=entry] .when").await;
    assert!(shown.iter().any(|s| s == "about April 2023"), "fuzzy dates shown as such: {shown:?}");
    assert!(shown.iter().any(|s| s == "between March and April 2023"), "{shown:?}");
    let attributions = app.texts("[data-testid=attribution]").await;
    assert!(attributions.iter().any(|a| a.contains("reported by New York Times")), "{attributions:?}");
    app.shot("timeline-en").await;

    app.set_lang("fr").await;
    let shown = app
        .until(
            "French dates",
            async |a: &App| a.texts("[data-testid=entry] .when").await,
            |s| s.iter().any(|d| d == "vers avril 2023"),
        )
        .await;
    assert!(shown.iter().any(|s| s == "février 2023"), "{shown:?}");
    app.shot("timeline-fr").await;
    app.click("[data-testid=case-twitter-v-microsoft]").await;
    app.shot("cases-fr").await;

    app.click("[data-testid=tab-correspondence]").await;
    let depths = app
        .until(
            "the letter thread",
            async |a: &App| {
                let mut d = Vec::new();
                for e in a.client.find_all(Locator::Css("[data-testid=thread-letter]")).await.unwrap_or_default() {
                    d.push(e.attr("data-depth").await.ok().flatten().unwrap_or_default());
                }
                d
            },
            |d| d.len() == 2,
        )
        .await;
    assert_eq!(depths, ["0", "1"], "Microsoft's statement sits under the letter it answers");
    app.shot("correspondence-fr").await;
    app.set_lang("en").await;
    app.shot("correspondence-en").await;

    app.click("[data-testid=tab-allegations]").await;
    app.wait_css("[data-testid=allegation-thread] [data-testid=response]").await;
    app.shot("allegations-en").await;
    app.set_lang("fr").await;
    app.shot("allegations-fr").await;

    app.click("[data-testid=tab-evidence]").await;
    let sha = app.wait_css("[data-testid=sha256]").await.text().await.expect("text");
    assert!(
        sha.contains("196b5b06a2f29a6edcf5dbd5105ac2a25fdecd2737fd36c5ddbb1d7153171ca1"),
        "the article's hash: {sha}"
    );
    app.shot("evidence-fr").await;
    app.set_lang("en").await;
    app.shot("evidence-en").await;

    app.click("[data-testid=tab-overview]").await;
    app.wait_css("[data-testid=overview]").await;
    app.shot("overview-en").await;
    app.stop().await;
}
