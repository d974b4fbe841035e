//! The PDF work of productions and hearing bundles, on lopdf: opening a document's PDF (refusing an
//! encrypted or broken one by name), stamping words on its pages over what they show, pages of plain
//! text (slip sheets, a bundle's index) and joining documents into one.

use lopdf::{dictionary, Dictionary, Document, LoadOptions, Object, ObjectId, Stream};

use crate::error::{Error, Result};
use crate::pdfout;

/// Most bytes one stream of a document may decompress to: a page's drawing, a picture.
const MAX_STREAM: usize = 256 * 1024 * 1024;
/// The resource name of the font Dossier stamps with, unlikely to be a document's own.
const FONT: &[u8] = b"DossierHelv";
/// An A4 page, in points.
pub const A4: (f64, f64) = (595.28, 841.89);

/// Where on the page, as it is shown, a stamp goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Corner {
    BottomLeft,
    BottomCentre,
    BottomRight,
}

/// Words stamped at the foot of a page.
pub struct Mark<'a> {
    pub text: &'a str,
    pub corner: Corner,
    pub size: f64,
}

/// The PDF `bytes` of the document `name`, opened; its pages' inherited attributes made their own, so
/// that each page can be moved into another document and stamped alone.
pub fn open(bytes: &[u8], name: &str) -> Result<Document> {
    let broken = |why: String| {
        Error::rule("document", "unreadable_pdf", name.to_string(), format!("'{name}' cannot be read as a PDF: {why}"))
    };
    let mut doc = Document::load_mem_with_options(bytes, LoadOptions::with_max_decompressed_size(MAX_STREAM))
        .map_err(|e| broken(e.to_string()))?;
    if doc.is_encrypted() {
        return Err(Error::rule(
            "document",
            "encrypted_pdf",
            name.to_string(),
            format!("'{name}' is an encrypted PDF: save it without a password first"),
        ));
    }
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    if pages.is_empty() {
        return Err(broken("it has no page".into()));
    }
    for id in pages {
        let mut page = doc.get_dictionary(id).map_err(|e| broken(e.to_string()))?.clone();
        for key in ["MediaBox", "CropBox", "Resources", "Rotate"] {
            if !page.has(key.as_bytes()) {
                if let Some(value) = inherited(&doc, id, key.as_bytes()) {
                    page.set(key, value);
                }
            }
        }
        if !page.has(b"MediaBox") {
            page.set("MediaBox", vec![0.into(), 0.into(), (A4.0 as f32).into(), (A4.1 as f32).into()]);
        }
        doc.objects.insert(id, Object::Dictionary(page));
    }
    Ok(doc)
}

/// A page attribute from the page's ancestors in the page tree (at most 64 levels up).
fn inherited(doc: &Document, page: ObjectId, key: &[u8]) -> Option<Object> {
    let mut node = doc.get_dictionary(page).ok()?;
    for _ in 0..64 {
        if let Ok(value) = node.get(key) {
            return Some(value.clone());
        }
        node = doc.get_dictionary(node.get(b"Parent").ok()?.as_reference().ok()?).ok()?;
    }
    None
}

/// The pages of a document, in order.
pub fn pages(doc: &Document) -> Vec<ObjectId> {
    doc.get_pages().into_values().collect()
}

