//! A PDF's pages as a redaction needs them: where each word of its text layer stands (Poppler's
//! `pdftotext -bbox`), each page drawn in grey (`pdftoppm`), and the words Tesseract reads on a
//! drawn page that has no text layer. Points are measured from the page's top left corner, as a
//! reader points at a page; every program runs through `process`, bounded in time.

use std::io::Read;

use quick_xml::events::Event;

use super::super::process::{self, Program};
use super::super::{Open, MAX_PAGES, MAX_TEXT};
use crate::error::Result;

/// Seconds for the word boxes of a whole file, and for drawing or recognizing one page.
const LAYOUT_SECONDS: u64 = 120;
const PAGE_SECONDS: u64 = 90;
/// The longest side of a drawn page, in pixels: 2 metres at 150 dpi.
const MAX_SIDE: u64 = 12_000;

/// A page: its size in points, and the words of its text layer.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub width: f64,
    pub height: f64,
    pub words: Vec<Word>,
}

/// A word and its box, in points from the page's top left corner.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub text: String,
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

/// A page drawn in grey: one byte a pixel, rows top to bottom.
pub struct Picture {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<u8>,
}

/// The pages of the PDF `open` gives, with the boxes of their words.
pub fn layout(open: &Open<'_>) -> Result<Vec<Page>> {
    let program = Program {
        name: "pdftotext",
        args: ["-bbox", "-enc", "UTF-8", "-l", &MAX_PAGES.to_string(), "-", "-"].map(String::from).to_vec(),
        seconds: LAYOUT_SECONDS,
    };
    let xhtml = process::run(&program, open()?, |out| process::read_capped(out, 8 * MAX_TEXT, "the word boxes"))?;
    parse_layout(&xhtml)
}

