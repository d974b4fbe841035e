//! Driving the built app: tauri-driver (which starts WebKitWebDriver, which starts the app), a
//! WebDriver session, and the few things a test does with it (click, type, wait, read, screenshot).

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use tokio::process::{Child, Command};
use tokio::sync::{Mutex, MutexGuard};

/// One app at a time: they share the display and the screenshot folder.
pub static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub const WAIT: Duration = Duration::from_secs(20);

pub fn app_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("DOSSIER_APP_BIN") {
        return PathBuf::from(path);
    }
    // CARGO_TARGET_TMPDIR is <target>/tmp; the app is built into <target>/debug.
    Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("target dir").join("debug").join("dossier-app")
}

/// Keeps a screenshot as `tests/e2e/screenshots/<name>.png`, once it is seen to be a real picture.
pub fn keep_screenshot(name: &str, png: &[u8]) {
    assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000, "screenshot {name} is not a real picture");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
}

/// The files the CLI and e2e tests import (`tests/fixtures`).
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures").canonicalize().expect("tests/fixtures")
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// One app on the display at a time: a screenshot captures the whole (Xvfb) display, so another
/// test's window starting, resizing or closing meanwhile would be in it, or blank it.
static DISPLAY: Mutex<()> = Mutex::const_new(());

/// The display, for a test's window alone until the guard drops (an async lock: it is held across
/// the test's awaits, and each test has a runtime of its own).
pub async fn display() -> MutexGuard<'static, ()> {
    DISPLAY.lock().await
}

/// A running app: tauri-driver (which starts WebKitWebDriver, which starts the app) and a session,
/// and the display, held until the app has stopped.
pub struct App {
    driver: Child,
    pub client: Client,
    _display: MutexGuard<'static, ()>,
}

impl App {
    /// Starts the app on the database in `data_home` and waits for the case list.
    pub async fn start(data_home: &Path) -> App {
        App::launch(data_home, "[data-testid=new-case]", &[]).await
    }

    /// Starts the app with these environment variables set (a smaller reading budget), and waits for
    /// the case list.
    pub async fn start_with(data_home: &Path, env: &[(&str, &str)]) -> App {
        App::launch(data_home, "[data-testid=new-case]", env).await
    }

    /// Starts the app on an encrypted database and waits for its unlock screen.
    pub async fn start_locked(data_home: &Path) -> App {
        App::launch(data_home, "[data-testid=unlock]", &[]).await
    }

