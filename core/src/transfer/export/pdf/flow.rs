//! The report's blocks set as boxes, and boxes placed on pages.
//!
//! Every block becomes lines of text ([`Slot`]s) or table rows; each is a box that is never split
//! across pages unless it is taller than a page. A page break inside a table repeats its header row;
//! a heading is kept with what follows it; space at the top of a page is dropped.

use std::rc::Rc;

use super::text::{lines, Line, Link, Span, Style};
use crate::markdown::markdown_to_text;
use crate::pdfout::fonts::{Face, Fonts};
use crate::transfer::export::report::{Block, Cite, Field, Inline, Look, Row, Table};

/// Line height as a multiple of the type's size.
pub const LEADING: f32 = 1.35;
/// The report's body text size, in points.
pub const BODY: f32 = 10.5;
/// Padding inside a table cell.
const PAD: f32 = 4.0;
const TABLE: f32 = 9.5;

/// What is drawn, in points from the top left of the page.
#[derive(Clone, Debug)]
pub enum Op {
    /// A line of text whose top is at `y`.
    Text {
        x: f32,
        y: f32,
        line: Line,
    },
    Rule {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        grey: u8,
    },
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        grey: u8,
    },
}

impl Op {
    fn moved(&self, dx: f32, dy: f32) -> Op {
        match self {
            Op::Text { x, y, line } => Op::Text { x: x + dx, y: y + dy, line: line.clone() },
            Op::Rule { x1, y1, x2, y2, width, grey } => {
                Op::Rule { x1: x1 + dx, y1: y1 + dy, x2: x2 + dx, y2: y2 + dy, width: *width, grey: *grey }
            }
            Op::Fill { x, y, w, h, grey } => Op::Fill { x: x + dx, y: y + dy, w: *w, h: *h, grey: *grey },
        }
    }
}

/// A piece of the report that is placed whole: what it draws, relative to its top left.
#[derive(Clone, Debug, Default)]
pub struct Boxed {
    pub height: f32,
    pub ops: Vec<Op>,
    /// Anchors that point here (`evidence-3`).
    pub anchors: Vec<String>,
    /// Kept on the page of the box that follows (a heading).
    pub keep: bool,
    /// A table's header row, drawn again first when this box starts a new page.
    pub header: Option<Rc<Boxed>>,
}

impl Boxed {
    fn space(height: f32) -> Boxed {
        Boxed { height, ..Default::default() }
    }

    fn is_space(&self) -> bool {
        self.ops.is_empty() && self.anchors.is_empty()
    }
}

/// Lines of a block, one after the other: a line, the space before it and what stands beside it.
#[derive(Clone, Debug)]
struct Slot {
    gap: f32,
    x: f32,
    line: Line,
    /// A vertical bar at these x, beside the line (a quotation, a letter's body).
    bars: Vec<f32>,
}

impl Slot {
    fn height(&self) -> f32 {
        self.gap + self.line.size * LEADING
    }
}

/// Sets blocks as boxes.
pub struct Setter<'a> {
    pub fonts: &'a mut Fonts,
}