/// A number of a PDF array, whatever its type.
fn number(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

/// The page's visible box (its crop box, else its media box) and its rotation in quarter turns.
pub(super) fn geometry(doc: &Document, page: ObjectId) -> ([f64; 4], i64) {
    let dict = doc.get_dictionary(page).ok();
    let rect = |key: &[u8]| -> Option<[f64; 4]> {
        let array = dict?.get(key).ok()?;
        let array = match array {
            Object::Reference(id) => doc.get_object(*id).ok()?,
            o => o,
        };
        let n: Vec<f64> = array.as_array().ok()?.iter().filter_map(number).collect();
        let [a, b, c, d] = n[..] else { return None };
        Some([a.min(c), b.min(d), a.max(c), b.max(d)])
    };
    let visible = rect(b"CropBox").or_else(|| rect(b"MediaBox")).unwrap_or([0.0, 0.0, A4.0, A4.1]);
    let rotate = dict.and_then(|d| d.get(b"Rotate").ok()).and_then(number).unwrap_or(0.0) as i64;
    (visible, rotate.rem_euclid(360) / 90)
}

/// The width of `text` in Helvetica at `size` points, near enough to place it (digits and capitals,
/// which Bates numbers and endorsements are, exactly).
pub fn width(text: &str, size: f64) -> f64 {
    let em: f64 = text
        .chars()
        .map(|c| match c {
            '0'..='9' => 0.556,
            'I' => 0.278,
            'J' => 0.5,
            'M' => 0.833,
            'W' => 0.944,
            'A' | 'B' | 'E' | 'K' | 'P' | 'S' | 'V' | 'X' | 'Y' => 0.667,
            'C' | 'D' | 'H' | 'N' | 'R' | 'U' => 0.722,
            'F' | 'T' | 'Z' => 0.611,
            'G' | 'O' | 'Q' => 0.778,
            'L' => 0.556,
            ' ' | '.' | ',' | ':' | ';' | 'i' | 'j' | 'l' | '!' | '\'' | '|' => 0.278,
            '-' | '(' | ')' | 'f' | 't' | 'r' => 0.333,
            'm' | 'w' => 0.833,
            '–' => 0.556,
            '—' => 1.0,
            c if c.is_uppercase() => 0.667,
            _ => 0.556,
        })
        .sum();
    em * size
}

/// Stamps `marks` at the foot of `page`, over whatever the page draws, the right way up however the
/// page is rotated. The page's own drawing is wrapped in `q … Q` so that none of its state leaks
/// into the stamp.
pub fn stamp(doc: &mut Document, page: ObjectId, font: ObjectId, marks: &[Mark<'_>]) -> Result<()> {
    let ([x0, y0, x1, y1], quarter) = geometry(doc, page);
    let (w, h) = (x1 - x0, y1 - y0);
    let (shown_w, _) = if quarter % 2 == 1 { (h, w) } else { (w, h) };
    // From the page as shown (origin at its bottom left) to the page's own space.
    let cm = match quarter {
        1 => [0.0, 1.0, -1.0, 0.0, x0 + w, y0],
        2 => [-1.0, 0.0, 0.0, -1.0, x0 + w, y0 + h],
        3 => [0.0, -1.0, 1.0, 0.0, x0, y0 + h],
        _ => [1.0, 0.0, 0.0, 1.0, x0, y0],
    };
    let mut out = format!("Q q {} {} {} {} {:.2} {:.2} cm\n", cm[0], cm[1], cm[2], cm[3], cm[4], cm[5]).into_bytes();
    let margin = 18.0;
    for mark in marks {
        let text_w = width(mark.text, mark.size);
        let x = match mark.corner {
            Corner::BottomLeft => margin,
            Corner::BottomCentre => (shown_w - text_w) / 2.0,
            Corner::BottomRight => shown_w - margin - text_w,
        };
        let y = margin * 0.6;
        out.extend(
            format!(
                "1 g {:.2} {:.2} {:.2} {:.2} re f 0 g BT /{} {:.1} Tf 1 0 0 1 {x:.2} {y:.2} Tm (",
                x - 3.0,
                y - 0.3 * mark.size,
                text_w + 6.0,
                mark.size * 1.3,
                String::from_utf8_lossy(FONT),
                mark.size,
            )
            .into_bytes(),
        );
        out.extend(pdfout::text(mark.text));
        out.extend_from_slice(b") Tj ET\n");
    }
    out.extend_from_slice(b"Q\n");
    wrap_contents(doc, page, out)?;
    add_font_as(doc, page, FONT, font)
}

/// Puts the page's drawing between `q` and the stamp `after` (which begins with the matching `Q`).
fn wrap_contents(doc: &mut Document, page: ObjectId, after: Vec<u8>) -> Result<()> {
    let existing = doc.get_page_contents(page);
    let before = doc.add_object(Stream::new(Dictionary::new(), b"q\n".to_vec()));
    let after = doc.add_object(Stream::new(Dictionary::new(), after));
    let mut contents: Vec<Object> = vec![before.into()];
    contents.extend(existing.into_iter().map(Object::Reference));
    contents.push(after.into());
    let dict = doc.get_dictionary_mut(page).map_err(internal)?;
    dict.set("Contents", contents);
    Ok(())
}

/// Gives the page its own resources, with the font `font` among them as `name`.
pub(super) fn add_font_as(doc: &mut Document, page: ObjectId, name: &[u8], font: ObjectId) -> Result<()> {
    let resolve = |doc: &Document, o: Option<&Object>| -> Dictionary {
        match o {
            Some(Object::Reference(id)) => doc.get_dictionary(*id).cloned().unwrap_or_default(),
            Some(Object::Dictionary(d)) => d.clone(),
            _ => Dictionary::new(),
        }
    };
    let page_dict = doc.get_dictionary(page).map_err(internal)?;
    let mut resources = resolve(doc, page_dict.get(b"Resources").ok());
    let mut fonts = resolve(doc, resources.get(b"Font").ok());
    fonts.set(name, font);
    resources.set("Font", fonts);
    doc.get_dictionary_mut(page).map_err(internal)?.set("Resources", resources);
    Ok(())
}

/// Adds Helvetica (WinAnsi) to the document, for [`stamp`] to stamp its pages with.
pub fn font(doc: &mut Document) -> ObjectId {
    doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    })
}