    async fn launch(data_home: &Path, ready: &str, env: &[(&str, &str)]) -> App {
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "no display: the desktop tests need one (scripts/test runs them under xvfb-run)"
        );
        let binary = app_binary();
        assert!(binary.exists(), "{} is missing: build it first (scripts/test does)", binary.display());
        let display = display().await;
        let (port, native) = (free_port(), free_port());
        let driver = Command::new("tauri-driver")
            .args(["--port", &port.to_string(), "--native-port", &native.to_string()])
            .env("XDG_DATA_HOME", data_home)
            // The shell admits paths from its dialogs and drops only, which WebDriver cannot drive:
            // the test's own folder and the fixtures stand for files the user chose.
            .env("DOSSIER_ALLOWED_DIRS", std::env::join_paths([data_home, &fixtures()]).expect("paths"))
            .env_remove("DOSSIER_DB")
            .envs(env.iter().copied())
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
        let app = App { driver, client, _display: display };
        app.wait_css(ready).await;
        app
    }

    pub async fn stop(self) {
        let _ = self.client.clone().close().await;
        // Dropping stops tauri-driver (see `Drop`).
    }

    pub async fn wait_css(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element '{css}': {e}"))
    }

    /// Brings an element into the middle of its scrolling box, as a user scrolls to it before acting.
    pub async fn reveal(&self, element: &Element) {
        let arg = serde_json::to_value(element).expect("element reference");
        let _ = self.client.execute("arguments[0].scrollIntoView({block: 'center'});", vec![arg]).await;
    }

    pub async fn click(&self, css: &str) {
        let element = self.wait_css(css).await;
        self.reveal(&element).await;
        element.click().await.unwrap_or_else(|e| panic!("click '{css}': {e}"));
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let field = self.wait_css(css).await;
        self.reveal(&field).await;
        field.clear().await.expect("clear");
        field.send_keys(text).await.expect("type");
    }

    /// Puts a path in a read-only file field, as its Browse… dialog would.
    pub async fn set_path(&self, css: &str, path: &Path) {
        let field = self.wait_css(css).await;
        let arg = serde_json::to_value(&field).expect("element reference");
        self.client
            .execute(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', { bubbles: true }));",
                vec![arg, serde_json::Value::from(path.to_string_lossy().into_owned())],
            )
            .await
            .unwrap_or_else(|e| panic!("set '{css}': {e}"));
    }

    pub async fn choose(&self, field: &str, label: &str) {
        let select = self.wait_css(&format!("#f-{field}")).await;
        self.reveal(&select).await;
        select.select_by_label(label).await.unwrap_or_else(|e| panic!("choose '{label}' in {field}: {e}"));
    }

    /// Clicks the first element `xpath` finds, as a user does after scrolling to it.
    pub async fn click_xpath(&self, xpath: &str) {
        let element = self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(xpath))
            .await
            .unwrap_or_else(|e| panic!("no element '{xpath}': {e}"));
        self.reveal(&element).await;
        element.click().await.unwrap_or_else(|e| panic!("click '{xpath}': {e}"));
    }

    /// Finds a record in a picker by typing `search`, then chooses the line labelled `label`.
    pub async fn pick(&self, field: &str, search: &str, label: &str) {
        self.type_into(&format!("#f-{field}"), search).await;
        self.click_xpath(&format!(
            "//div[@data-field='{field}']//button[@data-testid='picker-choice'][@title=\"{label}\"]"
        ))
        .await;
    }

    pub async fn tick(&self, field: &str, label: &str) {
        self.click_xpath(&format!("//div[@data-field='{field}']//label[contains(., \"{label}\")]/input")).await;
    }

    pub async fn save_form(&self) {
        self.click("[data-testid=save]").await;
        self.wait_gone("[data-testid=record-form]").await;
    }

    pub async fn wait_gone(&self, css: &str) {
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
    pub async fn until<T: std::fmt::Debug>(
        &self,
        what: &str,
        read: impl AsyncFn(&App) -> T,
        ok: impl Fn(&T) -> bool,
    ) -> T {
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

    /// The whole timeline as (data-date, kind, title) rows. The list is windowed (only the rows in
    /// view are in the page), so it is read as a user reads it: from the top, a screen at a time.
    pub async fn timeline(&self) -> Vec<(String, String, String)> {
        let rows = self
            .client
            .execute_async(
                "const done = arguments[0];
                 const v = document.querySelector('[data-testid=entries-viewport]');
                 if (!v) { done([]); return; }
                 const seen = new Map();
                 v.scrollTop = 0;
                 const collect = () => {
                   if (document.querySelectorAll('.entry.loading').length > 0) { setTimeout(collect, 30); return; }
                   for (const e of document.querySelectorAll('[data-testid=entry]')) {
                     const title = e.querySelector('.entry-title');
                     seen.set(Number(e.dataset.index), [e.dataset.date, e.dataset.kind, title ? title.textContent : '']);
                   }
                   if (v.scrollTop + v.clientHeight >= v.scrollHeight - 1) {
                     v.scrollTop = 0;
                     done([...seen.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]));
                     return;
                   }
                   v.scrollTop += v.clientHeight;
                   setTimeout(collect, 60);
                 };
                 setTimeout(collect, 60);",
                vec![],
            )
            .await
            .unwrap_or_default();
        let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
        rows.as_array()
            .map(|list| {
                list.iter().filter_map(|r| r.as_array().map(|r| (text(&r[0]), text(&r[1]), text(&r[2])))).collect()
            })
            .unwrap_or_default()
    }

    pub async fn texts(&self, css: &str) -> Vec<String> {
        let mut out = Vec::new();
        for e in self.client.find_all(Locator::Css(css)).await.unwrap_or_default() {
            out.push(e.text().await.unwrap_or_default());
        }
        out
    }

    pub async fn set_lang(&self, lang: &str) {
        self.wait_css("[data-testid=lang]").await.select_by_value(lang).await.expect("language");
        tokio::time::sleep(Duration::from_millis(400)).await;
    }

    /// Saves what the screen shows, read from the X display as a user sees it. Not WebDriver's
    /// screenshot: on a page WebKit paints without its compositor (as Dossier's is), WebKitWebDriver's
    /// screenshot can go unanswered once the page has nothing more to paint (the demo test waited
    /// without end on its correspondence, though a script run just before it was answered).
    pub async fn shot(&self, name: &str) {
        tokio::time::sleep(Duration::from_millis(400)).await;
        let out = Command::new("import")
            .args(["-window", "root", "png:-"])
            .output()
            .await
            .expect("ImageMagick's import (scripts/setup.sh installs it)");
        assert!(out.status.success(), "import: {}", String::from_utf8_lossy(&out.stderr));
        keep_screenshot(name, &out.stdout);
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

pub async fn wait_ready(native_port: u16) {
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
