//! The faces the PDFs Dossier typesets are set in (the PDF report, a document's text laid out as a
//! PDF to be redacted), found among the system's fonts, and text shaped in them.
//!
//! The report is set in DejaVu Serif, its headings and labels in DejaVu Sans and digests in DejaVu
//! Sans Mono (the Debian package `fonts-dejavu-core` and `-extra`, which the set-up and the `.deb`
//! install). A character none of them has (Chinese, Devanagari…) is set in the first system face that
//! has it, so a name in any script prints as itself rather than as an empty box; the choice is
//! remembered per character. Shaping is rustybuzz's, so ligatures, marks and joined scripts come out
//! as a text engine sets them; a word already shaped in a face is not shaped again.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use crate::error::{Error, Result};

/// A face of the report's type, as a piece of text asks for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Face {
    pub family: Family,
    pub bold: bool,
    pub italic: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    Serif,
    Sans,
    Mono,
}

impl Face {
    pub const SERIF: Face = Face { family: Family::Serif, bold: false, italic: false };
    pub const SANS: Face = Face { family: Family::Sans, bold: false, italic: false };
    pub const MONO: Face = Face { family: Family::Mono, bold: false, italic: false };

    pub fn bold(self) -> Face {
        Face { bold: true, ..self }
    }

    pub fn italic(self) -> Face {
        Face { italic: true, ..self }
    }

    fn family_name(self) -> &'static str {
        match self.family {
            Family::Serif => "DejaVu Serif",
            Family::Sans => "DejaVu Sans",
            Family::Mono => "DejaVu Sans Mono",
        }
    }
}

/// One glyph of shaped text, its measures in ems (krilla scales them by the size).
#[derive(Clone, Debug)]
pub struct Glyph {
    pub id: u16,
    pub advance: f32,
    pub x_offset: f32,
    pub y_offset: f32,
    /// The bytes of the text the glyph stands for, so the PDF's text can be copied and searched.
    pub range: std::ops::Range<usize>,
}

impl Shaped {
    /// Its glyphs as krilla draws them.
    pub fn krilla_glyphs(&self) -> Vec<krilla::text::KrillaGlyph> {
        self.glyphs
            .iter()
            .map(|g| {
                krilla::text::KrillaGlyph::new(
                    krilla::text::GlyphId::new(g.id.into()),
                    g.advance,
                    g.x_offset,
                    g.y_offset,
                    0.0,
                    g.range.clone(),
                    None,
                )
            })
            .collect()
    }
}

/// Text in one loaded face: what is drawn as one run.
#[derive(Clone, Debug)]
pub struct Shaped {
    /// The face it is set in.
    pub font: krilla::text::Font,
    pub text: Rc<str>,
    pub glyphs: Rc<[Glyph]>,
    /// Width in ems.
    pub width: f32,
}

/// A face's file, read once.
struct Loaded {
    data: Arc<Vec<u8>>,
    index: u32,
    font: krilla::text::Font,
}

/// Words shaped so far are forgotten past this many, so memory stays bounded on any report.
const CACHE_LIMIT: usize = 50_000;

/// A word's glyphs in a face, and its width in ems.
type Word = (Rc<[Glyph]>, f32);

/// The faces in use and the words shaped in them.
pub struct Fonts {
    db: fontdb::Database,
    loaded: Vec<Loaded>,
    /// The loaded face for each face asked for.
    primary: HashMap<Face, usize>,
    /// For a character the primary faces lack: the face that has it, if any does.
    fallback: HashMap<(char, bool, bool), Option<usize>>,
    /// The system's faces in the order a fallback is looked for, by weight and slant asked for.
    order: HashMap<(bool, bool), Vec<fontdb::ID>>,
    /// Faces by id, loaded as fallbacks.
    by_id: HashMap<fontdb::ID, usize>,
    /// Whether a loaded face has a character, as found.
    covers: HashMap<(usize, char), bool>,
    shaped: HashMap<(usize, Box<str>), Word>,
}

impl Fonts {
    /// The system's fonts, DejaVu's four faces loaded; an error naming the package when they are missing.
    pub fn system() -> Result<Fonts> {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        let mut fonts = Fonts {
            db,
            loaded: Vec::new(),
            primary: HashMap::new(),
            fallback: HashMap::new(),
            order: HashMap::new(),
            by_id: HashMap::new(),
            covers: HashMap::new(),
            shaped: HashMap::new(),
        };
        for family in [Family::Serif, Family::Sans, Family::Mono] {
            for (bold, italic) in [(false, false), (true, false), (false, true), (true, true)] {
                let face = Face { family, bold, italic };
                let id = fonts.query(face).ok_or_else(|| {
                    Error::rule(
                        "font",
                        "font_missing",
                        Some(face.family_name().to_string()),
                        format!(
                            "the PDF is set in {}, which is not installed: install the packages fonts-dejavu-core \
                             and fonts-dejavu-extra",
                            face.family_name()
                        ),
                    )
                })?;
                let index = fonts.load(id)?;
                fonts.primary.insert(face, index);
            }
        }
        Ok(fonts)
    }

    fn query(&self, face: Face) -> Option<fontdb::ID> {
        let query = fontdb::Query {
            families: &[fontdb::Family::Name(face.family_name())],
            weight: if face.bold { fontdb::Weight::BOLD } else { fontdb::Weight::NORMAL },
            style: if face.italic { fontdb::Style::Oblique } else { fontdb::Style::Normal },
            stretch: fontdb::Stretch::Normal,
        };
        let id = self.db.query(&query)?;
        // The query falls back to any face of the family; a regular face standing in for bold or
        // italic would set the text without telling, so only the family is checked here.
        let info = self.db.face(id)?;
        info.families.iter().any(|(name, _)| name == face.family_name()).then_some(id)
    }