impl Setter<'_> {
    /// The boxes of `block`, set `width` points wide.
    pub fn block(&mut self, block: &Block, width: f32) -> Vec<Boxed> {
        match block {
            Block::Heading(level, inlines) => {
                let size = if *level <= 1 { 12.0 } else { 11.0 };
                let style = Style::new(Face::SANS.bold(), size);
                let mut out = self.boxes(self.inlines(inlines, &style), width, 0.0, size * 0.9);
                for b in &mut out {
                    b.keep = true;
                }
                out
            }
            Block::Table(t) => {
                let mut out = Vec::new();
                self.table(t, width, &mut |b| {
                    out.push(b);
                    true
                });
                out
            }
            Block::Fields(fields) => self.fields(fields, width),
            Block::Group { id, class, blocks } => {
                let depth = class.as_deref().and_then(|c| c.strip_prefix("depth-")).and_then(|d| d.parse().ok());
                let indent = depth.map_or(0.0, |d: f32| d.min(3.0) * 16.0);
                let inner = width - indent - if indent > 0.0 { 9.0 } else { 0.0 };
                let mut out: Vec<Boxed> = Vec::new();
                for b in blocks {
                    for mut boxed in self.block(b, inner) {
                        let dx = indent + if indent > 0.0 { 9.0 } else { 0.0 };
                        boxed.ops = boxed.ops.iter().map(|op| op.moved(dx, 0.0)).collect();
                        if indent > 0.0 {
                            let x = indent + 1.5;
                            boxed.ops.push(Op::Rule {
                                x1: x,
                                y1: 0.0,
                                x2: x,
                                y2: boxed.height,
                                width: 2.5,
                                grey: 0xcc,
                            });
                        }
                        out.push(boxed);
                    }
                }
                if let (Some(id), Some(first)) = (id, out.first_mut()) {
                    first.anchors.push(id.clone());
                }
                out.push(Boxed::space(BODY * 0.9));
                out
            }
            other => {
                let slots = self.slots(other, width, BODY);
                let mut out: Vec<Boxed> = slots.into_iter().map(boxed).collect();
                out.push(Boxed::space(BODY * 0.5));
                out
            }
        }
    }

    /// The boxes of table `t`, handed to `out` a row at a time as they are set, so a long table (the
    /// chronology) is never held whole: the space before it, each row (the first below the header),
    /// the space after it. `out` answers whether to go on.
    pub fn table(&mut self, t: &Table, width: f32, out: &mut dyn FnMut(Boxed) -> bool) {
        let header = Rc::new(self.header(t, width));
        if !out(Boxed::space(4.0)) {
            return;
        }
        for (i, row) in t.rows.iter().enumerate() {
            let mut rows = self.row(t, row, width);
            if i == 0 {
                // The header is drawn with the first row, so it never stands alone at a page's foot.
                rows[0] = stacked(&header, &rows[0]);
            }
            for r in rows {
                if !out(Boxed { header: Some(header.clone()), ..r }) {
                    return;
                }
            }
        }
        out(Boxed::space(8.0));
    }

    /// Lines as boxes, `gap` points before the first.
    fn boxes(&mut self, spans: Vec<Span>, width: f32, x: f32, gap: f32) -> Vec<Boxed> {
        let mut out: Vec<Boxed> = lines(self.fonts, &spans, width - x)
            .into_iter()
            .map(|line| boxed(Slot { gap: 0.0, x, line, bars: Vec::new() }))
            .collect();
        if let Some(first) = out.first_mut() {
            for op in &mut first.ops {
                *op = op.moved(0.0, gap);
            }
            first.height += gap;
        }
        out
    }

    /// The lines of a block that sits in running text or in a table cell, in type of `size`.
    fn slots(&mut self, block: &Block, width: f32, size: f32) -> Vec<Slot> {
        let plain = Style::new(Face::SERIF, size);
        match block {
            Block::Para(inlines) => self.lines(self.inlines(inlines, &plain), width, 0.0),
            Block::Note(note) => {
                let style = Style::new(Face::SERIF.italic(), 10.0).grey(0x44);
                self.lines(vec![Span::new(*note, &style)], width, 0.0)
            }
            Block::Heading(_, inlines) => {
                self.lines(self.inlines(inlines, &Style::new(Face::SANS.bold(), size)), width, 0.0)
            }
            Block::Aside(inlines) => {
                let style = Style::new(Face::SERIF, size - 1.0).grey(0x33);
                self.lines(self.inlines(inlines, &style), width, 0.0)
            }
            Block::List(items) => items
                .iter()
                .flat_map(|item| {
                    let mut spans = vec![Span::new("• ", &plain)];
                    spans.extend(self.inlines(item, &plain));
                    self.lines(spans, width, 8.0)
                })
                .collect(),
            Block::Markdown(text, look) => self.markdown(text, *look, width, size),
            Block::Fields(fields) => fields
                .iter()
                .flat_map(|f| {
                    let mut spans = vec![Span::new(format!("{}: ", f.label), &Style::new(Face::SANS.bold(), size))];
                    spans.extend(self.inlines(&f.value, &plain));
                    self.lines(spans, width, 0.0)
                })
                .collect(),
            Block::Table(_) | Block::Group { .. } => Vec::new(),
        }
    }

    fn lines(&mut self, spans: Vec<Span>, width: f32, x: f32) -> Vec<Slot> {
        lines(self.fonts, &spans, width - x)
            .into_iter()
            .map(|line| Slot { gap: 0.0, x, line, bars: Vec::new() })
            .collect()
    }

    /// Markdown a person wrote, as the Word report shows it: its text with the markup read.
    fn markdown(&mut self, text: &str, look: Look, width: f32, size: f32) -> Vec<Slot> {
        let (style, x, bar) = match look {
            Look::Own | Look::Cell => (Style::new(Face::SERIF, size), 0.0, false),
            Look::Body => (Style::new(Face::SERIF, size), 11.0, true),
            Look::Aside => (Style::new(Face::SERIF, size - 1.5).grey(0x33), 0.0, false),
        };
        let plain = markdown_to_text(text);
        let mut out = Vec::new();
        for (n, paragraph) in plain.split("\n\n").map(str::trim_end).filter(|p| !p.trim().is_empty()).enumerate() {
            let mut spans = Vec::new();
            for (i, line) in paragraph.lines().enumerate() {
                if i > 0 {
                    spans.push(Span::new("\n", &style));
                }
                spans.push(Span::new(line, &style));
            }
            let mut slots = self.lines(spans, width, x);
            if let (true, Some(first)) = (n > 0, slots.first_mut()) {
                first.gap = size * 0.4;
            }
            out.extend(slots);
        }
        if bar {
            for s in &mut out {
                s.bars.push(2.0);
            }
        }
        out
    }

    /// Inlines as spans of text in `style` (links, dates, labels in their own).
    fn inlines(&self, inlines: &[Inline], style: &Style) -> Vec<Span> {
        let mut out = Vec::new();
        let small = |grey: u8| Style::new(Face::MONO, 8.5).grey(grey);
        for inline in inlines {
            match inline {
                Inline::Text(t) | Inline::Fixed(t) => out.push(Span::new(t.as_str(), style)),
                Inline::Date { words, recorded } => {
                    out.push(Span::new(words.as_str(), style));
                    out.push(Span::new("\n", style));
                    out.push(Span::new(recorded.as_str(), &small(0x55)));
                }
                Inline::Sources(cites) => sources(&mut out, cites, style),
                Inline::CrossRef { href, text } => {
                    let to = href.trim_start_matches('#').to_string();
                    out.push(Span::new(text.as_str(), &style.clone().link(Link::To(to))));
                }
                Inline::Web(url) => out.push(Span::new(url.as_str(), &style.clone().link(Link::Web(url.clone())))),
                Inline::Strong(t) => out.push(Span::new(t.as_str(), &style.clone().face(style.face.bold()))),
                Inline::Kind(t) => {
                    if !out.is_empty() {
                        out.push(Span::new("\n", style));
                    }
                    out.push(Span::new(t.to_uppercase(), &Style::new(Face::SANS, 7.5).grey(0x55)));
                    out.push(Span::new("\n", style));
                }
                Inline::Code(t) => out.push(Span::new(t.as_str(), &small(0x11))),
                Inline::Quote { exact, page, caveat } => {
                    if !out.is_empty() {
                        out.push(Span::new("\n", style));
                    }
                    out.push(Span::new(format!("“{exact}”"), &style.clone().face(style.face.italic())));
                    if let Some(p) = page {
                        out.push(Span::new(format!(" (p. {p})"), &style.clone().grey(0x55)));
                    }
                    if !caveat.is_empty() {
                        out.push(Span::new(format!(" — {caveat}"), &style.clone().face(style.face.italic())));
                    }
                }
            }
        }
        out
    }

    /// Labelled values, the labels in a column of their own.
    fn fields(&mut self, fields: &[Field], width: f32) -> Vec<Boxed> {
        let label = Style::new(Face::SANS.bold(), 9.5);
        let column = (width * 0.28).min(150.0);
        let mut out = Vec::new();
        for f in fields {
            let left = self.lines(vec![Span::new(f.label.as_str(), &label)], column - 6.0, 0.0);
            let right = self.lines(self.inlines(&f.value, &Style::new(Face::SERIF, BODY)), width - column, 0.0);
            let mut b = Boxed::default();
            let mut y = 0.0f32;
            for s in &left {
                b.ops.push(Op::Text { x: 0.0, y, line: s.line.clone() });
                y += s.height();
            }
            let mut y2 = 0.0f32;
            for s in &right {
                b.ops.push(Op::Text { x: column, y: y2, line: s.line.clone() });
                y2 += s.height();
            }
            b.height = y.max(y2) + 1.5;
            out.push(b);
        }
        out.push(Boxed::space(BODY * 0.6));
        out
    }

    /// The x and width of each column of `t` in `width`.
    fn columns(t: &Table, width: f32) -> Vec<(f32, f32)> {
        let total: usize = t.columns.iter().map(|c| c.share.max(1)).sum();
        let mut x = 0.0;
        t.columns
            .iter()
            .map(|c| {
                let w = width * c.share.max(1) as f32 / total as f32;
                x += w;
                (x - w, w)
            })
            .collect()
    }

    fn header(&mut self, t: &Table, width: f32) -> Boxed {
        let style = Style::new(Face::SANS.bold(), 9.0);
        let cells: Vec<Vec<Slot>> = Self::columns(t, width)
            .iter()
            .zip(&t.columns)
            .map(|((_, w), c)| self.lines(vec![Span::new(c.header.as_str(), &style)], w - 2.0 * PAD, 0.0))
            .collect();
        let mut rows = cell_row(&Self::columns(t, width), cells, f32::INFINITY, Some(0xee));
        rows.remove(0)
    }

    /// A table row, as one box, or several when it is taller than a page.
    fn row(&mut self, t: &Table, row: &Row, width: f32) -> Vec<Boxed> {
        let columns = Self::columns(t, width);
        let cells: Vec<Vec<Slot>> = row
            .cells
            .iter()
            .zip(&columns)
            .map(|(cell, (_, w))| {
                let mut slots = Vec::new();
                for (i, b) in cell.blocks.iter().enumerate() {
                    let mut more = self.slots(b, w - 2.0 * PAD, TABLE);
                    if let (true, Some(first)) = (i > 0 && !matches!(b, Block::Para(_)), more.first_mut()) {
                        first.gap = 2.0;
                    }
                    if cell.class == Some("state-overdue") {
                        for s in &mut more {
                            for p in &mut s.line.pieces {
                                p.style.face = p.style.face.bold();
                            }
                        }
                    }
                    slots.extend(more);
                }
                slots
            })
            .collect();
        let mut boxes = cell_row(&columns, cells, super::BODY_HEIGHT - 40.0, None);
        if let (Some(id), Some(first)) = (&row.id, boxes.first_mut()) {
            first.anchors.push(id.clone());
        }
        boxes
    }
}

