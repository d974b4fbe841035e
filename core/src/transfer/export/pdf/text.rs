//! Runs of styled text broken into lines of a given width, where Unicode's line-breaking rules
//! (UAX #14) allow: after a space, after a hyphen, between two Chinese characters… A word wider than
//! the line (a digest, a long address) is broken between characters. A `\n` the report puts in its
//! own text (between a date's words and its recorded form) ends a line.

use std::rc::Rc;

use unicode_linebreak::{linebreaks, BreakOpportunity};

use super::fonts::{Face, Fonts, Shaped};

/// Where a piece of text leads when clicked.
#[derive(Clone, Debug, PartialEq)]
pub enum Link {
    /// Another part of the report, by its anchor (`evidence-3`).
    To(String),
    /// An http(s) address.
    Web(String),
}

/// How a run of text looks.
#[derive(Clone, Debug, PartialEq)]
pub struct Style {
    pub face: Face,
    pub size: f32,
    /// Grey level, 0 black.
    pub grey: u8,
    pub link: Option<Rc<Link>>,
}

impl Style {
    pub fn new(face: Face, size: f32) -> Style {
        Style { face, size, grey: 0x11, link: None }
    }

    pub fn grey(self, grey: u8) -> Style {
        Style { grey, ..self }
    }

    pub fn face(self, face: Face) -> Style {
        Style { face, ..self }
    }

    pub fn link(self, link: Link) -> Style {
        Style { link: Some(Rc::new(link)), ..self }
    }
}

/// Text in one style.
#[derive(Clone, Debug)]
pub struct Span {
    pub text: String,
    pub style: Style,
}

impl Span {
    pub fn new(text: impl Into<String>, style: &Style) -> Span {
        Span { text: text.into(), style: style.clone() }
    }
}

/// Shaped text placed on a line, `x` points from the line's start.
#[derive(Clone, Debug)]
pub struct Piece {
    pub x: f32,
    pub shaped: Shaped,
    pub style: Style,
}

impl Piece {
    pub fn width(&self) -> f32 {
        self.shaped.width * self.style.size
    }
}

/// One line of text.
#[derive(Clone, Debug, Default)]
pub struct Line {
    pub pieces: Vec<Piece>,
    pub width: f32,
    /// The largest type on the line, which sets its height.
    pub size: f32,
}

/// `spans` set in lines at most `width` points wide. Line breaks in the spans' text are spaces,
/// except a lone `"\n"` span, which ends the line.
pub fn lines(fonts: &mut Fonts, spans: &[Span], width: f32) -> Vec<Line> {
    let mut text = String::new();
    // Where each span starts in `text`.
    let mut starts = Vec::with_capacity(spans.len());
    for s in spans {
        starts.push(text.len());
        if s.text == "\n" {
            text.push('\n');
        } else {
            text.extend(s.text.chars().map(|c| if c.is_control() { ' ' } else { c }));
        }
    }
    let mut out = Breaker { fonts, width, lines: Vec::new(), line: Line::default() };
    let mut from = 0;
    for (at, kind) in linebreaks(&text) {
        let mut pieces = Vec::new();
        for (i, s) in spans.iter().enumerate() {
            let (start, end) = (starts[i].max(from), starts.get(i + 1).copied().unwrap_or(text.len()).min(at));
            if start < end {
                let part = text[start..end].trim_end_matches('\n');
                if !part.is_empty() {
                    pieces.push((part, &s.style));
                }
            }
        }
        out.word(&pieces);
        if kind == BreakOpportunity::Mandatory && at < text.len() {
            out.end_line();
        }
        from = at;
    }
    out.end_line();
    out.lines
}

struct Breaker<'a> {
    fonts: &'a mut Fonts,
    width: f32,
    lines: Vec<Line>,
    line: Line,
}

impl Breaker<'_> {
    /// Adds a word (the text up to a break opportunity, its trailing spaces included), on a new line
    /// if it does not fit on this one.
    fn word(&mut self, parts: &[(&str, &Style)]) {
        let shaped: Vec<(Shaped, &Style)> = parts
            .iter()
            .flat_map(|(text, style)| {
                let shaped = self.fonts.shape(style.face, text);
                shaped.into_iter().map(move |s| (s, *style))
            })
            .collect();
        let total: f32 = shaped.iter().map(|(s, st)| s.width * st.size).sum();
        let trailing = parts.last().map_or(0.0, |(text, style)| {
            let spaces = text.chars().rev().take_while(|c| c.is_whitespace()).count();
            spaces as f32 * style.size * 0.3
        });
        if self.line.width + total - trailing > self.width && !self.line.pieces.is_empty() {
            self.end_line();
        }
        if total - trailing > self.width {
            self.split(parts);
            return;
        }
        for (s, style) in shaped {
            self.push(s, style);
        }
    }

    /// A word wider than the line, broken between characters.
    fn split(&mut self, parts: &[(&str, &Style)]) {
        for (text, style) in parts {
            for (i, c) in text.char_indices() {
                for s in self.fonts.shape(style.face, &text[i..i + c.len_utf8()]) {
                    if self.line.width + s.width * style.size > self.width && !self.line.pieces.is_empty() {
                        self.end_line();
                    }
                    self.push(s, style);
                }
            }
        }
    }

    fn push(&mut self, shaped: Shaped, style: &Style) {
        let piece = Piece { x: self.line.width, shaped, style: style.clone() };
        self.line.width += piece.width();
        self.line.size = self.line.size.max(style.size);
        self.line.pieces.push(piece);
    }

    fn end_line(&mut self) {
        let line = std::mem::take(&mut self.line);
        if !line.pieces.is_empty() {
            self.lines.push(line);
        }
    }
}