fn parse_layout(xhtml: &[u8]) -> Result<Vec<Page>> {
    let bad = |why: String| super::super::unreadable(None, &format!("its word boxes could not be read: {why}"));
    let mut reader = quick_xml::Reader::from_reader(xhtml);
    let mut pages: Vec<Page> = Vec::new();
    let mut word: Option<Word> = None;
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).map_err(|e| bad(e.to_string()))? {
            Event::Start(e) | Event::Empty(e) => {
                let number = |name: &[u8]| -> f64 {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == name)
                        .and_then(|a| String::from_utf8_lossy(&a.value).parse().ok())
                        .unwrap_or(0.0)
                };
                match e.name().as_ref() {
                    b"page" => {
                        pages.push(Page { width: number(b"width"), height: number(b"height"), words: Vec::new() })
                    }
                    b"word" => {
                        word = Some(Word {
                            text: String::new(),
                            x0: number(b"xMin"),
                            y0: number(b"yMin"),
                            x1: number(b"xMax"),
                            y1: number(b"yMax"),
                        })
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                if let Some(w) = word.as_mut() {
                    w.text.push_str(&t.decode().map_err(|e| bad(e.to_string()))?);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(w) = word.as_mut() {
                    if let Some(c) = r.resolve_char_ref().map_err(|e| bad(e.to_string()))? {
                        w.text.push(c);
                    } else if let Some(text) =
                        quick_xml::escape::resolve_predefined_entity(&r.decode().map_err(|e| bad(e.to_string()))?)
                    {
                        w.text.push_str(text);
                    }
                }
            }
            Event::End(e) if e.name().as_ref() == b"word" => {
                if let (Some(w), Some(page)) = (word.take(), pages.last_mut()) {
                    page.words.push(w);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(pages)
}

/// Draws the `count` pages of the PDF `open` gives in grey at `dpi`, handing each to `each` (its
/// index from 0) as `pdftoppm` streams them. Annotations and form fields are not drawn: their text
/// is not among the page's words (`layout`), so what they hold could be neither found nor reviewed
/// before it became part of a redacted copy's picture.
pub fn draw(open: &Open<'_>, dpi: u32, count: usize, each: &mut dyn FnMut(usize, Picture) -> Result<()>) -> Result<()> {
    let program = Program {
        name: "pdftoppm",
        args: ["-gray", "-hide-annotations", "-r", &dpi.to_string(), "-l", &count.to_string(), "-"]
            .map(String::from)
            .to_vec(),
        seconds: LAYOUT_SECONDS + PAGE_SECONDS * count as u64,
    };
    process::run(&program, open()?, |out| {
        for i in 0..count {
            each(i, read_gray(out, MAX_SIDE)?)?;
        }
        Ok(())
    })
}

/// One binary grey-level picture (PGM, `P5`) as `pdftoppm -gray` streams them, header and pixels,
/// refused when a side is longer than `max_side` pixels.
pub(super) fn read_gray(from: &mut impl Read, max_side: u64) -> Result<Picture> {
    let bad = |why: &str| super::super::unreadable(None, why);
    let mut magic = [0u8; 2];
    from.read_exact(&mut magic).map_err(|_| bad("a page could not be rendered"))?;
    if &magic != b"P5" {
        return Err(bad("a page was not rendered as a grey image"));
    }
    let mut fields: Vec<u64> = Vec::new();
    let mut number = String::new();
    let mut byte = [0u8; 1];
    while fields.len() < 3 {
        from.read_exact(&mut byte).map_err(|_| bad("a rendered page was cut"))?;
        if byte[0].is_ascii_digit() && number.len() < 8 {
            number.push(byte[0] as char);
        } else if byte[0].is_ascii_whitespace() && !number.is_empty() {
            fields.push(number.parse().map_err(|_| bad("a rendered page has a bad size"))?);
            number.clear();
        } else if !byte[0].is_ascii_whitespace() {
            return Err(bad("a rendered page has a bad header"));
        }
    }
    let (width, height, max) = (fields[0], fields[1], fields[2]);
    if width > max_side || height > max_side || max > 255 {
        return Err(bad("a rendered page is larger than asked"));
    }
    let mut pixels = vec![0u8; (width * height) as usize];
    from.read_exact(&mut pixels).map_err(|_| bad("a rendered page was cut"))?;
    Ok(Picture { width: width as u32, height: height as u32, pixels })
}

impl Picture {
    /// The picture as a PGM file, as Tesseract reads it.
    pub fn pgm(&self) -> Vec<u8> {
        let mut out = format!("P5\n{} {}\n255\n", self.width, self.height).into_bytes();
        out.extend_from_slice(&self.pixels);
        out
    }
}

/// A picture file (PNG, JPEG, TIFF…) as Tesseract makes it a one-page PDF: the picture, with the
/// words it reads on it laid over as invisible text. A redaction works on that.
pub fn picture_pdf(image: Box<dyn Read + Send>) -> Result<Vec<u8>> {
    let program = Program {
        name: "tesseract",
        args: ["stdin", "stdout", "-l", super::LANGUAGES, "pdf"].map(String::from).to_vec(),
        seconds: PAGE_SECONDS,
    };
    process::run(&program, image, |out| process::read_capped(out, 8 * MAX_TEXT, "the picture's PDF"))
}

/// The words Tesseract reads on `picture`, drawn at `dpi`, with their boxes in points.
pub fn recognize_words(picture: &Picture, dpi: u32) -> Result<Vec<Word>> {
    let program = Program {
        name: "tesseract",
        args: ["stdin", "stdout", "-l", super::LANGUAGES, "tsv"].map(String::from).to_vec(),
        seconds: PAGE_SECONDS,
    };
    let tsv = process::run(&program, Box::new(std::io::Cursor::new(picture.pgm())), |out| {
        process::read_capped(out, MAX_TEXT, "the recognized words")
    })?;
    let scale = 72.0 / f64::from(dpi);
    let words = String::from_utf8_lossy(&tsv)
        .lines()
        .skip(1)
        .filter_map(|line| {
            // level, page, block, paragraph, line, word, left, top, width, height, confidence, text
            let f: Vec<&str> = line.splitn(12, '\t').collect();
            let text = f.get(11)?.trim();
            if f.first() != Some(&"5") || text.is_empty() {
                return None;
            }
            let n = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok());
            let (left, top, width, height) = (n(6)?, n(7)?, n(8)?, n(9)?);
            Some(Word {
                text: text.to_string(),
                x0: left * scale,
                y0: top * scale,
                x1: (left + width) * scale,
                y1: (top + height) * scale,
            })
        })
        .collect();
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_boxes_are_read_from_pdftotexts_xhtml() {
        let xhtml = br#"<html><body><doc><page width="595.000000" height="842.000000">
            <word xMin="60.0" yMin="50.2" xMax="118.6" yMax="64.2">Jane&amp;Roe</word>
            </page><page width="612" height="792"></page></doc></body></html>"#;
        let pages = parse_layout(xhtml).expect("read");
        assert_eq!(pages.len(), 2);
        assert_eq!((pages[0].width, pages[1].height), (595.0, 792.0));
        assert_eq!(pages[0].words[0], Word { text: "Jane&Roe".into(), x0: 60.0, y0: 50.2, x1: 118.6, y1: 64.2 });
    }
}
