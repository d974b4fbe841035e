//! Redaction: a new copy of a PDF in which what lies under each box is gone, not covered. Each page
//! of the original is drawn as a picture (`extract::raster`) with the boxes burned in black and a
//! label naming the reason on each; the copy's text layer is rebuilt from the original's words that
//! no box touches (or, on a scanned page, from what Tesseract reads on the redacted picture), so the
//! copy stays searchable. Nothing else of the original is carried over: no text under a box, no
//! annotation, form field, metadata, XMP, attachment, bookmark or earlier revision. The copy is
//! evidence of its own, linked to its original, which is never changed; its boxes are kept for the
//! redaction log.
//!
//! The boxes are drawn by a person or found (`find`: a word or phrase in its forms, a party's names
//! and aliases, a named pattern, `patterns`). A Word, OpenDocument or e-mail file is redacted as the
//! PDF its text is laid out as (`pdfout::text_document`), and its copy says so: what was found in it
//! and what is burned are on the same pages, since the same text is laid out the same way each time.

mod find;
mod patterns;

pub use find::{each_found, find, find_in_case, find_in_case_watched, FindInput, Hit, MAX_HITS};
pub use patterns::NAMES as PATTERNS;

use std::io::Cursor;
use std::path::PathBuf;

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::{get, insert_staged, stage, Evidence, FileInput};
use crate::date::Lang;
use crate::error::{Error, Result};
use crate::extract::raster::{self, Page, Picture, Word};
use crate::extract::{Budget, Kind};
use crate::input;
use crate::pdfout;
use crate::store::registry;
use crate::store::{Reader, Store, Writer};
use crate::vocabulary::{RedactionReason, Spelling};

/// How finely pages are drawn: 150 dots an inch, as court filings are scanned.
pub(super) const DPI: u32 = 150;
/// Most boxes one redaction takes.
pub(super) const MAX_BOXES: usize = 10_000;
/// A page whose text layer has fewer visible characters than this is taken for a scan, and its words
/// are read by OCR from the redacted picture.
pub(super) const SCANNED_BELOW: usize = 16;
/// How far around a box a word is taken as touching it, in points.
const MARGIN: f64 = 1.0;

/// What to redact: boxes on the pages of a PDF evidence's file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RedactInput {
    /// The evidence whose file is redacted (a PDF).
    pub evidence: String,
    pub boxes: Vec<BoxInput>,
    /// The language of the boxes' labels and the copy's title: `en` or `fr` (English when empty).
    #[serde(default)]
    pub lang: String,
}

/// A box on a page, in points from the page's top left corner, and why.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BoxInput {
    /// The page, from 1.
    pub page: u32,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// `personal_data` (when empty), `privilege`, `third_party`, `commercial` or `other`.
    #[serde(default)]
    pub reason: String,
    /// What "other" means, or a note for the log.
    #[serde(default)]
    pub note: String,
}

/// A redacted copy, as read: its original, when it was made, and its boxes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Redaction {
    pub original_id: String,
    pub made_at: String,
    pub boxes: Vec<RedactedBox>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RedactedBox {
    pub page: u32,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub reason: RedactionReason,
    pub note: String,
}

