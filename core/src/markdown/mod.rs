//! Markdown to HTML for everything the app renders (case summaries, letter bodies, agreement terms),
//! and HTML to text for HTML evidence and e-mails. pulldown-cmark's output always passes through
//! ammonia, so no script, event handler or `javascript:` link written into a record reaches the
//! webview or an exported report. Links go only to absolute web and mail addresses, or to a `#place`
//! on the same page (footnotes): a relative or protocol-relative link (`//host/share`) would resolve
//! against wherever the report is opened (a `file://` or SMB path). Images are dropped: a remote one
//! would tell its server who reads the record. [`inert_links`] applies the same rule to Markdown that
//! leaves as Markdown (the Markdown report).
//!
//! Hostile text must not freeze whoever renders it (the app renders a case's summary after letting go
//! of the store, exports through a read-only twin of it and imports through a writable one, so no
//! render holds the store's lock).
//! html5ever's time grows with nesting depth × tags, so two bounds stand in its way:
//!
//! - **A guard on depth**, measured on what the parsers build rather than on the source text: the
//!   Markdown parser's own events (one list per `1. ` even on one line), then the HTML it produces, or
//!   the HTML given, through [`depth`], a model of the HTML parser's stack driven by its tokenizer.
//!   Text nested deeper than [`MAX_NESTING`] is shown as escaped text, or its tags stripped.
//! - **A time budget**, independent of the guard, so a bypass found later costs seconds, not minutes
//!   ([`budget`]): a long text is rendered on a worker thread and given up after [`RENDER_BUDGET`].
//!   A thread cannot be stopped, so a given-up render runs on, and while one does, long texts skip the
//!   parsers. Short texts render on the caller's thread: quadratic work on them stays in milliseconds,
//!   and a report renders hundreds of them, each of which would otherwise pay for a thread.
//!
//! Bounding the parsers' work by construction instead (feeding html5ever piecemeal and checking a
//! clock) would need the tree builder driven by hand for ammonia and for html2text, which each own
//! their parse; the worker costs one thread for the rare long text.

mod budget;
mod depth;
mod links;

pub use links::inert_links;

use std::time::Duration;

use pulldown_cmark::{html, Event, Options, Parser};

/// Deepest nesting handed to an HTML parser. html5ever walks the stack of open elements for each tag,
/// so its time grows with depth × tags: 20,000 nested quotes took 12 s, 100,000 nested `<div>` 631 s.
/// Real documents stay far below this.
pub const MAX_NESTING: usize = 64;

/// Most HTML handed to html2text, in bytes; the rest of a larger document is not converted.
pub const MAX_HTML_TO_TEXT: usize = 1 << 20;

/// The longest a text may spend in the Markdown and HTML parsers before it is shown as plain text.
/// A megabyte of ordinary HTML takes well under a second; the review's bypasses took minutes.
pub const RENDER_BUDGET: Duration = Duration::from_secs(5);

/// Renders Markdown as sanitized HTML. Raw HTML in the source is sanitized too, not trusted. Text
/// nested deeper than [`MAX_NESTING`] (quotes, lists or tags), or whose rendering would outlast
/// [`RENDER_BUDGET`], is not parsed: it is shown as plain text, line by line, so it stays readable
/// and costs time in proportion to its length.
pub fn to_safe_html(markdown: &str) -> String {
    budget::within(markdown, RENDER_BUDGET, render).unwrap_or_else(|| plain_html(markdown))
}

/// Markdown to sanitized HTML without a time budget, or `None` when it nests too deeply.
pub(crate) fn render(markdown: &str) -> Option<String> {
    let raw = markdown_html(markdown)?;
    if depth::html_depth(&raw, MAX_NESTING) > MAX_NESTING {
        return None;
    }
    Some(
        ammonia::Builder::default()
            .url_schemes(["http", "https", "mailto"].into_iter().collect())
            .url_relative(ammonia::UrlRelative::Custom(Box::new(same_page_only)))
            .rm_tags(["img"])
            .link_rel(Some("noopener noreferrer"))
            .clean(&raw)
            .to_string(),
    )
}

