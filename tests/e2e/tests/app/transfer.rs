//! Search, export and import from the app.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use fantoccini::{ClientBuilder, Locator};

use tokio::process::Command;

use crate::driver::*;

#[tokio::test(flavor = "current_thread")]
async fn search_export_and_import_work_from_the_app() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().expect("temp dir");
    let out = data.path().join("out");
    std::fs::create_dir_all(&out).expect("out dir");
    let app = App::start(data.path()).await;
    app.set_lang("en").await;

    // Search: accents and case folded, results grouped by case and kind, a hit opens its record.
    app.type_into("[data-testid=search]", "REDEVANCE").await;
    let groups = app
        .until("search results", async |a: &App| a.texts("[data-testid=hit-group] h3").await, |g| !g.is_empty())
        .await;
    // The headings are styled in capitals, which WebDriver reports as shown.
    let groups: Vec<String> = groups.iter().map(|g| g.to_lowercase()).collect();
    assert!(groups.iter().any(|g| g.starts_with("twitter v. microsoft") && g.ends_with("allegation")), "{groups:?}");
    let marked = app.texts("[data-testid=hit] .snippet mark").await;
    assert!(marked.iter().any(|m| m.eq_ignore_ascii_case("redevance")), "matched word highlighted: {marked:?}");
    app.shot("search-en").await;
    app.click("[data-testid=hit]").await;
    app.wait_css("[data-testid=record-panel]").await;

    // Export the HTML report and the JSON bundle through the Export form.
    let report = out.join("twitter-v-microsoft.html");
    for (format, path) in [("html", report.clone()), ("json", out.join("bundle.json"))] {
        app.click("[data-testid=export]").await;
        app.wait_css("#f-format").await.select_by_value(format).await.expect("format");
        app.set_path("#f-path", &path).await;
        app.save_form().await;
        let notice = app.wait_css("[data-testid=notice]").await.text().await.expect("notice");
        assert!(notice.contains(path.to_str().expect("path")), "{notice}");
    }
    let html = std::fs::read_to_string(&report).expect("the report was written");
    assert!(
        html.contains("Twitter v. Microsoft")
            && html.contains("196b5b06a2f29a6edcf5dbd5105ac2a25fdecd2737fd36c5ddbb1d7153171ca1")
    );
    assert!(!html.contains("<script"), "the report carries no script");

    // Import an e-mail into the case: it lands in the correspondence.
    let fixtures = fixtures();
    app.click("[data-testid=import]").await;
    app.set_path("#f-path", &fixtures.join("thread-1.eml")).await;
    app.save_form().await;
    let notice = app.wait_css("[data-testid=notice]").await.text().await.expect("notice");
    // The sender's display name is the demo's Twitter, but its address is no party's: a new party,
    // and the notice says why (a display name never picks an existing party).
    assert!(
        notice.contains("4 records imported"),
        "the letter, two new parties and the message kept as evidence: {notice}"
    );
    assert!(
        notice.contains("'Twitter' is the name of a party, but not one with the address <legal@twitter.example>"),
        "{notice}"
    );
    app.click("[data-testid=tab-correspondence]").await;
    let subjects = app
        .until(
            "the imported letter",
            async |a: &App| a.texts("[data-testid=thread-letter] .entry-title").await,
            |s| s.len() == 3,
        )
        .await;
    assert_eq!(subjects.len(), 3, "{subjects:?}");

    // A path the user never chose (a compromised page could name any) is refused by the shell.
    app.click("[data-testid=import]").await;
    app.set_path("#f-path", Path::new("/etc/passwd")).await;
    app.wait_css("#f-format").await.select_by_value("csv").await.expect("format");
    app.click("[data-testid=save]").await;
    let refusal = app.wait_css("[data-testid=field-error], [data-testid=form-error]").await.text().await.expect("text");
    assert!(refusal.contains("was not chosen in a file dialog"), "{refusal}");
    assert!(!refusal.contains("root"), "nothing of the file is quoted back: {refusal}");
    app.click("[data-testid=cancel]").await;

    // Importing the bundle of a case that exists is refused, explicitly; with merge it adds nothing twice.
    app.click("[data-testid=import]").await;
    app.set_path("#f-path", &out.join("bundle.json")).await;
    app.click("[data-testid=save]").await;
    let refusal = app.wait_css("[data-testid=form-error]").await.text().await.expect("text");
    assert!(refusal.contains("already exists"), "{refusal}");
    app.click("#f-merge").await;
    app.save_form().await;
    let notice = app.wait_css("[data-testid=notice]").await.text().await.expect("notice");
    assert!(notice.contains("0 records imported"), "a merge of what is there adds nothing: {notice}");

    // Mark an event private from its panel, then publish the site: the event is not in it.
    app.click("[data-testid=tab-timeline]").await;
    let threat_row = Locator::XPath("//li[@data-testid='entry'][.//span[contains(., 'threatens to sue')]]//button");
    let threat = app
        .client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(threat_row)
        .await
        .expect("the threat in the timeline");
    app.reveal(&threat).await;
    // The list reuses its rows as it scrolls: the row that holds the threat is found again once it has.
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.client.find(threat_row).await.expect("the threat, in view").click().await.expect("open the threat");
    app.click("[data-testid=record-private]").await;
    app.until(
        "the record saved as private",
        async |a: &App| {
            a.client.execute("return document.querySelector('[data-testid=record-private]').checked", vec![]).await.ok()
        },
        |checked| checked.as_ref().and_then(|v| v.as_bool()) == Some(true),
    )
    .await;
    app.until(
        "the private badge in the timeline",
        async |a: &App| a.texts("[data-testid=private-badge]").await,
        |b| b.len() == 1,
    )
    .await;
    app.shot("private-panel-en").await;
    app.set_lang("fr").await;
    app.shot("private-panel-fr").await;
    app.set_lang("en").await;
    let site = out.join("published");
    app.click("[data-testid=export]").await;
    app.wait_css("#f-format").await.select_by_value("site").await.expect("format");
    app.set_path("#f-path", &site).await;
    app.save_form().await;
    app.wait_css("[data-testid=notice]").await;
    let index = std::fs::read_to_string(site.join("index.html")).expect("the site was written");
    assert!(index.contains("Twitter ends its free API"), "the public chronology is published");
    assert!(!index.contains("threatens to sue"), "the private event is not");
    app.stop().await;

    // The HTML report and the published site, opened in a real browser engine (WebKit's
    // MiniBrowser), look like documents; the site's own script runs from file:// and filters.
    // The browser's window is the display's alone, as the app's was.
    let _display = display().await;
    shoot_report(&report).await;
    shoot_site(&site.join("index.html")).await;
}

