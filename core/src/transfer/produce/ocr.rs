//! Scanned pages made searchable: a page whose text layer holds next to nothing is drawn and read by
//! Tesseract, and its words laid over it invisibly (render mode 3, as OCR'd PDFs carry them), each
//! where the picture shows it, so a search or a selection in the reader finds it there.

use std::io::Cursor;

use lopdf::Document;

use super::pdf;
use crate::error::Result;
use crate::extract::raster::{self, Word};

/// How finely a scanned page is drawn for OCR.
const DPI: u32 = 200;
/// A page whose text layer has fewer visible characters than this is taken for a scan.
const SCANNED_BELOW: usize = 16;

/// `doc` (opened from `bytes`) with every scanned page given the words OCR reads on it.
pub fn searchable(mut doc: Document, bytes: &[u8]) -> Result<Document> {
    let open = || -> Result<Box<dyn std::io::Read + Send>> { Ok(Box::new(Cursor::new(bytes.to_vec()))) };
    let layout = raster::layout(&open)?;
    let scanned: Vec<bool> = layout
        .iter()
        .map(|p| {
            p.words.iter().map(|w| w.text.chars().filter(|c| !c.is_whitespace()).count()).sum::<usize>() < SCANNED_BELOW
        })
        .collect();
    let Some(last) = scanned.iter().rposition(|s| *s) else { return Ok(doc) };
    let pages = pdf::pages(&doc);
    let font = pdf::font(&mut doc);
    let mut found: Vec<(usize, Vec<Word>)> = Vec::new();
    raster::draw(&open, DPI, last + 1, &mut |i, picture| {
        if scanned[i] {
            found.push((i, raster::recognize_words(&picture, DPI)?));
        }
        Ok(())
    })?;
    for (i, words) in found {
        if let (Some(page), Some(size)) = (pages.get(i), layout.get(i)) {
            pdf::invisible_words(&mut doc, *page, font, &words, size.height)?;
        }
    }
    Ok(doc)
}
