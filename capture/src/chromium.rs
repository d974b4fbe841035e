//! A screenshot of the whole page by Debian's headless Chromium. Chromium's own `--screenshot` takes
//! the window only, so Chromium is driven through the DevTools protocol instead, over the pipe it
//! opens with `--remote-debugging-pipe` (file descriptors 3 and 4, each message JSON ended by a NUL
//! byte: no port, no WebSocket): the page is loaded in a 1280 px wide view, its laid-out height is
//! read (`Page.getLayoutMetrics`, `cssContentSize`), the view is made that high, and
//! `Page.captureScreenshot` with `captureBeyondViewport` draws the whole of it — what Puppeteer's and
//! Playwright's full-page screenshots do. A page higher than [`MAX_HEIGHT`] is cut there, and the note
//! says so. Chromium loads the page itself (it was fetched once already, for the WARC), which the note
//! says too.
//!
//! Chromium runs as the probe of this project's machines runs it: headless, without sandbox (it runs
//! as root in CI), without GPU, background networking, component updates, sync or first-run, in a
//! fresh profile folder removed after; killed when its time is up. The page is loaded in a browser
//! context made over the protocol, which keeps its cache and cookies in memory, and the profile folder
//! is made in `$XDG_RUNTIME_DIR` (memory, on a desktop) where there is one: what Chromium loads does
//! not land on disk, which matters when the database is encrypted.

use std::io::{BufRead, BufReader, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};

/// The width the page is laid out at, in CSS pixels.
pub const WIDTH: u32 = 1280;
/// The highest screenshot taken, in CSS pixels (a longer page is cut there): Chromium draws larger
/// pictures in tiles, but a PNG of 1280 × 16,384 is already 80 MiB of pixels to encode.
pub const MAX_HEIGHT: u32 = 16_384;

/// Where Debian's Chromium is, unless `DOSSIER_CHROMIUM` names another.
pub fn program() -> PathBuf {
    std::env::var_os("DOSSIER_CHROMIUM").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// A screenshot taken.
#[derive(Debug, Clone)]
pub struct Shot {
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// The page's own height, when it was higher than the screenshot.
    pub cut_from: Option<u32>,
    /// Chromium's name and version, as it says them (`HeadlessChrome/156.0.8078.73`).
    pub browser: String,
    /// Whether the page had finished loading (its `load` event) when it was drawn.
    pub loaded: bool,
}

/// Takes a full-page screenshot of `url` with the Chromium at `program`, within `budget`.
pub fn screenshot(program: &Path, url: &str, budget: Duration) -> Result<Shot, String> {
    let profile = profile_folder().map_err(|e| format!("a profile folder: {e}"))?;
    let (mut child, mut to, from) = start(program, profile.path())?;
    let deadline = Instant::now() + budget;
    let mut session = Session { to: &mut to, from, next: 0, events: Vec::new(), deadline };
    let shot = session.shoot(url);
    let _ = session.call(None, "Browser.close", json!({}));
    stop(&mut child, Duration::from_secs(5));
    shot
}

/// A fresh folder for Chromium's profile, in `$XDG_RUNTIME_DIR` when there is one.
fn profile_folder() -> std::io::Result<tempfile::TempDir> {
    let mut builder = tempfile::Builder::new();
    builder.prefix("dossier-chromium-");
    match std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from).filter(|d| d.is_dir()) {
        Some(dir) => builder.tempdir_in(dir),
        None => builder.tempdir(),
    }
}

