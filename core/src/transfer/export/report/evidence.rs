//! The evidence index, the longest section: what each piece is, where it comes from and what it
//! supports.

use super::build::{cell, cell_of, columns, date, fixed, long_table, none, text, Out};
use super::*;
use crate::record::evidence;
use crate::record::evidence::capture::{Capture, CapturePart};
use crate::transfer::export::is_web_url;
use crate::transfer::export::words::*;

/// The evidence index: a table whose rows the citations link to, given a page at a time.
pub(super) fn evidence(r: &Basis, l: &Labels, lang: Lang, out: &mut Out<'_>) -> Result<()> {
    out(Piece::Block(Block::Note(l.evidence_note)))?;
    if r.evidence.is_empty() {
        return out(Piece::Block(none(l)));
    }
    let digest = format!("{} / {}", l.sha256, l.size);
    let columns = columns(&[("#", 1), (l.title, 4), (&digest, 4), (l.sources, 4), (l.supports, 4)]);
    // The "supports" cell is a list when the piece supports anything.
    let lists = r.evidence.iter().any(|e| !e.links.is_empty());
    let open = Table { class: None, lists, columns, rows: Vec::new() };
    long_table(out, open, r.evidence.iter().enumerate(), |(i, e)| {
        let n = i + 1;
        Ok(Row { id: Some(format!("evidence-{n}")), cells: evidence_row(r, l, lang, n, e) })
    })
}

/// A piece of evidence in the index: number, title, digest and size, origin, supports.
fn evidence_row(r: &Basis, l: &Labels, lang: Lang, n: usize, e: &evidence::Evidence) -> Vec<Cell> {
    let mut kind = if e.capture.is_some() { l.capture.to_string() } else { e.kind.word(lang).to_string() };
    if let Some(t) = &e.media_type {
        kind.push_str(&format!(" · {t}"));
    }
    let mut title = vec![Block::Para(vec![text(&e.title), Inline::Kind(kind)])];
    if !e.note.trim().is_empty() {
        title.push(Block::Markdown(e.note.clone(), Look::Aside));
    }
    let mut digest = Vec::new();
    if let Some(sha) = &e.sha256 {
        digest.push(Block::Para(vec![Inline::Code(sha.clone())]));
    }
    if let Some(size) = e.size {
        digest.push(Block::Para(vec![fixed(format!("{} {}", thousands(size, lang), l.bytes))]));
    }
    let mut origin = Vec::new();
    if let Some(c) = &e.capture {
        capture_parts(l, lang, c, &mut digest, &mut origin);
    }
    if let Some(name) = &e.original_name {
        origin.push(Block::Para(vec![fixed(format!("{}: ", l.original_name)), text(name)]));
    }
    if let Some(url) = &e.url {
        let shown = if is_web_url(url) { Inline::Web(url.clone()) } else { text(url) };
        origin.push(Block::Para(vec![shown]));
    }
    if let Some(p) = &e.publisher {
        origin.push(Block::Para(vec![fixed(format!("{}: ", l.publisher)), text(p)]));
    }
    if let Some(d) = &e.date {
        origin.push(Block::Para(vec![date(lang, d)]));
    }
    let supports = if e.links.is_empty() {
        none(l)
    } else {
        Block::List(e.links.iter().map(|link| supported(link, lang)).collect())
    };
    vec![cell(vec![fixed(r.cite(n))]), cell_of(title), cell_of(digest), cell_of(origin), cell_of(vec![supports])]
}

/// What a captured page keeps beside its archive: the time it was received, the address asked for
/// when a redirect led elsewhere and the HTTP status (with its origin); the screenshot and the text,
/// each with its digest and size, or why there is no screenshot (with the archive's digest).
fn capture_parts(l: &Labels, lang: Lang, c: &Capture, digest: &mut Vec<Block>, origin: &mut Vec<Block>) {
    origin.push(Block::Para(vec![fixed(format!("{}: ", l.captured)), Inline::Code(c.captured_at.clone())]));
    if c.url != c.final_url {
        let asked = if is_web_url(&c.url) { Inline::Web(c.url.clone()) } else { text(&c.url) };
        origin.push(Block::Para(vec![fixed(format!("{}: ", l.asked_for)), asked]));
    }
    if let Some(status) = c.status {
        origin.push(Block::Para(vec![fixed(format!("{}: {status}", l.http_status))]));
    }
    digest.insert(0, Block::Para(vec![fixed(format!("{}:", l.archive))]));
    let part = |label: &str, p: &CapturePart| {
        [
            Block::Para(vec![fixed(format!("{label}:"))]),
            Block::Para(vec![Inline::Code(p.sha256.clone())]),
            Block::Para(vec![fixed(format!("{} {}", thousands(p.size, lang), l.bytes))]),
        ]
    };
    match &c.screenshot {
        Some(shot) => digest.extend(part(l.screenshot, shot)),
        None => digest.push(Block::Para(vec![fixed(format!("{}: ", l.screenshot)), text(&c.screenshot_note)])),
    }
    digest.extend(part(l.page_text, &c.text));
}

/// What a link of a piece of evidence supports, and what sort of record it is, with its pinpoint,
/// note and quote.
fn supported(link: &evidence::Link, lang: Lang) -> Vec<Inline> {
    let mut item = vec![text(&link.record_title), Inline::Kind(link.record_kind.word(lang).to_string())];
    if !link.pinpoint.is_empty() {
        item.extend([fixed(" — "), Inline::Strong(link.pinpoint.clone())]);
    }
    if !link.note.trim().is_empty() {
        item.extend([fixed(" — "), text(&link.note)]);
    }
    if let Some(q) = &link.quote {
        item.push(Inline::Quote { exact: q.exact.clone(), page: q.page, caveat: quote_caveat(q, lang) });
    }
    item
}