/// Citations: each evidence's name a link to its entry in the index, its pinpoints after it.
fn sources(out: &mut Vec<Span>, cites: &[Cite], style: &Style) {
    for (i, c) in cites.iter().enumerate() {
        if i > 0 {
            out.push(Span::new(", ", style));
        }
        out.push(Span::new(c.name.as_str(), &style.clone().link(Link::To(format!("evidence-{}", c.n)))));
        let pins = c.pinpoints();
        if !pins.is_empty() {
            out.push(Span::new(pins, style));
        }
    }
}

/// A slot as a box of its own.
fn boxed(slot: Slot) -> Boxed {
    let height = slot.height();
    let mut ops = vec![Op::Text { x: slot.x, y: slot.gap, line: slot.line }];
    for x in slot.bars {
        ops.push(Op::Rule { x1: x, y1: 0.0, x2: x, y2: height, width: 2.5, grey: 0xdd });
    }
    Boxed { height, ops, ..Default::default() }
}

/// Box `b` drawn below box `a`, as one.
fn stacked(a: &Boxed, b: &Boxed) -> Boxed {
    let mut ops = a.ops.clone();
    ops.extend(b.ops.iter().map(|op| op.moved(0.0, a.height)));
    let mut anchors = a.anchors.clone();
    anchors.extend(b.anchors.iter().cloned());
    Boxed { height: a.height + b.height, ops, anchors, keep: false, header: None }
}

