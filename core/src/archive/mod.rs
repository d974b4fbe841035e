//! Web archives: the files a captured web page is kept in. A WARC file (ISO 28500, WARC/1.1) holds
//! the exchanges with the server as they crossed the wire — each request and response, redirects
//! included, with their headers — and is what `dossier capture` writes (`warc::Writer`) and what
//! Webrecorder, Browsertrix or a crawler hands over; an MHTML file (RFC 2557, what Chromium's "Save
//! page as… single file" and Hunchly keep) holds the page as a browser had it, as MIME parts. Both are
//! read here into one [`Page`]: which address was asked for, where it ended after redirects, when it
//! was received, what it said, and its screenshot when the archive holds one.
//!
//! Reading is bounded: an archive is read whole into memory up to [`MAX_ARCHIVE`], a page's body is
//! decoded up to [`MAX_BODY`], and nothing here touches the network or the database.

mod mhtml;
pub mod warc;

use crate::error::{Error, Result};

/// Largest archive read (a capture's WARC is its page and redirects, at most about `MAX_BODY`).
pub const MAX_ARCHIVE: usize = 128 << 20;
/// Largest page body kept once decoded (chunks joined, gzip or deflate undone).
pub const MAX_BODY: usize = 64 << 20;

/// The kind of a web archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Warc,
    Mhtml,
}

impl Format {
    /// Its stored name (`evidence_capture.format`).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Warc => "warc",
            Format::Mhtml => "mhtml",
        }
    }

    /// The media type its file is stored under.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Warc => "application/warc",
            Format::Mhtml => "multipart/related",
        }
    }

    /// The format of an archive, told by its first bytes (a WARC's version line, gzipped or not;
    /// anything else is read as MIME).
    pub fn sniff(bytes: &[u8]) -> Format {
        if bytes.starts_with(b"WARC/") || bytes.starts_with(&[0x1f, 0x8b]) {
            Format::Warc
        } else {
            Format::Mhtml
        }
    }
}

/// A captured page, as its archive tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub format: Format,
    /// The address first asked for (before any redirect).
    pub url: String,
    /// The address of the page that was kept, after redirects.
    pub final_url: String,
    /// When the page was received, RFC 3339 in UTC to the second (`2024-05-01T10:20:30Z`).
    pub captured_at: String,
    /// The HTTP status of the page's response (none in an MHTML file).
    pub status: Option<u16>,
    /// The software the archive names as its maker (a WARC's `software`, an MHTML's `From`).
    pub made_by: String,
    /// The page's media type, without parameters (`text/html`).
    pub media_type: String,
    /// The character set its response declares (`charset=`), if any.
    pub charset: Option<String>,
    /// The page's body, decoded (chunks joined, compression undone), at most [`MAX_BODY`].
    pub body: Vec<u8>,
    /// What could not be decoded of the body, in English (an unknown compression).
    pub problem: Option<String>,
    /// A screenshot the archive holds (a PNG `resource` record named `urn:view:…` or
    /// `urn:screenshot:…`, as Browsertrix and ArchiveWeb.page write them).
    pub screenshot: Option<Vec<u8>>,
}

impl Page {
    /// The text of the page, as a reader sees it: HTML reduced to its text, plain text as it is, and
    /// nothing of other kinds (a picture, a PDF served as the page).
    pub fn text(&self) -> String {
        match self.media_type.as_str() {
            "text/html" | "application/xhtml+xml" => crate::markdown::html_to_text(&self.decoded(0)),
            t if t.starts_with("text/") => self.decoded(0),
            _ => String::new(),
        }
    }

    /// The body (its first `limit` bytes, 0 for all) as text, from the character set the response
    /// declares, else the one an HTML page declares in its first 1024 bytes (`<meta charset>`), else
    /// UTF-8; a byte-order mark wins over both, as browsers have it (encoding_rs).
    fn decoded(&self, limit: usize) -> String {
        let body = if limit == 0 { &self.body[..] } else { &self.body[..self.body.len().min(limit)] };
        let label = self.charset.clone().or_else(|| meta_charset(&self.body[..self.body.len().min(1024)]));
        let encoding =
            label.and_then(|l| encoding_rs::Encoding::for_label(l.trim().as_bytes())).unwrap_or(encoding_rs::UTF_8);
        encoding.decode(body).0.into_owned()
    }

    /// The page's title (its HTML `<title>`), when it has one.
    pub fn title(&self) -> Option<String> {
        if !matches!(self.media_type.as_str(), "text/html" | "application/xhtml+xml") {
            return None;
        }
        let head = self.decoded(256 << 10);
        // ASCII lower case keeps every byte where it was, so the places found are the text's own.
        let lower = head.to_ascii_lowercase();
        let open = lower.find("<title")?;
        let start = open + lower[open..].find('>')? + 1;
        let end = start + lower[start..].find("</title")?;
        let text = crate::markdown::html_to_text(&head[start..end]);
        let title = text.split_whitespace().collect::<Vec<_>>().join(" ");
        (!title.is_empty()).then_some(title)
    }
}

/// The character set an HTML page declares in a `<meta>` of its first bytes, if any.
fn meta_charset(head: &[u8]) -> Option<String> {
    let lower = String::from_utf8_lossy(head).to_ascii_lowercase();
    let at = lower.find("charset=")? + "charset=".len();
    let rest = lower[at..].trim_start_matches(['"', '\'', ' ']);
    let label: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || "-_:.".contains(*c)).collect();
    (!label.is_empty()).then_some(label)
}

/// Reads an archive of either format (told by its first bytes).
pub fn read(bytes: &[u8]) -> Result<Page> {
    if bytes.len() > MAX_ARCHIVE {
        return Err(refused(format!("it is over {} MiB", MAX_ARCHIVE >> 20)));
    }
    match Format::sniff(bytes) {
        Format::Warc => warc::page(bytes),
        Format::Mhtml => mhtml::page(bytes),
    }
}

/// The error of an archive that cannot be read as one, saying why.
pub(crate) fn refused(why: String) -> Error {
    Error::rule("file", "not_an_archive", None, format!("the web archive could not be read: {why}"))
}

/// A date as the archives write it (RFC 3339, or RFC 2822 in MIME), as RFC 3339 in UTC to the second.
pub(crate) fn utc(text: &str) -> Option<String> {
    let text = text.trim();
    let at = chrono::DateTime::parse_from_rfc3339(text).or_else(|_| chrono::DateTime::parse_from_rfc2822(text)).ok()?;
    Some(at.with_timezone(&chrono::Utc).format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// `location` (a redirect's `Location`) read against the address `base` it was answered from.
pub(crate) fn resolve(base: &str, location: &str) -> Option<String> {
    let base = url::Url::parse(base).ok()?;
    base.join(location.trim()).ok().map(String::from)
}
