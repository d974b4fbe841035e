//! Markdown to HTML for everything the app renders (case summaries, letter bodies, agreement terms).
//! pulldown-cmark's output always passes through ammonia, so no script, event handler or `javascript:`
//! link written into a record reaches the webview or an exported report. Links go only to absolute
//! web and mail addresses, or to a `#place` on the same page (footnotes): a relative or
//! protocol-relative link (`//host/share`) would resolve against wherever the report is opened (a
//! `file://` or SMB path). Images are dropped: a remote one would tell its server who reads the record.

use pulldown_cmark::{html, Options, Parser};

/// Deepest nesting handed to an HTML parser. html5ever walks the stack of open elements for each tag,
/// so its time grows with depth × tags: 20,000 nested quotes took 12 s, 100,000 nested `<div>` 631 s.
/// Real documents stay far below this.
pub const MAX_NESTING: usize = 64;

/// Most HTML handed to html2text, in bytes; the rest of a larger document is not converted.
pub const MAX_HTML_TO_TEXT: usize = 1 << 20;

/// Renders Markdown as sanitized HTML. Raw HTML in the source is sanitized too, not trusted. Text
/// nested deeper than [`MAX_NESTING`] (quotes, lists or tags) is not parsed: it is shown as plain
/// text, line by line, so it stays readable and costs time in proportion to its length.
pub fn to_safe_html(markdown: &str) -> String {
    if nesting(markdown) > MAX_NESTING {
        return plain_html(markdown);
    }
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::Custom(Box::new(same_page_only)))
        .rm_tags(["img"])
        .link_rel(Some("noopener noreferrer"))
        .clean(&raw)
        .to_string()
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
/// cut there, and one nested deeper than [`MAX_NESTING`] is not parsed: its tags are stripped and
/// the text between them kept, in time proportional to its length.
pub fn html_to_text(html: &str) -> String {
    let mut end = html.len().min(MAX_HTML_TO_TEXT);
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    let html = &html[..end];
    if nesting(html) > MAX_NESTING {
        return stripped(html);
    }
    // ammonia first: scripts, styles, event handlers and non-web links are gone before html2text turns
    // what is left into text (its link footnotes then only hold safe URLs).
    let clean = ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .clean(html)
        .to_string();
    html2text::config::plain().string_from_read(clean.as_bytes(), 10_000).unwrap_or_else(|_| stripped(html))
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

/// How deeply `text` nests, over-estimated cheaply in one pass: the most Markdown quote and list
/// markers starting one line, and the most HTML elements open at once (void elements and those a
/// sibling closes, like `<p>` and `<li>`, do not count).
pub fn nesting(text: &str) -> usize {
    let mut deepest = 0;
    for line in text.lines() {
        let mut depth = 0;
        let mut rest = line.trim_start();
        loop {
            if let Some(r) = rest.strip_prefix('>') {
                rest = r.trim_start();
            } else if let Some(r) = rest.strip_prefix(['-', '*', '+']).filter(|r| r.starts_with(' ')) {
                rest = r.trim_start();
            } else {
                break;
            }
            depth += 1;
        }
        deepest = deepest.max(depth + (line.len() - line.trim_start().len()) / 4);
    }
    let mut open: usize = 0;
    let bytes = text.as_bytes();
    for (i, _) in text.match_indices('<') {
        let after = &bytes[i + 1..];
        let closing = after.first() == Some(&b'/');
        let name: Vec<u8> = after[usize::from(closing)..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .map(u8::to_ascii_lowercase)
            .take(12)
            .collect();
        if name.is_empty() || !name[0].is_ascii_alphabetic() || NOT_NESTING.contains(&name.as_slice()) {
            continue;
        }
        if closing {
            open = open.saturating_sub(1);
        } else {
            open += 1;
            deepest = deepest.max(open);
        }
    }
    deepest
}

/// Elements that never contain others (void) or that a sibling closes: they add no depth.
const NOT_NESTING: &[&[u8]] = &[
    b"br", b"img", b"hr", b"meta", b"link", b"input", b"wbr", b"area", b"base", b"col", b"embed", b"source", b"track",
    b"param", b"p", b"li", b"td", b"th", b"tr", b"dt", b"dd", b"option",
];

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