/// The cells of one row side by side, bordered, split into boxes no taller than `limit`.
fn cell_row(columns: &[(f32, f32)], cells: Vec<Vec<Slot>>, limit: f32, fill: Option<u8>) -> Vec<Boxed> {
    let mut out = Vec::new();
    let mut rest: Vec<std::collections::VecDeque<Slot>> = cells.into_iter().map(Into::into).collect();
    loop {
        let mut ops = Vec::new();
        let mut height: f32 = 0.0;
        for ((x, _), slots) in columns.iter().zip(rest.iter_mut()) {
            let mut y = PAD;
            while let Some(slot) = slots.front() {
                if y + slot.height() + PAD > limit && y > PAD {
                    break;
                }
                let slot = slots.pop_front().unwrap_or_else(|| unreachable!());
                let h = slot.height();
                ops.push(Op::Text { x: x + PAD + slot.x, y: y + slot.gap, line: slot.line });
                for bx in slot.bars {
                    let bx = x + PAD + bx;
                    ops.push(Op::Rule { x1: bx, y1: y, x2: bx, y2: y + h, width: 2.5, grey: 0xdd });
                }
                y += h;
            }
            height = height.max(y + PAD);
        }
        let right = columns.last().map_or(0.0, |(x, w)| x + w);
        let mut drawn = Vec::new();
        if let Some(grey) = fill {
            drawn.push(Op::Fill { x: 0.0, y: 0.0, w: right, h: height, grey });
        }
        drawn.extend(ops);
        let line = |x1, y1, x2, y2| Op::Rule { x1, y1, x2, y2, width: 0.6, grey: 0xbb };
        drawn.push(line(0.0, 0.0, right, 0.0));
        drawn.push(line(0.0, height, right, height));
        for (x, _) in columns {
            drawn.push(line(*x, 0.0, *x, height));
        }
        drawn.push(line(right, 0.0, right, height));
        out.push(Boxed { height, ops: drawn, ..Default::default() });
        if rest.iter().all(|s| s.is_empty()) {
            return out;
        }
    }
}

