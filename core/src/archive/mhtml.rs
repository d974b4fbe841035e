//! MHTML files (RFC 2557): a page saved by a browser as one MIME message, `multipart/related`, its
//! HTML the first `text/html` part and the rest its pictures and style sheets. Read by mail-parser,
//! which already reads Dossier's e-mails. Chromium names the page's address in
//! `Snapshot-Content-Location` and the time it was saved in `Date`; an MHTML file knows no redirect
//! and no HTTP status.

use mail_parser::MimeHeaders;

use super::warc::media_type;
use super::{refused, utc, Format, Page, MAX_BODY};
use crate::error::Result;

pub(super) fn page(bytes: &[u8]) -> Result<Page> {
    let message = mail_parser::MessageParser::default()
        .parse(bytes)
        .ok_or_else(|| refused("it is neither a WARC file nor a MIME (MHTML) message".into()))?;
    let related = message
        .content_type()
        .is_some_and(|t| t.ctype().eq_ignore_ascii_case("multipart") || t.ctype().eq_ignore_ascii_case("text"));
    let html = message.parts.iter().find(|p| p.is_text_html());
    let (Some(html), true) = (html, related) else {
        return Err(refused("it is neither a WARC file nor an MHTML page (no text/html part)".into()));
    };
    let header = |name: &str| message.header_raw(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let location = header("Snapshot-Content-Location")
        .or_else(|| html.content_location().map(str::to_string))
        .or_else(|| header("Content-Location"))
        .unwrap_or_default();
    let captured_at = message.date().map(|d| d.to_rfc3339()).and_then(|d| utc(&d)).unwrap_or_default();
    let mut body = html.contents().to_vec();
    body.truncate(MAX_BODY);
    let content_type = html.content_type().map(|t| format!("{}/{}", t.ctype(), t.subtype().unwrap_or("")));
    Ok(Page {
        format: Format::Mhtml,
        url: location.clone(),
        final_url: location,
        captured_at,
        status: None,
        made_by: header("From").unwrap_or_default(),
        media_type: media_type(content_type.as_deref().unwrap_or("text/html")),
        // mail-parser has already decoded the part from its charset into UTF-8.
        charset: Some("utf-8".to_string()),
        body,
        problem: None,
        screenshot: None,
    })
}