    fn load(&mut self, id: fontdb::ID) -> Result<usize> {
        if let Some(&i) = self.by_id.get(&id) {
            return Ok(i);
        }
        let (data, index) = self
            .db
            .with_face_data(id, |data, index| (data.to_vec(), index))
            .ok_or_else(|| Error::internal("a font file could not be read"))?;
        let data = Arc::new(data);
        let font = krilla::text::Font::new(data.clone().into(), index)
            .ok_or_else(|| Error::internal("a font file could not be used"))?;
        self.loaded.push(Loaded { data, index, font });
        self.by_id.insert(id, self.loaded.len() - 1);
        Ok(self.loaded.len() - 1)
    }

    /// `text` in `face`, split where a character needs another face, each part shaped.
    pub fn shape(&mut self, face: Face, text: &str) -> Vec<Shaped> {
        let primary = self.primary[&face];
        let mut parts = Vec::new();
        let mut start = 0;
        let mut current = primary;
        for (i, c) in text.char_indices() {
            let font = self.font_for(face, primary, c);
            if font != current && i > start {
                parts.push(self.shape_in(current, &text[start..i]));
                start = i;
            }
            current = font;
        }
        if start < text.len() {
            parts.push(self.shape_in(current, &text[start..]));
        }
        parts
    }

    /// The face a character is set in: the primary one, unless it lacks it and another has it.
    /// Among the faces that have it, one of the weight and slant asked for comes first.
    fn font_for(&mut self, face: Face, primary: usize, c: char) -> usize {
        if c.is_whitespace() || c.is_control() || self.has(primary, c) {
            return primary;
        }
        let key = (c, face.bold, face.italic);
        if let Some(found) = self.fallback.get(&key) {
            return found.unwrap_or(primary);
        }
        let db = &self.db;
        let ids = self.order.entry((face.bold, face.italic)).or_insert_with(|| {
            let weight = if face.bold { fontdb::Weight::BOLD } else { fontdb::Weight::NORMAL };
            let mut faces: Vec<&fontdb::FaceInfo> = db.faces().collect();
            faces.sort_by_key(|f| {
                ((f.weight.0 as i32 - weight.0 as i32).abs(), (f.style != fontdb::Style::Normal) != face.italic)
            });
            faces.iter().map(|f| f.id).collect()
        });
        let found = ids.iter().copied().find(|&id| {
            db.with_face_data(id, |data, index| {
                rustybuzz::ttf_parser::Face::parse(data, index).is_ok_and(|f| f.glyph_index(c).is_some())
            })
            .unwrap_or(false)
        });
        let found = found.and_then(|id| self.load(id).ok());
        self.fallback.insert(key, found);
        found.unwrap_or(primary)
    }

    /// Whether the loaded face `font` has `c`. DejaVu has every Latin letter up to Latin Extended-B,
    /// which is most of what a report holds, so those are not looked up.
    fn has(&mut self, font: usize, c: char) -> bool {
        if (c as u32) < 0x250 && self.primary.values().any(|&p| p == font) {
            return true;
        }
        if let Some(&known) = self.covers.get(&(font, c)) {
            return known;
        }
        let l = &self.loaded[font];
        let has = rustybuzz::ttf_parser::Face::parse(&l.data, l.index).is_ok_and(|f| f.glyph_index(c).is_some());
        self.covers.insert((font, c), has);
        has
    }

    fn shape_in(&mut self, font: usize, text: &str) -> Shaped {
        if let Some((glyphs, width)) = self.shaped.get(&(font, text.into())) {
            let font = self.loaded[font].font.clone();
            return Shaped { font, text: text.into(), glyphs: glyphs.clone(), width: *width };
        }
        let l = &self.loaded[font];
        let (glyphs, width) = match rustybuzz::Face::from_slice(&l.data, l.index) {
            Some(face) => {
                let scale = 1.0 / face.units_per_em() as f32;
                let mut buffer = rustybuzz::UnicodeBuffer::new();
                buffer.push_str(text);
                let out = rustybuzz::shape(&face, &[], buffer);
                let infos = out.glyph_infos();
                // A cluster's text ends where the next cluster's starts, whichever way the glyphs run.
                let mut starts: Vec<usize> = infos.iter().map(|g| g.cluster as usize).collect();
                starts.sort_unstable();
                starts.dedup();
                let glyphs: Vec<Glyph> = infos
                    .iter()
                    .zip(out.glyph_positions())
                    .map(|(info, pos)| {
                        let start = info.cluster as usize;
                        let end = starts.get(starts.partition_point(|&c| c <= start)).copied().unwrap_or(text.len());
                        Glyph {
                            id: info.glyph_id as u16,
                            advance: pos.x_advance as f32 * scale,
                            x_offset: pos.x_offset as f32 * scale,
                            y_offset: pos.y_offset as f32 * scale,
                            range: start..end,
                        }
                    })
                    .collect();
                let width = glyphs.iter().map(|g| g.advance).sum();
                (Rc::<[Glyph]>::from(glyphs), width)
            }
            None => (Rc::<[Glyph]>::from(Vec::new()), 0.0),
        };
        if self.shaped.len() >= CACHE_LIMIT {
            self.shaped.clear();
        }
        self.shaped.insert((font, text.into()), (glyphs.clone(), width));
        Shaped { font: self.loaded[font].font.clone(), text: text.into(), glyphs, width }
    }
}
