//! Productions and hearing bundles: a case's documents handed over as files.
//!
//! A **production** ([`produce`]) is a numbered volume in a folder of its own: every page of every
//! document stamped with its Bates number (and an endorsement, if any), redacted copies in place of
//! their originals, privileged documents withheld behind a slip sheet, documents that are not PDFs
//! kept as native files behind one; with the load files review platforms read (`.dat`, `.opt`), the
//! text of each document, an index and the privilege log of what was withheld (CSV and Word). The
//! volume is kept in the record (`record::production`): each document's panel shows where it went,
//! and the next volume's numbers continue from the last. A **hearing bundle** is [`hearing`]'s.
//!
//! The volume is written into a hidden folder beside where it goes and renamed into place once whole,
//! so a stopped or failed production leaves no half volume under its name, and nothing in the record.

pub mod hearing;
mod loadfile;
mod ocr;
pub mod pdf;
pub mod preview;
pub mod select;

pub(super) use self::ocr::searchable;

use std::fs;
use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};

use self::loadfile::Row;
use self::pdf::{Corner, Line, Mark};
use self::select::Chosen;
pub use self::select::Selection;
use super::export::listing::{self, in_words, Listing};
use super::progress::{Ticker, Watch};
use super::today;
use crate::date::Lang;
use crate::error::{Error, Result};
use crate::record::case;
use crate::record::evidence::{self, Evidence};
use crate::record::production::{self, ProducedDocument, Production};
use crate::store::{registry, Store};
use crate::vocabulary::ProductionDisposition as Disposition;

/// Bates numbers' default padding: `ACME000001`.
const DIGITS: u32 = 6;
/// The size of the Bates number and the endorsement, in points.
const STAMP_SIZE: f64 = 9.0;

/// What to produce, and how to number it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProduceInput {
    pub case: String,
    pub prefix: String,
    /// Digits the number is padded to (6 when absent).
    #[serde(default)]
    pub digits: Option<u32>,
    /// The first number, when not the one after the case's last production of this prefix.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub start: Option<u64>,
    /// Printed at the foot of every page, left ("CONFIDENTIAL").
    #[serde(default)]
    pub endorsement: String,
    #[serde(default)]
    pub selection: Selection,
    /// `en` or `fr`: the slip sheets', index's and privilege log's language.
    #[serde(default)]
    pub lang: String,
}

/// A production made: its record and the folder it is in.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Produced {
    pub production: Production,
    pub folder: String,
    /// How many pages it has.
    pub pages: u32,
    /// Its first and last Bates numbers as stamped (`ACME000001`).
    pub first_bates: String,
    pub last_bates: String,
}

/// The numbering a volume would get, without making it: for a preview.
pub fn numbering(store: &Store, input: &ProduceInput) -> Result<(String, String)> {
    let n = Numbering::of(store.reader(), input)?;
    Ok((n.volume, production::bates(&n.prefix, n.digits, n.first)))
}

/// Where the next volume of a case stands: its case, Bates prefix and padding, first number and name.
struct Numbering {
    case_id: String,
    prefix: String,
    digits: u32,
    first: u64,
    volume: String,
}

impl Numbering {
    fn of(db: &crate::store::Reader, input: &ProduceInput) -> Result<Numbering> {
        let case_id = case::resolve(db, &input.case)?;
        let prefix = production::checked_prefix(&input.prefix)?;
        let digits = checked_digits(input.digits)?;
        let first = match input.start {
            Some(n) => n,
            None => production::next_number(db, &case_id, &prefix)?,
        };
        let volume = production::next_volume(db, &case_id)?;
        Ok(Numbering { case_id, prefix, digits, first, volume })
    }
}

fn checked_digits(digits: Option<u32>) -> Result<u32> {
    match digits.unwrap_or(DIGITS) {
        d @ 1..=12 => Ok(d),
        d => Err(Error::rule("digits", "bad_digits", d.to_string(), "Bates numbers are padded to 1 to 12 digits")),
    }
}