/// Makes the redacted copy of the evidence `input.evidence` and keeps it as new evidence of its case;
/// returns it.
pub fn redact(store: &mut Store, input: &RedactInput) -> Result<Evidence> {
    let original = get(store.reader(), &input.evidence)?;
    let lang = match input.lang.trim() {
        "fr" => Lang::Fr,
        _ => Lang::En,
    };
    let boxes = checked(&input.boxes)?;
    let source = Source::of(store, &original)?;
    let open = source.opener();
    let pages = raster::layout(&open)?;
    if let Some(b) = boxes.iter().find(|b| b.page as usize > pages.len()) {
        return Err(Error::rule(
            "boxes",
            "no_such_page",
            b.page.to_string(),
            format!("page {} is past the end: '{}' has {} pages", b.page, original.title, pages.len()),
        ));
    }
    let mut drawn = Vec::with_capacity(pages.len());
    raster::draw(&open, DPI, pages.len(), &mut |i, mut picture| {
        let page = &pages[i];
        let on_page: Vec<&RedactedBox> = boxes.iter().filter(|b| b.page as usize == i + 1).collect();
        burn(&mut picture, page.width, page.height, &on_page);
        let words =
            if visible(page) < SCANNED_BELOW { raster::recognize_words(&picture, DPI)? } else { page.words.clone() };
        let words = words.into_iter().filter(|w| !on_page.iter().any(|b| touches(w, b))).collect();
        drawn.push(Drawn {
            width: page.width,
            height: page.height,
            picture,
            words,
            boxes: on_page.into_iter().cloned().collect(),
        });
        Ok(())
    })?;
    let bytes = write_pdf(&drawn, lang);

    let name = original.original_name.as_deref().unwrap_or("document.pdf");
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let rendered = match &source {
        Source::Stored(..) => None,
        Source::Rendered(_, from) => Some(*from),
    };
    let (suffix, note) = match (lang, rendered) {
        (Lang::En, None) => ("redacted", format!("Redacted copy of '{}'", original.title)),
        (Lang::Fr, None) => ("occulté", format!("Copie occultée de « {} »", original.title)),
        (Lang::En, Some(Rendering::Picture)) => {
            ("redacted", format!("Redacted copy of '{}', made from a PDF of the picture", original.title))
        }
        (Lang::Fr, Some(Rendering::Picture)) => {
            ("occulté", format!("Copie occultée de « {} », faite d'un PDF de l'image", original.title))
        }
        (Lang::En, Some(Rendering::Text)) => (
            "redacted",
            format!(
                "Redacted copy of '{}', made from a PDF of the document's text (its layout and pictures are not kept)",
                original.title
            ),
        ),
        (Lang::Fr, Some(Rendering::Text)) => (
            "occulté",
            format!(
                "Copie occultée de « {} », faite d'un PDF du texte du document (sa mise en page et ses images ne sont pas reprises)",
                original.title
            ),
        ),
    };
    let file = FileInput {
        case: original.case_id.clone(),
        path: PathBuf::from(format!("{stem} ({suffix}).pdf")),
        title: format!("{} ({suffix})", original.title),
        date: original.date.clone().unwrap_or_default(),
        note,
    };
    let staged = stage(store, &file, Cursor::new(bytes))?;
    let id = registry::new_id();
    let made_at = crate::store::registry::now();
    store.write("redact evidence", Some(&id), input, |w| {
        insert_staged(w, &id, &staged)?;
        write_rows(w, &id, &original.id, &made_at, &boxes)
    })?;
    get(store.reader(), &id)
}

/// The PDF a redaction works on: the evidence's own file, or a PDF made of it.
pub(super) enum Source {
    Stored(crate::store::blobs::Blobs, String),
    Rendered(std::sync::Arc<Vec<u8>>, Rendering),
}

/// What a PDF was made of, to redact a file that is not one.
#[derive(Clone, Copy)]
pub(super) enum Rendering {
    /// A Word, OpenDocument or e-mail file's text, laid out.
    Text,
    /// A picture, with the words OCR read on it.
    Picture,
}

impl Source {
    /// Whether the file of `e` can be redacted: a PDF, a picture, a Word, OpenDocument or e-mail file.
    pub(super) fn redactable(e: &Evidence) -> bool {
        e.sha256.is_some()
            && matches!(
                e.media_type.as_deref().and_then(Kind::of),
                Some(Kind::Pdf | Kind::Picture | Kind::Docx | Kind::Odt | Kind::Mail)
            )
    }

