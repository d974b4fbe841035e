//! Web pages captured for Dossier: `dossier capture URL --case SLUG` fetches the page into a WARC
//! file (`fetch`: every request and response as they crossed the wire, redirects included, bounded in
//! time and size) and has headless Chromium take a screenshot of the whole page (`chromium`); the
//! core then keeps both, with the page's text, as one piece of evidence
//! (`dossier_core::record::evidence::capture::add`).
//!
//! The core opens no connection: this crate is the only Dossier code that does, and nothing in the
//! core depends on it.

pub mod chromium;
pub mod fetch;

use std::path::PathBuf;
use std::time::Duration;

use chrono::Utc;
use dossier_core::archive::warc;
use dossier_core::Error;

pub use fetch::Limits;

/// How a page is captured.
#[derive(Debug, Clone)]
pub struct Options {
    pub limits: Limits,
    /// Whether to take a screenshot (with the Chromium at `chromium`).
    pub screenshot: bool,
    pub chromium: PathBuf,
    /// Longest Chromium may take to load and draw the page.
    pub screenshot_time: Duration,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            limits: Limits { bytes: 32 << 20, time: Duration::from_secs(60) },
            screenshot: true,
            chromium: chromium::program(),
            screenshot_time: Duration::from_secs(60),
        }
    }
}

/// The files of a capture, in memory: they are written nowhere but the evidence store, which seals
/// them when the database is encrypted.
pub struct Captured {
    /// The WARC file's name (`capture-<host>-<time>.warc`).
    pub name: String,
    pub warc: Vec<u8>,
    pub screenshot: Option<Vec<u8>>,
    /// How the screenshot was taken, or why there is none.
    pub screenshot_note: String,
    /// What the user should know though the capture succeeded (no screenshot), in English.
    pub warnings: Vec<String>,
}

/// What `dossier capture` says it is, in the WARC's `warcinfo` record and to servers.
pub fn user_agent() -> String {
    format!("Dossier/{} (web capture)", env!("CARGO_PKG_VERSION"))
}

/// Fetches `url` into a WARC file and takes its screenshot. A page that cannot be fetched whole
/// within the limits fails the capture; a screenshot that cannot be taken is said in the note and a
/// warning, and the capture goes on without it.
pub fn capture(url: &str, options: &Options) -> Result<Captured, Error> {
    let agent = user_agent();
    let exchanges = fetch::fetch(url, &agent, options.limits)?;
    let last = exchanges.last().ok_or_else(|| Error::internal("a capture with no exchange"))?;
    let final_url = last.url.clone();
    let host = url::Url::parse(&final_url).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default();
    let name: String = format!("capture-{host}-{}.warc", last.at.format("%Y%m%dT%H%M%SZ"))
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || "-._".contains(c) { c } else { '_' })
        .collect();
    let warc = warc_of(&exchanges, &agent)?;

    let mut warnings = Vec::new();
    let (screenshot, screenshot_note) = if !options.screenshot {
        (None, "no screenshot: none was asked for".to_string())
    } else if !options.chromium.is_file() {
        let note = format!("no screenshot: Chromium ({}) is not installed", options.chromium.display());
        warnings.push(format!("{note}; the page is kept without one"));
        (None, note)
    } else {
        let at = Utc::now().format("%Y-%m-%dT%H:%M:%SZ");
        match chromium::screenshot(&options.chromium, &final_url, options.screenshot_time) {
            Ok(shot) => {
                let note = note_of(&shot, &final_url, &at.to_string());
                (Some(shot.png), note)
            }
            Err(why) => {
                let why = why.split_whitespace().collect::<Vec<_>>().join(" ");
                let note = format!("no screenshot: {}", why.chars().take(400).collect::<String>());
                warnings.push(format!("{note}; the page is kept without one"));
                (None, note)
            }
        }
    };
    Ok(Captured { name, warc, screenshot, screenshot_note, warnings })
}

/// How a screenshot was taken, in one line.
fn note_of(shot: &chromium::Shot, url: &str, at: &str) -> String {
    let mut note = format!(
        "the whole page, {} × {} px, drawn by {} from its own load of {url} at {at}",
        shot.width, shot.height, shot.browser
    );
    if let Some(full) = shot.cut_from {
        note.push_str(&format!("; the page is {full} px high and only its first {} px are shown", shot.height));
    }
    if !shot.loaded {
        note.push_str("; the page had not finished loading when it was drawn");
    }
    note
}

/// The WARC file of a capture (`warc::capture_file`, which the app's capture window writes too).
fn warc_of(exchanges: &[fetch::Exchange], agent: &str) -> Result<Vec<u8>, Error> {
    let exchanges: Vec<warc::Exchange> = exchanges
        .iter()
        .map(|x| warc::Exchange {
            url: x.url.clone(),
            at: x.at,
            ip: x.ip.map(|a| a.ip().to_string()),
            request: x.request.clone(),
            response: x.response.clone(),
        })
        .collect();
    warc::capture_file(&format!("Dossier {} (dossier capture)", env!("CARGO_PKG_VERSION")), agent, &exchanges)
}
