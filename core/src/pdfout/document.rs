//! A document's text laid out as a PDF: each page of the text (a Word or OpenDocument page break, or
//! the whole of an e-mail) on A4 pages of its own, its lines wrapped between words, set in DejaVu
//! Sans with the system's other faces for the characters DejaVu lacks (`fonts`), every font embedded
//! with its Unicode map so Poppler reads the words back with their boxes. This is how a document that
//! is not a PDF is redacted: the same text, drawn the same way each time, is searched and then burned
//! like any PDF. Lines are set in the order the text is written (no bidirectional reordering).

use krilla::color::rgb;
use krilla::geom::Point;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::Document;

use super::fonts::{Face, Fonts, Shaped};
use crate::error::{Error, Result};

/// A4, in points, and the margins.
const WIDTH: f32 = 595.28;
const HEIGHT: f32 = 841.89;
const MARGIN: f32 = 56.7;
/// The type's size and the line's height, in points.
const SIZE: f32 = 11.0;
const LINE: f32 = SIZE * 1.4;
/// Most pages one document is laid out on: what a PDF is read up to.
const MAX_PAGES: usize = crate::extract::MAX_PAGES;

/// A word shaped, and its width in points.
struct Set {
    parts: Vec<Shaped>,
    width: f32,
}

/// The PDF of `pages` of text. Refused when it would be longer than 2,000 pages, or when the fonts
/// are missing (naming the packages to install).
pub fn text_document(pages: &[String]) -> Result<Vec<u8>> {
    let mut fonts = Fonts::system()?;
    let mut laid: Vec<Vec<(f32, f32, Set)>> = Vec::new();
    for text in pages {
        lay_out(&mut fonts, text, &mut laid)?;
    }
    if laid.is_empty() {
        laid.push(Vec::new());
    }
    let mut document = Document::new();
    let settings = PageSettings::from_wh(WIDTH, HEIGHT).ok_or_else(|| Error::internal("the page size"))?;
    for words in &laid {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        surface.set_fill(Some(Fill {
            paint: rgb::Color::new(0, 0, 0).into(),
            opacity: NormalizedF32::ONE,
            rule: Default::default(),
        }));
        for (x, baseline, set) in words {
            let mut x = *x;
            for part in &set.parts {
                let glyphs = part.krilla_glyphs();
                surface.draw_glyphs(Point::from_xy(x, *baseline), &glyphs, part.font.clone(), &part.text, SIZE, false);
                x += part.width * SIZE;
            }
        }
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| Error::internal(format!("writing the PDF: {e:?}")))
}

/// Lays the words of one page of text out on new pages, each word with its left end and baseline.
fn lay_out(fonts: &mut Fonts, text: &str, laid: &mut Vec<Vec<(f32, f32, Set)>>) -> Result<()> {
    let too_long = || {
        Error::rule(
            "document",
            "too_long",
            None,
            format!("the document's text is longer than {MAX_PAGES} pages: it cannot be laid out to be redacted"),
        )
    };
    let new_page = |laid: &mut Vec<Vec<(f32, f32, Set)>>| {
        if laid.len() >= MAX_PAGES {
            return Err(too_long());
        }
        laid.push(Vec::new());
        Ok(MARGIN + SIZE)
    };
    let mut baseline = new_page(laid)?;
    let space = fonts.shape(Face::SANS, " ").iter().map(|s| s.width).sum::<f32>() * SIZE;
    for line in text.lines() {
        let mut x = MARGIN;
        for word in line.split_whitespace() {
            for piece in pieces(fonts, word) {
                if x > MARGIN && x + piece.width > WIDTH - MARGIN {
                    x = MARGIN;
                    baseline += LINE;
                }
                if baseline > HEIGHT - MARGIN {
                    baseline = new_page(laid)?;
                }
                let width = piece.width;
                if let Some(page) = laid.last_mut() {
                    page.push((x, baseline, piece));
                }
                x += width + space;
            }
        }
        baseline += LINE;
        if baseline > HEIGHT - MARGIN {
            baseline = new_page(laid)?;
        }
    }
    Ok(())
}

/// A word shaped, cut between characters into pieces that fit a line when it is wider than one (an
/// address, a digest).
fn pieces(fonts: &mut Fonts, word: &str) -> Vec<Set> {
    let set = |fonts: &mut Fonts, text: &str| {
        let parts = fonts.shape(Face::SANS, text);
        let width = parts.iter().map(|p| p.width).sum::<f32>() * SIZE;
        Set { parts, width }
    };
    let whole = set(fonts, word);
    let room = WIDTH - 2.0 * MARGIN;
    if whole.width <= room {
        return vec![whole];
    }
    // Measured a character at a time (each shaped once, then remembered by `fonts`), so a long
    // word costs what its length does.
    let mut out = Vec::new();
    let (mut start, mut width) = (0, 0.0);
    for (i, c) in word.char_indices() {
        let mut buf = [0u8; 4];
        let one = fonts.shape(Face::SANS, c.encode_utf8(&mut buf)).iter().map(|p| p.width).sum::<f32>() * SIZE;
        if width + one > room && i > start {
            out.push(set(fonts, &word[start..i]));
            (start, width) = (i, 0.0);
        }
        width += one;
    }
    if start < word.len() {
        out.push(set(fonts, &word[start..]));
    }
    out
}