    /// The PDF of the evidence `e`'s file, or an error naming what is redacted.
    pub(super) fn of(store: &Store, e: &Evidence) -> Result<Source> {
        let kind = e.media_type.as_deref().and_then(Kind::of);
        let sha = match (&e.sha256, kind) {
            (Some(sha), Some(Kind::Pdf | Kind::Picture | Kind::Docx | Kind::Odt | Kind::Mail)) => sha.clone(),
            _ => {
                return Err(Error::rule(
                    "evidence",
                    "not_redactable",
                    e.title.clone(),
                    format!(
                    "'{}' cannot be redacted: only a PDF, a picture, a Word or OpenDocument text or an e-mail file is",
                    e.title
                ),
                ))
            }
        };
        let blobs = store.blobs().clone();
        match kind {
            Some(Kind::Pdf) => Ok(Source::Stored(blobs, sha)),
            Some(Kind::Picture) => {
                Ok(Source::Rendered(std::sync::Arc::new(raster::picture_pdf(blobs.open(&sha)?)?), Rendering::Picture))
            }
            Some(kind) => {
                let open = || blobs.open(&sha);
                let text = crate::extract::read_within(kind, &open, Budget::DEFAULT, &mut |_, _| true)?;
                Ok(Source::Rendered(std::sync::Arc::new(pdfout::text_document(&text.pages)?), Rendering::Text))
            }
            None => Err(Error::internal("a file kind checked above")),
        }
    }

    /// Opens the PDF afresh, as `extract` reads a file.
    pub(super) fn opener(&self) -> impl Fn() -> Result<Box<dyn std::io::Read + Send>> + '_ {
        move || match self {
            Source::Stored(blobs, sha) => blobs.open(sha),
            Source::Rendered(bytes, _) => {
                Ok(Box::new(Cursor::new(bytes.as_ref().clone())) as Box<dyn std::io::Read + Send>)
            }
        }
    }
}

/// How many visible characters a page's text layer holds.
pub(super) fn visible(page: &Page) -> usize {
    page.words.iter().map(|w| w.text.chars().filter(|c| !c.is_whitespace()).count()).sum()
}

/// Writes that the evidence `id` is a copy of `original` made at `made_at` with `boxes` (for
/// [`redact`] and a bundle's import).
pub(crate) fn write_rows(w: &Writer<'_>, id: &str, original: &str, made_at: &str, boxes: &[RedactedBox]) -> Result<()> {
    w.execute(
        "INSERT INTO redaction (evidence_id, original_id, made_at) VALUES (?1, ?2, ?3)",
        params![id, original, made_at],
    )?;
    for (position, b) in boxes.iter().enumerate() {
        w.execute(
            "INSERT INTO redaction_box (evidence_id, position, page, x, y, width, height, reason, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![id, position as i64, b.page, b.x, b.y, b.width, b.height, b.reason, b.note],
        )?;
    }
    Ok(())
}

impl RedactedBox {
    /// The box as it is given (a bundle carries it so).
    pub fn to_input(&self) -> BoxInput {
        BoxInput {
            page: self.page,
            x: self.x,
            y: self.y,
            width: self.width,
            height: self.height,
            reason: self.reason.to_string(),
            note: self.note.clone(),
        }
    }
}

