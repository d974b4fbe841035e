//! Scanned pages made searchable: a page whose text layer holds next to nothing is drawn and read by
//! Tesseract, and its words laid over it invisibly (render mode 3, as OCR'd PDFs carry them), each
//! where the picture shows it and stretched to its box, in the font a redacted copy's text layer is
//! written in (`pdfout::Invisible`: any script, words split where the page's gaps are), so a search
//! or a selection in the reader finds it there.

use std::io::Cursor;

use lopdf::{dictionary, Document, Object, ObjectId, Stream};

use super::pdf;
use crate::error::Result;
use crate::extract::raster::{self, Word};
use crate::pdfout::Invisible;

/// The resource name of the text layer's font on a page.
const FONT: &[u8] = b"DossierOCR";

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
    let mut found: Vec<(usize, Vec<Word>)> = Vec::new();
    raster::draw(&open, DPI, last + 1, &mut |i, picture| {
        if scanned[i] {
            found.push((i, raster::recognize_words(&picture, DPI)?));
        }
        Ok(())
    })?;
    for (i, words) in found {
        if let (Some(page), Some(size)) = (pages.get(i), layout.get(i)) {
            invisible_words(&mut doc, *page, &words, size.height)?;
        }
    }
    Ok(doc)
}

/// Lays `words` (boxes in points from the top left of a page `height` points high, as
/// `extract::raster` gives them) over `page` invisibly. A rotated page is left as it is: its words
/// would not fall where the picture shows them.
fn invisible_words(doc: &mut Document, page: ObjectId, words: &[Word], height: f64) -> Result<()> {
    let ([x0, y0, _, _], quarter) = pdf::geometry(doc, page);
    if quarter != 0 || words.is_empty() {
        return Ok(());
    }
    let font = Invisible::new(words.iter().map(|w| w.text.as_str()));
    let name = String::from_utf8_lossy(FONT);
    let mut out = format!("q 1 0 0 1 {x0:.2} {y0:.2} cm BT 3 Tr\n").into_bytes();
    for w in words {
        let size = (w.y1 - w.y0).max(1.0);
        // Every glyph of the font is half an em wide: stretched so the word spans its box.
        let natural = 0.5 * size * w.text.chars().count().max(1) as f64;
        let stretch = (100.0 * (w.x1 - w.x0) / natural).clamp(10.0, 500.0);
        let baseline = height - w.y1 + 0.2 * size;
        out.extend(format!("/{name} {size:.2} Tf {stretch:.1} Tz 1 0 0 1 {:.2} {baseline:.2} Tm ", w.x0).into_bytes());
        out.extend(font.show(&w.text));
        out.extend_from_slice(b" Tj\n");
    }
    out.extend_from_slice(b"ET Q\n");
    doc.add_page_contents(page, out).map_err(pdf::internal)?;
    let to_unicode = doc.add_object(Stream::new(dictionary! {}, font.cmap()));
    let font = doc.add_object(type0(to_unicode));
    pdf::add_font_as(doc, page, FONT, font)
}

/// The invisible font's dictionary as lopdf writes it: the same font `Invisible::font` writes as text.
fn type0(to_unicode: ObjectId) -> Object {
    let descriptor = dictionary! {
        "Type" => "FontDescriptor", "FontName" => "DossierInvisible", "Flags" => 4,
        "FontBBox" => vec![0.into(), (-200).into(), 500.into(), 800.into()], "ItalicAngle" => 0,
        "Ascent" => 800, "Descent" => -200, "CapHeight" => 700, "StemV" => 80,
    };
    let cid_font = dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "DossierInvisible",
        "CIDSystemInfo" => dictionary! {
            "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("Identity"), "Supplement" => 0,
        },
        "DW" => 500, "CIDToGIDMap" => "Identity", "FontDescriptor" => descriptor,
    };
    Object::Dictionary(dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "DossierInvisible", "Encoding" => "Identity-H",
        "DescendantFonts" => vec![Object::Dictionary(cid_font)], "ToUnicode" => to_unicode,
    })
}