/// Starts Chromium with its DevTools pipe on descriptors 3 (what it reads) and 4 (what it writes).
fn start(program: &Path, profile: &Path) -> Result<(Child, std::fs::File, Receiver<Value>), String> {
    let (commands_read, commands_write) = pipe()?;
    let (answers_read, answers_write) = pipe()?;
    let (cr, aw) = (commands_read.as_raw_fd(), answers_write.as_raw_fd());
    let mut command = Command::new(program);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
            "--hide-scrollbars",
            "--mute-audio",
            "--remote-debugging-pipe",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("about:blank")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // SAFETY: only async-signal-safe calls (fcntl, dup2) between fork and exec: the two ends are
    // first moved above 10, so that placing one on 3 or 4 cannot overwrite the other.
    unsafe {
        command.pre_exec(move || {
            let high_cr = libc::fcntl(cr, libc::F_DUPFD, 10);
            let high_aw = libc::fcntl(aw, libc::F_DUPFD, 10);
            if high_cr < 0 || high_aw < 0 || libc::dup2(high_cr, 3) < 0 || libc::dup2(high_aw, 4) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let child = command.spawn().map_err(|e| format!("{} could not start: {e}", program.display()))?;
    drop(commands_read);
    drop(answers_write);
    let (sender, receiver) = mpsc::channel();
    let answers = std::fs::File::from(answers_read);
    std::thread::spawn(move || {
        let mut reader = BufReader::new(answers);
        let mut message = Vec::new();
        while reader.read_until(0, &mut message).is_ok_and(|n| n > 0) {
            if message.last() == Some(&0) {
                message.pop();
            }
            if let Ok(value) = serde_json::from_slice::<Value>(&message) {
                if sender.send(value).is_err() {
                    return;
                }
            }
            message.clear();
        }
    });
    Ok((child, std::fs::File::from(commands_write), receiver))
}

/// A pipe whose two ends close on exec (the child gets its copies through `dup2`).
fn pipe() -> Result<(OwnedFd, OwnedFd), String> {
    let mut fds = [0; 2];
    // SAFETY: `fds` is two ints, as pipe2 needs; the descriptors it returns are ours alone.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(format!("a pipe to Chromium: {}", std::io::Error::last_os_error()));
    }
    // SAFETY: both descriptors were just opened and belong to nothing else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// Waits for Chromium to end for `grace`, then kills it.
fn stop(child: &mut Child, grace: Duration) {
    let until = Instant::now() + grace;
    while Instant::now() < until {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// The DevTools conversation.
struct Session<'a> {
    to: &'a mut std::fs::File,
    from: Receiver<Value>,
    next: u64,
    /// Events received while waiting for answers, not yet looked at.
    events: Vec<Value>,
    deadline: Instant,
}

impl Session<'_> {
    fn shoot(&mut self, url: &str) -> Result<Shot, String> {
        let browser = self.call(None, "Browser.getVersion", json!({}))?;
        let browser = browser["product"].as_str().unwrap_or("Chromium").to_string();
        let context = self.call(None, "Target.createBrowserContext", json!({}))?;
        let context = context["browserContextId"].as_str().ok_or("Chromium made no browser context")?.to_string();
        let target =
            self.call(None, "Target.createTarget", json!({ "url": "about:blank", "browserContextId": context }))?;
        let target = target["targetId"].as_str().ok_or("Chromium opened no page")?.to_string();
        let attached = self.call(None, "Target.attachToTarget", json!({ "targetId": target, "flatten": true }))?;
        let session = attached["sessionId"].as_str().ok_or("Chromium gave no session")?.to_string();
        let s = Some(session.as_str());
        self.call(s, "Page.enable", json!({}))?;
        self.call(s, "Emulation.setDeviceMetricsOverride", view(800))?;
        let navigated = self.call(s, "Page.navigate", json!({ "url": url }))?;
        if let Some(error) = navigated["errorText"].as_str().filter(|e| !e.is_empty()) {
            return Err(format!("Chromium could not load the page: {error}"));
        }
        // Half the time left for the page to load; a page still loading then is drawn as it stands.
        let loaded = self.wait_for(s, "Page.loadEventFired", (self.deadline - Instant::now()) / 2);
        let metrics = self.call(s, "Page.getLayoutMetrics", json!({}))?;
        let size =
            if metrics["cssContentSize"].is_object() { &metrics["cssContentSize"] } else { &metrics["contentSize"] };
        let page_height = size["height"].as_f64().unwrap_or(800.0).ceil().max(1.0) as u32;
        let height = page_height.min(MAX_HEIGHT);
        self.call(s, "Emulation.setDeviceMetricsOverride", view(height))?;
        let clip = json!({ "x": 0, "y": 0, "width": WIDTH, "height": height, "scale": 1 });
        let params = json!({ "format": "png", "captureBeyondViewport": true, "fromSurface": true, "clip": clip });
        let shot = self.call(s, "Page.captureScreenshot", params)?;
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().ok_or("Chromium gave no picture")?)
            .map_err(|e| format!("Chromium's picture does not decode: {e}"))?;
        Ok(Shot { png, width: WIDTH, height, cut_from: (page_height > height).then_some(page_height), browser, loaded })
    }

    /// Sends a command (to the page's session, or to the browser) and waits for its answer.
    fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Result<Value, String> {
        self.next += 1;
        let id = self.next;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(s) = session {
            message["sessionId"] = json!(s);
        }
        let mut bytes = message.to_string().into_bytes();
        bytes.push(0);
        self.to.write_all(&bytes).map_err(|e| format!("Chromium stopped listening: {e}"))?;
        loop {
            let left = self.deadline.saturating_duration_since(Instant::now());
            let answer = self.from.recv_timeout(left).map_err(|e| match e {
                mpsc::RecvTimeoutError::Timeout => format!("Chromium did not answer {method} in time"),
                mpsc::RecvTimeoutError::Disconnected => format!("Chromium ended before answering {method}"),
            })?;
            if answer["id"].as_u64() == Some(id) {
                if let Some(error) = answer.get("error") {
                    return Err(format!("Chromium refused {method}: {}", error["message"].as_str().unwrap_or("")));
                }
                return Ok(answer["result"].clone());
            }
            if answer.get("method").is_some() {
                self.events.push(answer);
            }
        }
    }

    /// Waits at most `wait` for the event `method` of `session`; says whether it came.
    fn wait_for(&mut self, session: Option<&str>, method: &str, wait: Duration) -> bool {
        let is_it = |v: &Value| v["method"].as_str() == Some(method) && v["sessionId"].as_str() == session;
        if self.events.iter().any(is_it) {
            return true;
        }
        let until = Instant::now() + wait;
        while let Some(left) = until.checked_duration_since(Instant::now()) {
            match self.from.recv_timeout(left) {
                Ok(v) if is_it(&v) => return true,
                Ok(v) => self.events.push(v),
                Err(_) => return false,
            }
        }
        false
    }
}

/// The view the page is laid out in: [`WIDTH`] wide and `height` high, one device pixel a CSS pixel.
fn view(height: u32) -> Value {
    json!({ "width": WIDTH, "height": height, "deviceScaleFactor": 1, "mobile": false })
}