/// The redaction a copy was made by, or `None` for evidence that is no redacted copy.
pub fn of(db: &Reader, id: &str) -> Result<Option<Redaction>> {
    let Some((original_id, made_at)) =
        db.optional("SELECT original_id, made_at FROM redaction WHERE evidence_id = ?1", [id.trim()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
    else {
        return Ok(None);
    };
    let boxes = db.all(
        "SELECT page, x, y, width, height, reason, note FROM redaction_box WHERE evidence_id = ?1 ORDER BY position",
        [id.trim()],
        |r| {
            Ok(RedactedBox {
                page: r.get(0)?,
                x: r.get(1)?,
                y: r.get(2)?,
                width: r.get(3)?,
                height: r.get(4)?,
                reason: r.get(5)?,
                note: r.get(6)?,
            })
        },
    )?;
    Ok(Some(Redaction { original_id, made_at, boxes }))
}

/// One redacted copy of a case, for the redaction log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Logged {
    pub copy_id: String,
    pub copy_title: String,
    pub original_title: String,
    /// Who made it, as the change log names them (the front end and the system user).
    pub made_by: String,
    pub made_at: String,
    pub boxes: Vec<RedactedBox>,
}

/// Every redacted copy of the case `case_id`, in the order they were made.
pub fn log(db: &Reader, case_id: &str) -> Result<Vec<Logged>> {
    let copies: Vec<(String, String, String, String)> = db.all(
        "SELECT r.evidence_id, c.title, o.title, r.made_at FROM redaction r
           JOIN evidence c ON c.id = r.evidence_id JOIN evidence o ON o.id = r.original_id
          WHERE c.case_id = ?1 ORDER BY r.made_at, r.evidence_id",
        [case_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    copies
        .into_iter()
        .map(|(copy_id, copy_title, original_title, made_at)| {
            let made_by: Option<String> = db
                .optional(
                    "SELECT actor FROM change_log WHERE record_id = ?1 AND action = 'redact evidence' ORDER BY seq LIMIT 1",
                    [&copy_id],
                    |r| r.get(0),
                )?
                .flatten();
            let made_by = made_by.unwrap_or_default();
            let boxes = of(db, &copy_id)?.map(|r| r.boxes).unwrap_or_default();
            Ok(Logged { copy_id, copy_title, original_title, made_by, made_at, boxes })
        })
        .collect()
}

/// The boxes, checked: at least one, each on a page from 1, with a finite position and a size.
pub(crate) fn checked(boxes: &[BoxInput]) -> Result<Vec<RedactedBox>> {
    if boxes.is_empty() {
        return Err(Error::required("boxes"));
    }
    if boxes.len() > MAX_BOXES {
        return Err(Error::rule("boxes", "too_many", boxes.len().to_string(), format!("more than {MAX_BOXES} boxes")));
    }
    boxes
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let place = format!("box {}", i + 1);
            let numbers = [b.x, b.y, b.width, b.height];
            if b.page == 0 || numbers.iter().any(|n| !n.is_finite()) || b.width <= 0.0 || b.height <= 0.0 {
                return Err(Error::rule(
                    place.clone(),
                    "bad_box",
                    format!("{}:{},{},{},{}", b.page, b.x, b.y, b.width, b.height),
                    "a box is a page from 1 and x,y,width,height in points, its width and height above 0",
                ));
            }
            let reason = match b.reason.trim() {
                "" => RedactionReason::PersonalData,
                r => input::one_of(&place, r, Spelling::Lenient)?,
            };
            let note = input::line(&place, &b.note)?;
            if reason == RedactionReason::Other && note.is_empty() {
                return Err(Error::rule(
                    place,
                    "other_needs_note",
                    None,
                    "a box redacted for another reason says which",
                ));
            }
            Ok(RedactedBox { page: b.page, x: b.x, y: b.y, width: b.width, height: b.height, reason, note })
        })
        .collect()
}

/// Paints the boxes black on the picture of a page `width` × `height` points.
fn burn(picture: &mut Picture, width: f64, height: f64, boxes: &[&RedactedBox]) {
    let (sx, sy) = (f64::from(picture.width) / width.max(1.0), f64::from(picture.height) / height.max(1.0));
    for b in boxes {
        let clamp = |v: f64, max: u32| (v.max(0.0) as u32).min(max);
        let (x0, x1) = (clamp((b.x * sx).floor(), picture.width), clamp(((b.x + b.width) * sx).ceil(), picture.width));
        let (y0, y1) =
            (clamp((b.y * sy).floor(), picture.height), clamp(((b.y + b.height) * sy).ceil(), picture.height));
        for y in y0..y1 {
            let row = (y * picture.width) as usize;
            picture.pixels[row + x0 as usize..row + x1 as usize].fill(0);
        }
    }
}

/// Whether a word's box meets a redaction box (or comes within [`MARGIN`] of it).
fn touches(w: &Word, b: &RedactedBox) -> bool {
    w.x0 < b.x + b.width + MARGIN && w.x1 > b.x - MARGIN && w.y0 < b.y + b.height + MARGIN && w.y1 > b.y - MARGIN
}

/// A page of the copy: its size in points, its picture, the words kept and its boxes.
struct Drawn {
    width: f64,
    height: f64,
    picture: Picture,
    words: Vec<Word>,
    boxes: Vec<RedactedBox>,
}

/// What a box's label says: "Redacted – personal data" / « Occulté – données personnelles ».
pub fn label(reason: RedactionReason, lang: Lang) -> String {
    match lang {
        Lang::En => format!("Redacted – {}", reason.word(lang)),
        Lang::Fr => format!("Occulté – {}", reason.word(lang)),
    }
}

/// The copy: a page each, its picture, its words invisible over it (render mode 3, as OCR'd PDFs
/// carry them) in `pdfout::Invisible`, which writes any script and whose glyphs are all half an
/// em wide, so each word is stretched to exactly its box and readers split the words where the
/// page's gaps are; and each box's label in white over the black, in Helvetica. No other object.
fn write_pdf(pages: &[Drawn], lang: Lang) -> Vec<u8> {
    // 1: catalog, 2: page tree, 3: the invisible font; then per page: the page, its content, its
    // picture; last, the font's map back to Unicode.
    let font = pdfout::Invisible::new(pages.iter().flat_map(|p| p.words.iter().map(|w| w.text.as_str())));
    let kids: Vec<String> = (0..pages.len()).map(|i| format!("{} 0 R", 4 + 3 * i)).collect();
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.join(" "), pages.len()).into_bytes(),
        font.font(4 + 3 * pages.len()),
    ];
    for (i, p) in pages.iter().enumerate() {
        let (content, image) = (5 + 3 * i, 6 + 3 * i);
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w:.2} {h:.2}] /Resources << /XObject << /Im1 {image} 0 R >> \
                 /Font << /F1 3 0 R /F2 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica \
                 /Encoding /WinAnsiEncoding >> >> >> /Contents {content} 0 R >>",
                w = p.width,
                h = p.height
            )
            .into_bytes(),
        );
        objects.push(pdfout::stream("", &page_content(p, lang, &font)));
        let pixels = deflate(&p.picture.pixels);
        objects.push(pdfout::stream(
            &format!(
                "/Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace /DeviceGray /BitsPerComponent 8 \
                 /Filter /FlateDecode",
                p.picture.width, p.picture.height
            ),
            &pixels,
        ));
    }
    objects.push(font.to_unicode());
    pdfout::assemble(&objects)
}