/// Makes a production of the case's documents that `input.selection` chooses into a new folder in
/// `out` named after the volume (`VOL001`), and keeps its record.
pub fn produce(store: &mut Store, input: &ProduceInput, out: &Path, watch: &dyn Watch) -> Result<Produced> {
    let lang = Lang::parse(input.lang.trim()).unwrap_or(Lang::En);
    let db = store.reader();
    let Numbering { case_id, prefix, digits, first, volume } = Numbering::of(db, input)?;
    let endorsement = production::checked_endorsement(&input.endorsement)?;
    let chosen = select::choose(db, &case_id, &input.selection)?;

    fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    let folder = out.join(&volume);
    if folder.exists() {
        return Err(Error::Conflict(format!(
            "{} already exists: choose another folder, or move the earlier volume",
            folder.display()
        )));
    }
    let partial = out.join(format!(".{volume}.partial-{}", registry::new_id()));
    let made = Volume {
        store,
        case_id: &case_id,
        lang,
        prefix: &prefix,
        digits,
        endorsement: &endorsement,
        volume: &volume,
        root: &partial,
    }
    .write(&chosen, first, watch);
    let (documents, pages) = match made {
        Ok(made) => made,
        Err(e) => {
            let _ = fs::remove_dir_all(&partial);
            return Err(e);
        }
    };
    let production = Production {
        id: registry::new_id(),
        case_id,
        volume: volume.clone(),
        prefix: prefix.clone(),
        digits,
        first_number: first,
        last_number: first + u64::from(pages) - 1,
        endorsement,
        made_at: registry::now(),
        documents,
    };
    if let Err(e) = fs::rename(&partial, &folder).map_err(|e| Error::io(&folder, e)) {
        let _ = fs::remove_dir_all(&partial);
        return Err(e);
    }
    if let Err(e) = production::record(store, &production) {
        let _ = fs::remove_dir_all(&folder);
        return Err(e);
    }
    let (first_bates, last_bates) = (
        production::bates(&prefix, digits, production.first_number),
        production::bates(&prefix, digits, production.last_number),
    );
    Ok(Produced { production, folder: folder.display().to_string(), pages, first_bates, last_bates })
}

/// A volume being written into `root`.
struct Volume<'a> {
    store: &'a Store,
    case_id: &'a str,
    lang: Lang,
    prefix: &'a str,
    digits: u32,
    endorsement: &'a str,
    volume: &'a str,
    root: &'a Path,
}