pub(super) fn internal(e: lopdf::Error) -> Error {
    Error::internal(format!("a PDF could not be changed: {e}"))
}

/// A line of a text page: its words, size, and whether it is bold; `link` makes it a link to a page.
pub struct Line {
    pub text: String,
    pub size: f64,
    pub bold: bool,
    /// The page number at the right of the line (an index's), if any.
    pub page_number: Option<String>,
    pub link: Option<ObjectId>,
    /// How far the lines it wraps onto are indented, in points.
    pub hang: f64,
}

impl Line {
    pub fn plain(text: impl Into<String>, size: f64) -> Line {
        Line { text: text.into(), size, bold: false, page_number: None, link: None, hang: 0.0 }
    }

    pub fn bold(text: impl Into<String>, size: f64) -> Line {
        Line { bold: true, ..Line::plain(text, size) }
    }
}

/// Adds to `doc` A4 pages that show `lines` from the top, as many pages as they need, with a link
/// annotation over each line that has one; returns the new pages (not yet in the page tree).
pub fn text_pages(doc: &mut Document, lines: &[Line]) -> Vec<ObjectId> {
    let regular = font(doc);
    let bold = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica-Bold", "Encoding" => "WinAnsiEncoding",
    });
    let (margin, bottom) = (64.0, 72.0);
    let mut pages = Vec::new();
    let mut chunks: Vec<Vec<&Line>> = vec![Vec::new()];
    let mut y = A4.1 - margin;
    for line in lines {
        let wrapped = wrap(&line.text, line.size, A4.0 - 2.0 * margin - 48.0, line.hang).len() as f64;
        let height = line.size * 1.5 * wrapped;
        if y - height < bottom && !chunks.last().is_some_and(Vec::is_empty) {
            chunks.push(Vec::new());
            y = A4.1 - margin;
        }
        y -= height;
        if let Some(chunk) = chunks.last_mut() {
            chunk.push(line);
        }
    }
    for chunk in chunks {
        let mut content = Vec::new();
        let mut annots = Vec::new();
        let mut y = A4.1 - margin;
        for line in chunk {
            let font = if line.bold { "F2" } else { "F1" };
            let top = y;
            for (i, piece) in wrap(&line.text, line.size, A4.0 - 2.0 * margin - 48.0, line.hang).iter().enumerate() {
                y -= line.size * 1.5;
                let x = if i == 0 { margin } else { margin + line.hang };
                content.extend(format!("BT /{font} {:.1} Tf 1 0 0 1 {x:.2} {y:.2} Tm (", line.size).into_bytes());
                content.extend(pdfout::text(piece));
                content.extend_from_slice(b") Tj ET\n");
            }
            if let Some(number) = &line.page_number {
                let x = A4.0 - margin - width(number, line.size);
                content.extend(format!("BT /F1 {:.1} Tf 1 0 0 1 {x:.2} {y:.2} Tm (", line.size).into_bytes());
                content.extend(pdfout::text(number));
                content.extend_from_slice(b") Tj ET\n");
            }
            if let Some(target) = line.link {
                let rect: Vec<Object> = [margin, y - 0.3 * line.size, A4.0 - margin, top - 0.2 * line.size]
                    .iter()
                    .map(|v| Object::Real(*v as f32))
                    .collect();
                annots.push(Object::Reference(doc.add_object(dictionary! {
                    "Type" => "Annot",
                    "Subtype" => "Link",
                    "Rect" => rect,
                    "Border" => vec![0.into(), 0.into(), 0.into()],
                    "Dest" => vec![target.into(), "Fit".into()],
                })));
            }
        }
        let contents = doc.add_object(Stream::new(Dictionary::new(), content));
        let mut page = dictionary! {
            "Type" => "Page",
            "MediaBox" => vec![0.into(), 0.into(), Object::Real(A4.0 as f32), Object::Real(A4.1 as f32)],
            "Contents" => contents,
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => regular, "F2" => bold } },
        };
        if !annots.is_empty() {
            page.set("Annots", annots);
        }
        pages.push(doc.add_object(page));
    }
    pages
}