/// The drawing of one page: the picture over the whole page, the invisible words, the labels.
fn page_content(p: &Drawn, lang: Lang, font: &pdfout::Invisible) -> Vec<u8> {
    let mut out = format!("q {:.2} 0 0 {:.2} 0 0 cm /Im1 Do Q\n", p.width, p.height).into_bytes();
    out.extend_from_slice(b"BT 3 Tr\n");
    for w in &p.words {
        let size = (w.y1 - w.y0).max(1.0);
        // Every glyph of F1 is half an em wide: stretched so the word spans its box.
        let natural = 0.5 * size * w.text.chars().count().max(1) as f64;
        let stretch = (100.0 * (w.x1 - w.x0) / natural).clamp(10.0, 500.0);
        let baseline = p.height - w.y1 + 0.2 * size;
        out.extend(format!("/F1 {size:.2} Tf {stretch:.1} Tz 1 0 0 1 {:.2} {baseline:.2} Tm ", w.x0).into_bytes());
        out.extend(font.show(&w.text));
        out.extend_from_slice(b" Tj\n");
    }
    out.extend_from_slice(b"ET\n");
    for b in &p.boxes {
        let words = label(b.reason, lang);
        let size = (b.height * 0.6).min(10.0).min(b.width / (0.5 * words.chars().count() as f64));
        if size < 3.0 {
            continue;
        }
        let baseline = p.height - (b.y + b.height / 2.0) - 0.35 * size;
        out.extend(
            format!("BT 0 Tr 1 g 100 Tz /F2 {size:.2} Tf 1 0 0 1 {:.2} {baseline:.2} Tm (", b.x + 2.0).into_bytes(),
        );
        out.extend(pdfout::text(&words));
        out.extend_from_slice(b") Tj ET\n");
    }
    out
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    let _ = z.write_all(bytes);
    z.finish().unwrap_or_default()
}
