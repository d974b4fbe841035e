//! End to end: the built desktop app driven through tauri-driver and WebKitWebDriver, as a user works
//! it. Needs a display (scripts/test runs the suite under Xvfb); without one these tests fail, they do
//! not skip. Screenshots of every main view, in English and French, go to tests/e2e/screenshots/.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use tokio::process::{Child, Command};

/// One app at a time: they share the display and the screenshot folder.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const WAIT: Duration = Duration::from_secs(20);

fn app_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("DOSSIER_APP_BIN") {
        return PathBuf::from(path);
    }
    // CARGO_TARGET_TMPDIR is <target>/tmp; the app is built into <target>/debug.
    Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("target dir").join("debug").join("dossier-app")
}

fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    dir
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// A running app: tauri-driver (which starts WebKitWebDriver, which starts the app) and a session.
struct App {
    driver: Child,
    client: Client,
}

impl App {
    async fn start(data_home: &Path) -> App {
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "no display: the desktop tests need one (scripts/test runs them under xvfb-run)"
        );
        let binary = app_binary();
        assert!(binary.exists(), "{} is missing: build it first (scripts/test does)", binary.display());
        let (port, native) = (free_port(), free_port());
        let driver = Command::new("tauri-driver")
            .args(["--port", &port.to_string(), "--native-port", &native.to_string()])
            .env("XDG_DATA_HOME", data_home)
            .env_remove("DOSSIER_DB")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("tauri-driver is not installed (cargo install tauri-driver --locked)");
        wait_ready(native).await;
        let mut caps = serde_json::Map::new();
        caps.insert("tauri:options".into(), serde_json::json!({ "application": binary }));
        let mut client = None;
        for _ in 0..50 {
            match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(c) => {
                    client = Some(c);
                    break;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        }
        let client = client.expect("a WebDriver session with the app");
        let app = App { driver, client };
        app.wait_css("[data-testid=new-case]").await;
        app
    }

    async fn stop(self) {
        let _ = self.client.clone().close().await;
        // Dropping stops tauri-driver (see `Drop`).
    }

    async fn wait_css(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element '{css}': {e}"))
    }

    /// Brings an element into the middle of its scrolling box, as a user scrolls to it before acting.
    async fn reveal(&self, element: &Element) {
        let arg = serde_json::to_value(element).expect("element reference");
        let _ = self.client.execute("arguments[0].scrollIntoView({block: 'center'});", vec![arg]).await;
    }

    async fn click(&self, css: &str) {
        let element = self.wait_css(css).await;
        self.reveal(&element).await;
        element.click().await.unwrap_or_else(|e| panic!("click '{css}': {e}"));
    }

    async fn type_into(&self, css: &str, text: &str) {
        let field = self.wait_css(css).await;
        self.reveal(&field).await;
        field.clear().await.expect("clear");
        field.send_keys(text).await.expect("type");
    }

    async fn choose(&self, field: &str, label: &str) {
        let select = self.wait_css(&format!("#f-{field}")).await;
        self.reveal(&select).await;
        select.select_by_label(label).await.unwrap_or_else(|e| panic!("choose '{label}' in {field}: {e}"));
    }

