//! Runs of styled text broken into lines of a given width, where Unicode's line-breaking rules
//! (UAX #14) allow: after a space, after a hyphen, between two Chinese characters… A word wider than
//! the line (a digest, a long address) is broken between characters. A `\n` the report puts in its
//! own text (between a date's words and its recorded form) ends a line.
//!
//! Text with right-to-left letters (Arabic, Hebrew) is ordered by the Unicode Bidirectional Algorithm:
//! lines are broken in the order the text is written, then each line's runs are laid out in the order
//! they are read (UAX #9, rule L2), and a paragraph that starts in a right-to-left script is set
//! flush right.

use std::rc::Rc;

use unicode_bidi::{BidiClass, BidiInfo, Level};
use unicode_linebreak::{linebreaks, BreakOpportunity};

use crate::pdfout::fonts::{Face, Fonts, Shaped};

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
    /// Its embedding level: odd reads right to left.
    level: u8,
    /// Where its text starts in the paragraph's.
    at: usize,
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
    /// How far right of its box the line starts (a right-to-left paragraph is set flush right).
    pub shift: f32,
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
    let bidi = text.chars().any(|c| matches!(unicode_bidi::bidi_class(c), BidiClass::R | BidiClass::AL)).then(|| {
        let info = BidiInfo::new(&text, None);
        let rtl = info.paragraphs.iter().filter(|p| p.level.is_rtl()).map(|p| p.range.clone()).collect();
        (info.levels, rtl)
    });
    let mut out = Breaker { fonts, width, lines: Vec::new(), line: Line::default(), bidi };
    let end_of = |i: usize| starts.get(i + 1).copied().unwrap_or(text.len());
    let mut from = 0;
    // The first span that ends after `from`: the spans before it are behind every later word.
    let mut first = 0;
    for (at, kind) in linebreaks(&text) {
        while first < spans.len() && end_of(first) <= from {
            first += 1;
        }
        let mut pieces = Vec::new();
        for (i, s) in spans.iter().enumerate().skip(first).take_while(|(i, _)| starts[*i] < at) {
            let (start, end) = (starts[i].max(from), end_of(i).min(at));
            if start < end {
                let part = text[start..end].trim_end_matches('\n');
                if !part.is_empty() {
                    pieces.push((start, part, &s.style));
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

/// `text` in `style` on one line at most `width` points wide; what would go on later lines is left
/// out (a running header, a line of the contents).
pub fn one_line(fonts: &mut Fonts, text: &str, style: &Style, width: f32) -> Line {
    lines(fonts, &[Span::new(text, style)], width).into_iter().next().unwrap_or_default()
}

struct Breaker<'a> {
    fonts: &'a mut Fonts,
    width: f32,
    lines: Vec<Line>,
    line: Line,
    /// For text with right-to-left letters: the level of each byte, and the byte ranges of the
    /// paragraphs that are right to left (a `\n` starts a new paragraph).
    bidi: Option<(Vec<Level>, Vec<std::ops::Range<usize>>)>,
}

/// A part of a word: where it starts in the paragraph's text, its text, and its style.
type Part<'t, 's> = (usize, &'t str, &'s Style);

impl Breaker<'_> {
    /// Adds a word (the text up to a break opportunity, its trailing spaces included), on a new line
    /// if it does not fit on this one.
    fn word(&mut self, parts: &[Part<'_, '_>]) {
        let parts = self.by_level(parts);
        let mut shaped: Vec<(Shaped, &Style, u8, usize)> = Vec::new();
        for (start, text, style) in &parts {
            let level = self.level(*start);
            shaped.extend(self.fonts.shape(style.face, text).into_iter().map(|s| (s, *style, level, *start)));
        }
        let total: f32 = shaped.iter().map(|(s, st, _, _)| s.width * st.size).sum();
        let trailing = parts.last().map_or(0.0, |(_, text, style)| {
            let spaces = text.chars().rev().take_while(|c| c.is_whitespace()).count();
            spaces as f32 * style.size * 0.3
        });
        if self.line.width + total - trailing > self.width && !self.line.pieces.is_empty() {
            self.end_line();
        }
        if total - trailing > self.width {
            self.split(&parts);
            return;
        }
        for (s, style, level, at) in shaped {
            self.push(s, style, level, at);
        }
    }

    /// The embedding level of the text at byte `at` (0 when the paragraph has no right-to-left letter).
    fn level(&self, at: usize) -> u8 {
        self.bidi.as_ref().and_then(|(levels, _)| levels.get(at)).map_or(0, |l| l.number())
    }

    /// `parts` split where the embedding level changes, so each is shaped in one direction.
    fn by_level<'t, 's>(&self, parts: &[Part<'t, 's>]) -> Vec<Part<'t, 's>> {
        if self.bidi.is_none() {
            return parts.to_vec();
        }
        let mut out = Vec::new();
        for &(start, text, style) in parts {
            let mut from = 0;
            for (i, _) in text.char_indices().skip(1) {
                if self.level(start + i) != self.level(start + from) {
                    out.push((start + from, &text[from..i], style));
                    from = i;
                }
            }
            out.push((start + from, &text[from..], style));
        }
        out
    }

    /// A word wider than the line, broken between characters.
    fn split(&mut self, parts: &[Part<'_, '_>]) {
        for &(start, text, style) in parts {
            for (i, c) in text.char_indices() {
                let level = self.level(start + i);
                for s in self.fonts.shape(style.face, &text[i..i + c.len_utf8()]) {
                    if self.line.width + s.width * style.size > self.width && !self.line.pieces.is_empty() {
                        self.end_line();
                    }
                    self.push(s, style, level, start + i);
                }
            }
        }
    }

    fn push(&mut self, shaped: Shaped, style: &Style, level: u8, at: usize) {
        let piece = Piece { x: self.line.width, shaped, style: style.clone(), level, at };
        self.line.width += piece.width();
        self.line.size = self.line.size.max(style.size);
        self.line.pieces.push(piece);
    }

    fn end_line(&mut self) {
        let mut line = std::mem::take(&mut self.line);
        if line.pieces.is_empty() {
            return;
        }
        if let Some((_, rtl)) = &self.bidi {
            let at = line.pieces[0].at;
            if rtl.iter().any(|r| r.contains(&at)) {
                line.shift = (self.width - line.width).max(0.0);
            }
            reorder(&mut line.pieces);
        }
        self.lines.push(line);
    }
}

/// Lays a line's pieces out in reading order (UAX #9, L2): from the highest level down to the lowest
/// odd one, every run of pieces at that level or above is reversed.
fn reorder(pieces: &mut [Piece]) {
    let highest = pieces.iter().map(|p| p.level).max().unwrap_or(0);
    let lowest_odd = pieces.iter().map(|p| p.level).filter(|l| l % 2 == 1).min();
    if let Some(lowest_odd) = lowest_odd {
        for level in (lowest_odd..=highest).rev() {
            let mut i = 0;
            while i < pieces.len() {
                if pieces[i].level < level {
                    i += 1;
                    continue;
                }
                let start = i;
                while i < pieces.len() && pieces[i].level >= level {
                    i += 1;
                }
                pieces[start..i].reverse();
            }
        }
    }
    let mut x = 0.0;
    for p in pieces {
        p.x = x;
        x += p.width();
    }
}
