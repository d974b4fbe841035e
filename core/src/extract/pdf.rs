//! PDF and images. A PDF's text layer is read by Poppler's `pdftotext`, page by page (it ends each page
//! with a form feed). A page with (almost) no text is taken for a scan: Poppler's `pdftoppm` renders it
//! (its longer side [`RENDER`] pixels, whatever size the page claims) and Tesseract reads it, in English
//! and French. Pictures go to Tesseract as they are.
//!
//! Both are separate programs run through `process`: a hostile or enormous file can only make one of
//! them fail or run out of its time or memory, never the app.

use std::io::Read;

use super::process::{self, Program};
use super::{Open, Progress, MAX_PAGES, MAX_TEXT};
use crate::error::{Error, Result};

/// A page with fewer letters than this in its text layer is read by OCR too (the longer reading is kept).
const SCANNED_BELOW: usize = 16;
/// The longer side of a page rendered for OCR, in pixels (about 200 dpi for A4).
const RENDER: u32 = 2400;
/// Seconds for the text layer of a whole file, and for recognizing one page.
const TEXT_SECONDS: u64 = 120;
const OCR_SECONDS: u64 = 90;
/// Most runs of `pdftoppm` for one file; past that, one run renders from the first scanned page to
/// the last.
const MAX_RUNS: usize = 8;
/// Tesseract's languages.
const LANGUAGES: &str = "eng+fra";

/// How the pages of a PDF were read.
pub(super) struct PdfText {
    pub pages: Vec<String>,
    /// How many pages' text came from OCR.
    pub recognized: usize,
    /// What could not be read, when some scanned pages kept only their text layer.
    pub problem: Option<String>,
}

/// The pages of the PDF `open` reads, scans recognized.
pub(super) fn pages(open: &Open<'_>, progress: &mut Progress<'_>) -> Result<PdfText> {
    let layer = Program {
        name: "pdftotext",
        args: ["-enc", "UTF-8", "-l", &MAX_PAGES.to_string(), "-", "-"].map(String::from).to_vec(),
        seconds: TEXT_SECONDS,
    };
    let text = process::run(&layer, open()?, |out| process::read_capped(out, MAX_TEXT, "the text layer"))?;
    let text = String::from_utf8_lossy(&text);
    // Every page ends with a form feed, the last one included.
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    pages.pop();
    let scanned: Vec<usize> = (0..pages.len()).filter(|&i| letters(&pages[i]) < SCANNED_BELOW).collect();
    if scanned.is_empty() {
        return Ok(PdfText { pages, recognized: 0, problem: None });
    }
    let total = scanned.len();
    let (mut done, mut recognized) = (0, 0);
    let mut problem: Option<String> = None;
    // Consecutive scanned pages are rendered by one run of pdftoppm, which streams them one by one. A
    // document whose scanned pages are scattered is rendered in one run from the first to the last
    // (the pages between are skipped), so the file is not sent again for every run.
    let mut spans: Vec<(usize, usize)> = runs(&scanned).iter().map(|r| (r[0], r[r.len() - 1])).collect();
    if spans.len() > MAX_RUNS {
        spans = vec![(scanned[0], scanned[total - 1])];
    }
    for (first, last) in spans {
        let render = Program {
            name: "pdftoppm",
            args: [
                "-gray",
                "-scale-to",
                &RENDER.to_string(),
                "-f",
                &(first + 1).to_string(),
                "-l",
                &(last + 1).to_string(),
                "-",
            ]
            .map(String::from)
            .to_vec(),
            seconds: TEXT_SECONDS + OCR_SECONDS * (last - first + 1) as u64,
        };
        let rendered = process::run(&render, open()?, |out| {
            for (index, page) in pages.iter_mut().enumerate().take(last + 1).skip(first) {
                let image = read_pnm(out)?;
                if letters(page) >= SCANNED_BELOW {
                    continue;
                }
                // A page OCR cannot read keeps its text layer, and the reading says so; a short page of
                // real text (a cover, a signature) is kept as it is when OCR reads less.
                match recognize(image) {
                    Ok(read) if letters(&read) > letters(page) => {
                        *page = read;
                        recognized += 1;
                    }
                    Ok(_) => {}
                    Err(Error::Cancelled) => return Err(Error::Cancelled),
                    Err(e) => {
                        problem.get_or_insert_with(|| format!("page {} could not be recognized: {e}", index + 1));
                    }
                }
                done += 1;
                if !progress(done, total) {
                    return Err(Error::Cancelled);
                }
            }
            Ok(())
        });
        match rendered {
            Ok(()) => {}
            Err(Error::Cancelled) => return Err(Error::Cancelled),
            Err(e) => {
                problem.get_or_insert_with(|| format!("pages {}–{} could not be rendered: {e}", first + 1, last + 1));
            }
        }
    }
    Ok(PdfText { pages, recognized, problem })
}

/// The text of one picture (PNG, JPEG, TIFF, …) or rendered page.
pub(super) fn recognize(image: Box<dyn Read + Send>) -> Result<String> {
    let ocr = Program {
        name: "tesseract",
        args: ["stdin", "stdout", "-l", LANGUAGES].map(String::from).to_vec(),
        seconds: OCR_SECONDS,
    };
    let text = process::run(&ocr, image, |out| process::read_capped(out, MAX_TEXT, "the recognized text"))?;
    Ok(String::from_utf8_lossy(&text).into_owned())
}

fn letters(text: &str) -> usize {
    text.chars().filter(|c| c.is_alphabetic()).count()
}

/// Runs of consecutive page indexes.
fn runs(pages: &[usize]) -> Vec<&[usize]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=pages.len() {
        if i == pages.len() || pages[i] != pages[i - 1] + 1 {
            out.push(&pages[start..i]);
            start = i;
        }
    }
    out
}

/// Reads one binary grey-level image (PGM, `P5`) as `pdftoppm -gray` streams them, header and pixels,
/// refusing one larger than it was asked to render.
fn read_pnm(from: &mut impl Read) -> Result<Box<dyn Read + Send>> {
    let bad = |why: &str| super::unreadable(None, why);
    let mut header = Vec::new();
    let mut fields: Vec<u64> = Vec::new();
    let mut magic = [0u8; 2];
    from.read_exact(&mut magic).map_err(|_| bad("a page could not be rendered"))?;
    if &magic != b"P5" {
        return Err(bad("a page was not rendered as a grey image"));
    }
    header.extend_from_slice(&magic);
    let mut number = String::new();
    let mut byte = [0u8; 1];
    while fields.len() < 3 {
        from.read_exact(&mut byte).map_err(|_| bad("a rendered page was cut"))?;
        header.push(byte[0]);
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
    let side = u64::from(RENDER) + 1;
    if width > side || height > side || max > 255 {
        return Err(bad("a rendered page is larger than asked"));
    }
    let mut pixels = vec![0u8; (width * height) as usize];
    from.read_exact(&mut pixels).map_err(|_| bad("a rendered page was cut"))?;
    header.extend_from_slice(&pixels);
    Ok(Box::new(std::io::Cursor::new(header)))
}
