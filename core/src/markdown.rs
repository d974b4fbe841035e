//! Markdown to HTML for everything the app renders (case summaries, letter bodies, agreement terms).
//! pulldown-cmark's output always passes through ammonia, so no script, event handler or `javascript:`
//! link written into a record reaches the webview or an exported report. Links go only to absolute
//! web and mail addresses, or to a `#place` on the same page (footnotes): a relative or
//! protocol-relative link (`//host/share`) would resolve against wherever the report is opened (a
//! `file://` or SMB path). Images are dropped: a remote one would tell its server who reads the record.

use pulldown_cmark::{html, Options, Parser};

/// Renders Markdown as sanitized HTML. Raw HTML in the source is sanitized too, not trusted.
pub fn to_safe_html(markdown: &str) -> String {
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