    async fn tick(&self, field: &str, label: &str) {
        let xpath = format!("//div[@data-field='{field}']//label[contains(., \"{label}\")]/input");
        let checkbox = self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("no '{label}' in {field}: {e}"));
        self.reveal(&checkbox).await;
        checkbox.click().await.expect("tick");
    }

    async fn save_form(&self) {
        self.click("[data-testid=save]").await;
        self.wait_gone("[data-testid=record-form]").await;
    }

    async fn wait_gone(&self, css: &str) {
        for _ in 0..100 {
            if self.client.find(Locator::Css(css)).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let error = match self.client.find(Locator::Css("[data-testid=form-error], [data-testid=field-error]")).await {
            Ok(e) => e.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        panic!("'{css}' is still shown {error}");
    }

    /// Waits until `read` gives a value that `ok` accepts, and returns it.
    async fn until<T: std::fmt::Debug>(&self, what: &str, read: impl AsyncFn(&App) -> T, ok: impl Fn(&T) -> bool) -> T {
        let mut last = read(self).await;
        for _ in 0..100 {
            if ok(&last) {
                return last;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
            last = read(self).await;
        }
        panic!("{what}: last seen {last:?}");
    }

    /// The timeline as (data-date, kind, title) rows.
    async fn timeline(&self) -> Vec<(String, String, String)> {
        let mut rows = Vec::new();
        for entry in self.client.find_all(Locator::Css("[data-testid=entry]")).await.unwrap_or_default() {
            let date = entry.attr("data-date").await.ok().flatten().unwrap_or_default();
            let kind = entry.attr("data-kind").await.ok().flatten().unwrap_or_default();
            let title = match entry.find(Locator::Css(".entry-title")).await {
                Ok(t) => t.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            rows.push((date, kind, title));
        }
        rows
    }

    async fn texts(&self, css: &str) -> Vec<String> {
        let mut out = Vec::new();
        for e in self.client.find_all(Locator::Css(css)).await.unwrap_or_default() {
            out.push(e.text().await.unwrap_or_default());
        }
        out
    }

    async fn set_lang(&self, lang: &str) {
        self.wait_css("[data-testid=lang]").await.select_by_value(lang).await.expect("language");
        tokio::time::sleep(Duration::from_millis(400)).await;
    }

    async fn shot(&self, name: &str) {
        tokio::time::sleep(Duration::from_millis(400)).await;
        let png = self.client.screenshot().await.expect("screenshot");
        assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000, "screenshot {name} is not a real picture");
        std::fs::write(screenshot_dir().join(format!("{name}.png")), png).expect("write screenshot");
    }
}

impl Drop for App {
    /// Stops tauri-driver with SIGTERM, which lets it stop WebKitWebDriver and the app too (SIGKILL
    /// would orphan them), also when a test fails half-way.
    fn drop(&mut self) {
        if let Some(pid) = self.driver.id() {
            let _ = std::process::Command::new("kill").args(["-TERM", &pid.to_string()]).status();
            for _ in 0..50 {
                if matches!(self.driver.try_wait(), Ok(Some(_))) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            let _ = self.driver.start_kill();
        }
    }
}

async fn wait_ready(native_port: u16) {
    for _ in 0..100 {
        if let Ok(mut stream) = tokio::net::TcpStream::connect(("127.0.0.1", native_port)).await {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let request = format!("GET /status HTTP/1.1\r\nHost: 127.0.0.1:{native_port}\r\nConnection: close\r\n\r\n");
            if stream.write_all(request.as_bytes()).await.is_ok() {
                let mut body = String::new();
                let _ = stream.read_to_string(&mut body).await;
                if body.contains("\"ready\":true") || body.contains("\"ready\": true") {
                    return;
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("WebKitWebDriver did not become ready on port {native_port}");
}

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

#[tokio::test(flavor = "current_thread")]
async fn a_new_case_is_recorded_through_the_forms_and_survives_a_restart() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().expect("temp dir");
    let app = App::start(data.path()).await;
    app.set_lang("en").await;

    app.click("[data-testid=new-case]").await;
    app.type_into("#f-title", "Acme v. Widget").await;
    app.save_form().await;
    app.wait_css("[data-testid=case-acme-v-widget]").await;

    app.click("[data-testid=tab-parties]").await;
    for name in ["Acme Corp.", "Widget Ltd"] {
        app.click("[data-testid=new-party]").await;
        app.type_into("#f-name", name).await;
        app.choose("kind", "organisation").await;
        app.save_form().await;
    }

    // An impossible date is refused beside the date field, and nothing is saved.
    app.click("[data-testid=tab-correspondence]").await;
    app.click("[data-testid=new-letter]").await;
    app.choose("sender", "Acme Corp.").await;
    app.tick("to", "Widget Ltd").await;
    app.type_into("#f-subject", "Demand for audit").await;
    app.type_into("#f-date", "2024-02-30").await;
    let understood = app
        .until(
            "the live date check",
            async |a: &App| a.texts("[data-field=date] [data-testid=date-understood]").await,
            |t| t.first().is_some_and(|s| s.contains("2024-02-30")),
        )
        .await;
    assert!(understood[0].contains("does not exist"), "{understood:?}");
    app.click("[data-testid=save]").await;
    let beside = app.wait_css("[data-field=date] [data-testid=field-error]").await.text().await.expect("text");
    assert!(beside.contains("2024-02-30"), "the error names the date, beside the field: {beside}");
    app.shot("form-error-en").await;
    app.click("[data-testid=cancel]").await;
    app.wait_gone("[data-testid=record-form]").await;
    app.set_lang("fr").await;
    app.click("[data-testid=new-letter]").await;
    app.choose("sender", "Acme Corp.").await;
    app.type_into("#f-subject", "Mise en demeure").await;
    app.type_into("#f-date", "2024-02-30").await;
    app.click("[data-testid=save]").await;
    app.wait_css("[data-field=date] [data-testid=field-error]").await;
    app.shot("form-error-fr").await;
    app.click("[data-testid=cancel]").await;
    app.wait_gone("[data-testid=record-form]").await;
    app.set_lang("en").await;

    app.click("[data-testid=new-letter]").await;
    app.choose("sender", "Acme Corp.").await;
    app.tick("to", "Widget Ltd").await;
    app.type_into("#f-subject", "Demand for audit").await;
    app.type_into("#f-date", "2024-03-04").await;
    app.type_into("#f-deadline", "2024-03-18").await;
    app.save_form().await;

    app.click("[data-testid=tab-allegations]").await;
    app.click("[data-testid=new-allegation]").await;
    app.choose("made_by", "Acme Corp.").await;
    app.choose("against", "Widget Ltd").await;
    app.type_into("#f-summary", "Widget exceeded the licensed volume").await;
    app.choose("raised_in", "Letter: Demand for audit").await;
    app.choose("reported_by", "Acme Corp.").await;
    app.save_form().await;

    app.click("[data-testid=add-response]").await;
    app.choose("stance", "denies").await;
    app.type_into("#f-date", "2024-03-15").await;
    app.type_into("#f-text", "Widget denies exceeding the volume.").await;
    app.save_form().await;
    let thread = app
        .until(
            "the response in the allegation's thread",
            async |a: &App| a.texts(".allegations [data-testid=response]").await,
            |r| !r.is_empty(),
        )
        .await;
    assert!(thread[0].contains("Widget Ltd") && thread[0].contains("denies"), "{thread:?}");

    app.click("[data-testid=tab-evidence]").await;
    let file = data.path().join("audit-letter.txt");
    std::fs::write(&file, b"hello\n").expect("write");
    app.click("[data-testid=attach-file]").await;
    app.type_into("#f-path", file.to_str().expect("path")).await;
    app.save_form().await;
    let sha = app.wait_css("[data-testid=sha256]").await.text().await.expect("text");
    assert!(sha.contains("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"), "{sha}");

    app.click("[data-testid=tab-timeline]").await;
    let expected = [
        ("2024-03-04", "letter", "Demand for audit"),
        ("2024-03-04", "allegation", "Widget exceeded the licensed volume"),
        ("2024-03-15", "response", "Widget denies exceeding the volume."),
        ("2024-03-18", "deadline", "Demand for audit"),
    ];
    let same = |rows: &Vec<(String, String, String)>| {
        rows.len() == expected.len() && rows.iter().zip(expected).all(|(r, e)| r.0 == e.0 && r.1 == e.1 && r.2 == e.2)
    };
    app.until("the new case's timeline", App::timeline, same).await;
    app.shot("new-case-timeline-en").await;
    app.stop().await;

    // Everything is still there after a restart on the same data.
    let app = App::start(data.path()).await;
    app.click("[data-testid=case-acme-v-widget]").await;
    app.until("the timeline after a restart", App::timeline, same).await;
    app.click("[data-testid=tab-evidence]").await;
    let sha = app.wait_css("[data-testid=sha256]").await.text().await.expect("text");
    assert!(sha.contains("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"), "{sha}");
    app.stop().await;
}

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
        app.type_into("#f-path", path.to_str().expect("path")).await;
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
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
    app.click("[data-testid=import]").await;
    app.type_into("#f-path", fixtures.join("thread-1.eml").to_str().expect("path")).await;
    app.save_form().await;
    let notice = app.wait_css("[data-testid=notice]").await.text().await.expect("notice");
    assert!(notice.contains("1 record imported"), "one record, said in the singular: {notice}");
    app.click("[data-testid=tab-correspondence]").await;
    let subjects = app
        .until(
            "the imported letter",
            async |a: &App| a.texts("[data-testid=thread-letter] .entry-title").await,
            |s| s.len() == 3,
        )
        .await;
    assert_eq!(subjects.len(), 3, "{subjects:?}");

    // Importing the bundle of a case that exists is refused, explicitly; with merge it adds nothing twice.
    app.click("[data-testid=import]").await;
    app.type_into("#f-path", out.join("bundle.json").to_str().expect("path")).await;
    app.click("[data-testid=save]").await;
    let refusal = app.wait_css("[data-testid=form-error]").await.text().await.expect("text");
    assert!(refusal.contains("already exists"), "{refusal}");
    app.click("#f-merge").await;
    app.save_form().await;
    let notice = app.wait_css("[data-testid=notice]").await.text().await.expect("notice");
    assert!(notice.contains("0 records imported"), "a merge of what is there adds nothing: {notice}");
    app.stop().await;

    // The HTML report, opened in a real browser engine (WebKit's MiniBrowser), looks like a document.
    shoot_report(&report).await;
}

/// Opens an HTML file in WebKit's MiniBrowser through WebKitWebDriver and keeps a screenshot.
async fn shoot_report(report: &Path) {
    let browser = ["/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser", "/usr/libexec/webkit2gtk-4.1/MiniBrowser"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("WebKit's MiniBrowser (package libwebkit2gtk-4.1-0)");
    let port = free_port();
    let mut driver = Command::new("WebKitWebDriver")
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
    client.goto(&format!("file://{}", report.display())).await.expect("open the report");
    let title = client.find(Locator::Css("h1")).await.expect("a title").text().await.expect("text");
    assert!(title.contains("Twitter v. Microsoft"), "{title}");
    let toc = client.find_all(Locator::Css("nav#contents a[href^='#']")).await.unwrap_or_default();
    assert!(toc.len() >= 5, "a table of contents with links to each section");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let png = client.screenshot().await.expect("screenshot");
    assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000);
    std::fs::write(screenshot_dir().join("report-html.png"), png).expect("write");
    let _ = client.close().await;
    let _ = driver.kill().await;
}