/// `text` broken into lines no wider than `max` points at `size` (the second and later `hang` points
/// narrower), at spaces where it can be.
fn wrap(text: &str, size: f64, max: f64, hang: f64) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let room = if lines.len() == 1 { max } else { max - hang };
        let current = lines.last_mut().expect("one line at least");
        let candidate = if current.is_empty() { word.to_string() } else { format!("{current} {word}") };
        if width(&candidate, size) <= room || current.is_empty() {
            *current = candidate;
        } else {
            lines.push(word.to_string());
        }
    }
    lines
}

/// A new document of `pages` made by [`text_pages`] (or any pages added to it), in that order.
pub fn with_pages(mut doc: Document, pages: &[ObjectId]) -> Document {
    let tree = doc.new_object_id();
    for id in pages {
        if let Ok(d) = doc.get_dictionary_mut(*id) {
            d.set("Parent", tree);
        }
    }
    let kids: Vec<Object> = pages.iter().map(|id| Object::Reference(*id)).collect();
    doc.objects.insert(
        tree,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => pages.len() as i64 }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => tree });
    doc.trailer.set("Root", catalog);
    doc
}

/// Moves every object of `part` into `into`, renumbered past `into`'s, and returns `part`'s pages as
/// they are numbered now (not yet in `into`'s page tree). Its catalog, page tree and outline are
/// left behind: a part of a bundle keeps its pages, their drawings, annotations and links.
pub fn absorb(into: &mut Document, mut part: Document) -> Vec<ObjectId> {
    part.renumber_objects_with(into.max_id + 1);
    let pages = pages(&part);
    let skip: Vec<ObjectId> = part
        .objects
        .iter()
        .filter(|(_, o)| matches!(o.type_name(), Ok(b"Catalog" | b"Pages" | b"Outlines" | b"Outline")))
        .map(|(id, _)| *id)
        .collect();
    for (id, object) in part.objects {
        if !skip.contains(&id) {
            into.objects.insert(id, object);
        }
    }
    into.max_id = into.max_id.max(part.max_id);
    pages
}

/// The document's bytes, its unused objects dropped and its streams compressed.
pub fn save(mut doc: Document) -> Result<Vec<u8>> {
    doc.prune_objects();
    doc.compress();
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|e| Error::internal(format!("a PDF could not be written: {e}")))?;
    Ok(out)
}