impl Volume<'_> {
    fn bates(&self, n: u64) -> String {
        production::bates(self.prefix, self.digits, n)
    }

    /// Writes every document, the load files, the index and the privilege log; returns what each
    /// document became and the pages in all.
    fn write(&self, chosen: &[Chosen], first: u64, watch: &dyn Watch) -> Result<(Vec<ProducedDocument>, u32)> {
        for dir in ["IMAGES", "NATIVES", "TEXT", "DATA"] {
            fs::create_dir_all(self.root.join(dir)).map_err(|e| Error::io(self.root, e))?;
        }
        let mut ticker = Ticker::new(watch, chosen.len() as u64);
        ticker.begin()?;
        let (mut next, mut documents, mut rows, mut index, mut withheld) =
            (first, Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for c in chosen {
            let (disposition, mut doc, native) = self.pages_of(c, next)?;
            let page_ids = pdf::pages(&doc);
            let count = page_ids.len() as u32;
            let font = pdf::font(&mut doc);
            for (i, page) in page_ids.iter().enumerate() {
                let number = self.bates(next + i as u64);
                let mut marks = vec![Mark { text: &number, corner: Corner::BottomRight, size: STAMP_SIZE }];
                if !self.endorsement.is_empty() {
                    marks.push(Mark { text: self.endorsement, corner: Corner::BottomLeft, size: STAMP_SIZE });
                }
                pdf::stamp(&mut doc, *page, font, &marks)?;
            }
            let (begin, end) = (self.bates(next), self.bates(next + u64::from(count) - 1));
            let image_path = format!("IMAGES\\{begin}.pdf");
            self.put(&format!("IMAGES/{begin}.pdf"), &pdf::save(doc)?)?;
            let native_path = match &native {
                Some(e) => {
                    // The file's own extension, if it is a plain one: a name from an e-mail
                    // attachment can hold anything.
                    let ext = Path::new(e.original_name.as_deref().unwrap_or("")).extension().and_then(|x| x.to_str());
                    let name = match ext.filter(|x| x.len() <= 10 && x.chars().all(|c| c.is_ascii_alphanumeric())) {
                        Some(x) => format!("{begin}.{}", x.to_ascii_lowercase()),
                        None => begin.clone(),
                    };
                    self.copy_file(e, &format!("NATIVES/{name}"))?;
                    format!("NATIVES\\{name}")
                }
                None => String::new(),
            };
            let text_path =
                if disposition == Disposition::Withheld { None } else { self.text_of(c.produced(), &begin)? };
            let title = match &c.privilege {
                Some(p) if disposition == Disposition::Withheld => p.description.clone(),
                _ => c.original.title.clone(),
            };
            let date = c.original.date.clone().unwrap_or_default();
            rows.push(Row {
                pages: (0..count).map(|i| self.bates(next + u64::from(i))).collect(),
                values: [
                    begin.clone(),
                    end.clone(),
                    count.to_string(),
                    title.clone(),
                    date.clone(),
                    if disposition == Disposition::Withheld {
                        String::new()
                    } else {
                        c.produced().original_name.clone().unwrap_or_default()
                    },
                    disposition.to_string(),
                    c.privilege.as_ref().map(|p| p.basis.to_string()).unwrap_or_default(),
                    if disposition == Disposition::Withheld {
                        String::new()
                    } else {
                        c.produced().sha256.clone().unwrap_or_default()
                    },
                    native_path.clone(),
                    text_path.unwrap_or_default(),
                    c.original.id.clone(),
                ],
                image_path,
            });
            index.push(vec![
                begin.clone(),
                end,
                count.to_string(),
                title,
                in_words(&date, self.lang),
                disposition.word(self.lang).to_string(),
                native_path,
            ]);
            if disposition == Disposition::Withheld {
                withheld.push((c.original.id.clone(), begin));
            }
            documents.push(ProducedDocument {
                evidence_id: c.original.id.clone(),
                copy_id: c.copy.as_ref().filter(|_| disposition == Disposition::Redacted).map(|e| e.id.clone()),
                disposition,
                first_number: next,
                last_number: next + u64::from(count) - 1,
                pages: count,
            });
            next += u64::from(count);
            ticker.advance(1)?;
        }
        self.put(&format!("DATA/{}.dat", self.volume), &loadfile::dat(&rows))?;
        self.put(&format!("DATA/{}.opt", self.volume), &loadfile::opt(self.volume, &rows))?;
        let index = self.index(index)?;
        self.put(&format!("{} index.csv", self.volume), &index.csv()?)?;
        self.put(&format!("{} index.docx", self.volume), &index.docx()?)?;
        if !withheld.is_empty() {
            let log = listing::privilege_log_of(self.store.reader(), self.case_id, self.lang, &today(), &withheld)?;
            let name = if self.lang == Lang::Fr { "journal des pièces retenues" } else { "privilege log" };
            self.put(&format!("{} {name}.csv", self.volume), &log.csv()?)?;
            self.put(&format!("{} {name}.docx", self.volume), &log.docx()?)?;
        }
        ticker.finish()?;
        Ok((documents, (next - first) as u32))
    }

    /// The pages a document goes into the volume as, and the evidence kept beside as a native file.
    fn pages_of(&self, c: &Chosen, first: u64) -> Result<(Disposition, lopdf::Document, Option<Evidence>)> {
        let (fr, at) = (self.lang == Lang::Fr, self.bates(first));
        if let Some(p) = &c.privilege {
            let mut lines = vec![
                Line::bold(if fr { "RETENU — PIÈCE COUVERTE PAR LE SECRET" } else { "WITHHELD — PRIVILEGED" }, 18.0),
                Line::plain("", 12.0),
                Line::plain(format!("{} {at}", if fr { "Pièce" } else { "Document" }), 12.0),
                Line::plain(format!("{} {}", if fr { "Fondement :" } else { "Basis:" }, p.basis.word(self.lang)), 12.0),
            ];
            if !p.description.is_empty() {
                lines.push(Line::plain(
                    format!("{} {}", if fr { "Description :" } else { "Description:" }, p.description),
                    12.0,
                ));
            }
            lines.push(Line::plain(
                if fr {
                    "Décrite au journal des pièces retenues de ce volume."
                } else {
                    "Listed in this volume's privilege log."
                },
                12.0,
            ));
            return Ok((Disposition::Withheld, slip_sheet(&lines), None));
        }
        let produced = c.produced();
        if produced.media_type.as_deref() == Some("application/pdf") {
            let bytes = read(self.store, produced)?;
            let doc = pdf::open(&bytes, &produced.title)?;
            let disposition = if c.copy.is_some() { Disposition::Redacted } else { Disposition::Produced };
            return Ok((disposition, doc, None));
        }
        let name = produced.original_name.clone().unwrap_or_else(|| produced.title.clone());
        let lines = vec![
            Line::bold(if fr { "PRODUIT EN FORMAT NATIF" } else { "PRODUCED IN NATIVE FORM" }, 18.0),
            Line::plain("", 12.0),
            Line::plain(format!("{} {at}", if fr { "Pièce" } else { "Document" }), 12.0),
            Line::plain(format!("{} {}", if fr { "Fichier d’origine :" } else { "Original file:" }, name), 12.0),
            Line::plain(
                if fr {
                    "Le fichier est joint dans le dossier NATIVES sous ce numéro."
                } else {
                    "The file is in the NATIVES folder under this number."
                },
                12.0,
            ),
        ];
        Ok((Disposition::Native, slip_sheet(&lines), Some(produced.clone())))
    }

    fn copy_file(&self, e: &Evidence, to: &str) -> Result<()> {
        let sha = e.sha256.as_deref().ok_or_else(|| Error::not_found("file of evidence", &e.id))?;
        self.store.blobs().copy_out(sha, &self.root.join(to), || Error::not_found("file of evidence", &e.id))
    }

    /// Writes the document's text as Dossier read it, page by page (a form feed between pages), if it
    /// has any; returns its path from the volume's folder.
    fn text_of(&self, e: &Evidence, begin: &str) -> Result<Option<String>> {
        let pages = evidence::text(self.store.reader(), &e.id, None)?;
        if pages.iter().all(|p| p.text.trim().is_empty()) {
            return Ok(None);
        }
        let text: Vec<&str> = pages.iter().map(|p| p.text.as_str()).collect();
        self.put(&format!("TEXT/{begin}.txt"), text.join("\u{c}").as_bytes())?;
        Ok(Some(format!("TEXT\\{begin}.txt")))
    }

    fn put(&self, name: &str, bytes: &[u8]) -> Result<()> {
        let path = self.root.join(name);
        fs::write(&path, bytes).map_err(|e| Error::io(&path, e))
    }

    fn index(&self, rows: Vec<Vec<String>>) -> Result<Listing> {
        let en = self.lang == Lang::En;
        let columns = if en {
            vec![
                ("Begin", 2),
                ("End", 2),
                ("Pages", 1),
                ("Document", 4),
                ("Date", 2),
                ("Produced", 2),
                ("Native file", 2),
            ]
        } else {
            vec![
                ("Début", 2),
                ("Fin", 2),
                ("Pages", 1),
                ("Document", 4),
                ("Date", 2),
                ("Production", 2),
                ("Fichier natif", 2),
            ]
        };
        let today = in_words(&today(), self.lang);
        let meta = vec![if en {
            format!("Volume {} of {} documents. Made on {today} by Dossier.", self.volume, rows.len())
        } else {
            format!("Volume {} de {} pièces. Établi le {today} par Dossier.", self.volume, rows.len())
        }];
        Ok(Listing {
            kind: if en { "Production index" } else { "Bordereau de production" },
            title: self.volume.to_string(),
            meta,
            columns,
            rows,
        })
    }
}

/// The bytes of an evidence's file.
pub(super) fn read(store: &Store, e: &Evidence) -> Result<Vec<u8>> {
    let sha = e.sha256.as_deref().ok_or_else(|| Error::not_found("file of evidence", &e.id))?;
    let mut bytes = Vec::new();
    store.blobs().open(sha)?.read_to_end(&mut bytes).map_err(|err| Error::io(Path::new(&e.title), err))?;
    Ok(bytes)
}

/// A one-page PDF of `lines`, for a document that is withheld or kept as a native file.
fn slip_sheet(lines: &[Line]) -> lopdf::Document {
    let mut doc = lopdf::Document::with_version("1.7");
    let pages = pdf::text_pages(&mut doc, lines);
    pdf::with_pages(doc, &pages)
}