/// Places boxes on pages, handing each full page to `page`.
pub struct Pager<'a> {
    pub top: f32,
    pub bottom: f32,
    pub left: f32,
    y: f32,
    ops: Vec<Op>,
    /// Boxes waiting to go with the next one (headings).
    held: Vec<Boxed>,
    pub page: usize,
    page_out: &'a mut dyn FnMut(usize, Vec<Op>),
    anchor_out: &'a mut dyn FnMut(&str, usize, f32),
}

impl<'a> Pager<'a> {
    pub fn new(
        top: f32,
        bottom: f32,
        left: f32,
        page_out: &'a mut dyn FnMut(usize, Vec<Op>),
        anchor_out: &'a mut dyn FnMut(&str, usize, f32),
    ) -> Pager<'a> {
        Pager { top, bottom, left, y: top, ops: Vec::new(), held: Vec::new(), page: 0, page_out, anchor_out }
    }

    /// Places `b` below what is on the page, on a new page if it does not fit.
    pub fn place(&mut self, b: Boxed) {
        if b.keep || (b.is_space() && !self.held.is_empty()) {
            self.held.push(b);
            return;
        }
        let held = std::mem::take(&mut self.held);
        let together: f32 = held.iter().map(|h| h.height).sum::<f32>() + b.height;
        if self.y + together > self.bottom && self.y > self.top {
            self.new_page();
            if let (true, Some(header)) = (held.is_empty(), &b.header) {
                self.put(header.as_ref().clone());
            }
        }
        for h in held {
            self.put(h);
        }
        self.put(b);
    }

    fn put(&mut self, b: Boxed) {
        if b.is_space() && self.y <= self.top {
            return;
        }
        for a in &b.anchors {
            (self.anchor_out)(a, self.page, self.y);
        }
        let (dx, dy) = (self.left, self.y);
        self.ops.extend(b.ops.iter().map(|op| op.moved(dx, dy)));
        self.y += b.height;
    }

    /// Ends the page; what follows starts at the top of the next.
    pub fn new_page(&mut self) {
        let ops = std::mem::take(&mut self.ops);
        (self.page_out)(self.page, ops);
        self.page += 1;
        self.y = self.top;
    }

    /// Marks `id` at the current position (a section's start).
    pub fn anchor(&mut self, id: &str) {
        (self.anchor_out)(id, self.page, self.y);
    }

    /// Ends the last page.
    pub fn finish(mut self) -> usize {
        for h in std::mem::take(&mut self.held) {
            self.put(h);
        }
        self.new_page();
        self.page
    }
}
