//! User Markdown made safe to hand on as Markdown (the Markdown report): the same link rule as the
//! HTML the app and the reports render, applied to the source. A Markdown viewer fetches an image as
//! soon as the file is shown, which tells its server who reads the record, and resolves a relative or
//! protocol-relative link (`//host/share`) against wherever the file is opened (a `file://` or SMB
//! path). So an image becomes its alt text with its address spelled out as text, and a link whose
//! target is not an absolute web or mail address, nor a place on the same page (`#fn-1`), keeps its
//! text and has its target spelled out as text. What the record says is kept; nothing is fetched or
//! resolved.
//!
//! The source is rewritten in place rather than printed from the parser's events, so everything else
//! stays as the user wrote it. The parser gives each link and image its byte range; only the brackets
//! and the target around its text are replaced, so links and images inside each other are each
//! rewritten once.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// `markdown` with its images and its links that would be resolved made text (see the module docs).
pub fn inert_links(markdown: &str) -> String {
    let mut edits = edits(markdown);
    if edits.is_empty() {
        return markdown.to_string();
    }
    edits.sort_by_key(|e| e.range.start);
    let mut out = String::with_capacity(markdown.len() + 32 * edits.len());
    let mut at = 0;
    for edit in edits {
        // Edits never overlap (see `Open::close`); one that would is skipped rather than garbling text.
        if edit.range.start < at {
            continue;
        }
        out.push_str(&markdown[at..edit.range.start]);
        out.push_str(&edit.text);
        at = edit.range.end;
    }
    out.push_str(&markdown[at..]);
    out
}

/// A piece of the source replaced by other text.
struct Edit {
    range: Range<usize>,
    text: String,
}

/// A link or an image the parser has opened: its whole range, its target, and the range its text
/// (the inner events) covers so far.
struct Open {
    range: Range<usize>,
    target: String,
    image: bool,
    inner: Option<Range<usize>>,
}

impl Open {
    fn widen(&mut self, range: &Range<usize>) {
        self.inner = Some(match &self.inner {
            Some(inner) => inner.start.min(range.start)..inner.end.max(range.end),
            None => range.clone(),
        });
    }

    /// The edits that make this link or image inert: the opening bracket removed, and the closing
    /// bracket with its target replaced by the target as text. Both lie outside the text, so they
    /// never overlap the edits of what the text holds.
    fn close(self, edits: &mut Vec<Edit>) {
        if !self.image && kept(&self.target) {
            return;
        }
        let what = if self.image { "image" } else { "link" };
        let spelled = format!(" \\({what}: {}\\)", escaped(&self.target));
        match self.inner {
            Some(inner) if inner.start >= self.range.start && inner.end <= self.range.end => {
                edits.push(Edit { range: self.range.start..inner.start, text: String::new() });
                edits.push(Edit { range: inner.end..self.range.end, text: spelled });
            }
            _ => edits.push(Edit { range: self.range, text: spelled.trim_start().to_string() }),
        }
    }
}

/// The edits of every image and every link that would be resolved, in the order they close.
fn edits(markdown: &str) -> Vec<Edit> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let mut edits = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        let opened = match &event {
            Event::Start(Tag::Link { dest_url, .. }) => Some((dest_url.to_string(), false)),
            Event::Start(Tag::Image { dest_url, .. }) => Some((dest_url.to_string(), true)),
            _ => None,
        };
        let closed = matches!(event, Event::End(TagEnd::Link | TagEnd::Image));
        if closed {
            if let Some(done) = open.pop() {
                done.close(&mut edits);
            }
            continue;
        }
        // Whatever else the parser gives inside a link or an image is its text, and a link or image
        // opened inside another is part of that one's text.
        if let Some(parent) = open.last_mut() {
            parent.widen(&range);
        }
        if let Some((target, image)) = opened {
            open.push(Open { range, target, image, inner: None });
        }
    }
    edits
}

/// Whether a link target stays a link: an absolute web or mail address, or a place on the same page,
/// as the HTML renderer keeps them.
fn kept(target: &str) -> bool {
    let lower = target.trim().to_ascii_lowercase();
    lower.starts_with('#') || ["http://", "https://", "mailto:"].iter().any(|s| lower.starts_with(s))
}

/// A target written as text: every character Markdown could read as syntax backslash-escaped, so it
/// cannot form a link, an image or emphasis again, `<` and `&` as entities (never a tag), and line
/// breaks made spaces.
fn escaped(target: &str) -> String {
    let mut out = String::with_capacity(target.len() + 8);
    for c in target.chars() {
        match c {
            '\r' | '\n' | '\t' => out.push(' '),
            '<' => out.push_str("&lt;"),
            '&' => out.push_str("&amp;"),
            c if c.is_ascii_punctuation() && c != '/' && c != '.' && c != ':' && c != '-' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}