/// pulldown-cmark's HTML for `markdown`, or `None` as soon as its elements nest deeper than
/// [`MAX_NESTING`]. The depth is read from the parser's own events as they are written out, so it
/// counts what the parser builds (a list per `1. ` on one line) in one pass.
fn markdown_html(markdown: &str) -> Option<String> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let mut depth: usize = 0;
    let mut too_deep = false;
    let events = Parser::new_ext(markdown, options).take_while(|event| {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        too_deep = depth > MAX_NESTING;
        !too_deep
    });
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, events);
    (!too_deep).then_some(raw)
}

/// Keeps a relative URL only when it is a place on the same page (`#fn-1`).
fn same_page_only(url: &str) -> Option<std::borrow::Cow<'_, str>> {
    url.starts_with('#').then_some(std::borrow::Cow::Borrowed(url))
}

/// Text as HTML paragraphs, escaped, its line breaks kept.
fn plain_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (i, paragraph) in text.split("\n\n").enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str("<p>");
        out.push_str(&escape_html(paragraph.trim_end()).replace('\n', "<br>\n"));
        out.push_str("</p>");
    }
    out
}

/// The text of an HTML document, for indexing and for e-mails that have no plain-text part:
/// sanitized by ammonia, then converted by html2text. A document larger than [`MAX_HTML_TO_TEXT`] is
/// cut there, and one nested deeper than [`MAX_NESTING`], or whose conversion would outlast
/// [`RENDER_BUDGET`], is not parsed: its tags are stripped and the text between them kept, in time
/// proportional to its length.
pub fn html_to_text(html: &str) -> String {
    converted(html, text)
}

/// What a person wrote in Markdown as the text a reader sees: its markup read, not shown (no `**`
/// around bold words, no `*` before list items' text other than a bullet), for a page that sets it as
/// plain paragraphs (the PDF report).
pub fn markdown_to_text(markdown: &str) -> String {
    converted(&to_safe_html(markdown), undecorated)
}

fn converted(html: &str, convert: fn(&str) -> Option<String>) -> String {
    let mut end = html.len().min(MAX_HTML_TO_TEXT);
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    let html = &html[..end];
    budget::within(html, RENDER_BUDGET, convert).unwrap_or_else(|| stripped(html))
}

/// HTML to text without a time budget, or `None` when it nests too deeply or html2text fails.
pub(crate) fn text(html: &str) -> Option<String> {
    to_text(html, html2text::config::plain())
}

/// [`text`] without html2text's marks around emphasis.
fn undecorated(html: &str) -> Option<String> {
    to_text(html, html2text::config::plain_no_decorate())
}

fn to_text(html: &str, config: html2text::config::Config<html2text::render::PlainDecorator>) -> Option<String> {
    if depth::html_depth(html, MAX_NESTING) > MAX_NESTING {
        return None;
    }
    // ammonia first: scripts, styles, event handlers and non-web links are gone before html2text turns
    // what is left into text (its link footnotes then only hold safe URLs).
    let clean = ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .clean(html)
        .to_string();
    config.string_from_read(clean.as_bytes(), 10_000).ok()
}

/// The text between the tags of `html`, its `script` and `style` content dropped, the commonest
/// entities decoded.
fn stripped(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    let mut skipping: Option<&str> = None;
    while let Some(open) = rest.find('<') {
        if skipping.is_none() {
            out.push_str(&rest[..open]);
        }
        let after = &rest[open + 1..];
        let close = after.find('>').map_or(after.len(), |c| c + 1);
        let tag = after[..close.min(after.len())].trim_start_matches('/').to_ascii_lowercase();
        let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        match skipping {
            Some(until) if after.starts_with('/') && name == until => skipping = None,
            None if matches!(name.as_str(), "script" | "style") && !after.starts_with('/') => {
                skipping = Some(if name == "script" { "script" } else { "style" })
            }
            None if matches!(name.as_str(), "p" | "div" | "br" | "li" | "tr" | "h1" | "h2" | "h3") => out.push('\n'),
            _ => {}
        }
        rest = &after[close.min(after.len())..];
    }
    if skipping.is_none() {
        out.push_str(rest);
    }
    out.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&")
}

/// Escapes text for HTML element content and double- or single-quoted attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