/// WebKit's MiniBrowser under WebKitWebDriver, at a document's size; the driver goes with it.
async fn mini_browser() -> (fantoccini::Client, tokio::process::Child) {
    let browser = ["/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser", "/usr/libexec/webkit2gtk-4.1/MiniBrowser"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("WebKit's MiniBrowser (package libwebkit2gtk-4.1-0)");
    let port = free_port();
    let driver = Command::new("WebKitWebDriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("WebKitWebDriver (package webkit2gtk-driver)");
    wait_ready(port).await;
    let mut caps = serde_json::Map::new();
    caps.insert("webkitgtk:browserOptions".into(), serde_json::json!({ "binary": browser, "args": ["--automation"] }));
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a MiniBrowser session");
    let _ = client.set_window_size(1000, 1300).await;
    (client, driver)
}

/// Opens the HTML report and keeps a screenshot.
async fn shoot_report(report: &Path) {
    let (client, mut driver) = mini_browser().await;
    client.goto(&format!("file://{}", report.display())).await.expect("open the report");
    let title = client.find(Locator::Css("h1")).await.expect("a title").text().await.expect("text");
    assert!(title.contains("Twitter v. Microsoft"), "{title}");
    let toc = client.find_all(Locator::Css("nav#contents a[href^='#']")).await.unwrap_or_default();
    assert!(toc.len() >= 5, "a table of contents with links to each section");
    tokio::time::sleep(Duration::from_millis(300)).await;
    keep_screenshot("report-html", &client.screenshot().await.expect("screenshot"));
    let _ = client.close().await;
    let _ = driver.kill().await;
}

/// Opens the published site from file://: its script shows the filters and filters the chronology;
/// keeps a screenshot.
async fn shoot_site(index: &Path) {
    let (client, mut driver) = mini_browser().await;
    client.goto(&format!("file://{}", index.display())).await.expect("open the site");
    let entries = client.find_all(Locator::Css("li.entry")).await.expect("entries").len();
    assert!(entries >= 10, "{entries} entries");
    let marks = client.find_all(Locator::Css(".strip .mark")).await.expect("marks").len();
    assert_eq!(marks, entries, "one mark on the strip per entry");
    // The filters are hidden until the script runs: visible means the page's own script ran.
    let form =
        client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("form#filters:not([hidden])")).await;
    let form = form.expect("the site's script ran from file:// (its CSP allows its own script)");
    tokio::time::sleep(Duration::from_millis(300)).await;
    keep_screenshot("site", &client.screenshot().await.expect("screenshot"));
    let words = form.find(Locator::Css("input[name=words]")).await.expect("the word filter");
    words.send_keys("Reuters").await.expect("type");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let shown: Vec<bool> = {
        let mut v = Vec::new();
        for e in client.find_all(Locator::Css("li.entry")).await.expect("entries") {
            v.push(e.is_displayed().await.unwrap_or(false));
        }
        v
    };
    let visible = shown.iter().filter(|s| **s).count();
    assert!(visible >= 1 && visible < entries, "filtering by a word leaves {visible} of {entries}");
    let _ = client.close().await;
    let _ = driver.kill().await;
}
