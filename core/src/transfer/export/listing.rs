//! Listings for the other side or the court: a table with a title, as a CSV file or a Word document:
//! the privilege log ([`privilege_log`]) and the redaction log ([`redaction_log`]); a production's
//! index will be the same shape.

use super::csv::{neutralise, BOM};
use crate::date::Lang;
use crate::error::{Error, Result};
use crate::record::evidence::redact;
use crate::record::{case, privilege, production};
use crate::store::Reader;

/// A table with what it is and its title: `columns` are each a header and a share of the width.
pub struct Listing {
    /// What the document is ("Privilege log").
    pub kind: &'static str,
    pub title: String,
    /// Lines of particulars under the title (the case, the date it was made).
    pub meta: Vec<String>,
    pub columns: Vec<(&'static str, usize)>,
    pub rows: Vec<Vec<String>>,
}

impl Listing {
    /// As a spreadsheet: the header row, then a row each; UTF-8 with a byte-order mark, CRLF line
    /// ends, every cell guarded against formula injection (as the chronology's CSV is).
    pub fn csv(&self) -> Result<Vec<u8>> {
        let fail = |e: ::csv::Error| Error::internal(format!("the CSV writer failed: {e}"));
        let mut writer = ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(BOM.to_vec());
        writer.write_record(self.columns.iter().map(|(header, _)| *header)).map_err(fail)?;
        for row in &self.rows {
            writer.write_record(row.iter().map(|cell| neutralise(cell))).map_err(fail)?;
        }
        writer.into_inner().map_err(|e| Error::internal(format!("the CSV writer failed: {e}")))
    }

    /// As a Word document in the report's styles.
    pub fn docx(&self) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        super::docx::listing(self, &mut out)?;
        Ok(out)
    }
}

/// The day a listing is made on, in words ("7 December 2026"), or as given when it is no date.
pub(crate) fn in_words(day: &str, lang: Lang) -> String {
    crate::date::FuzzyDate::parse(day).map(|d| d.display(lang)).unwrap_or_else(|_| day.to_string())
}

/// The privilege log of a case in `lang`, made on `today`: every privileged record, with its date,
/// author, recipients, type, the basis of the privilege and its description ([`privilege::log`]).
pub fn privilege_log(db: &Reader, case_key: &str, lang: Lang, today: &str) -> Result<Listing> {
    privilege_listing(db, case_key, lang, today, None)
}

/// The privilege log of what a production withheld: the records `withheld` names, each by the Bates
/// number of its slip sheet (record id, Bates number).
pub(crate) fn privilege_log_of(
    db: &Reader,
    case_key: &str,
    lang: Lang,
    today: &str,
    withheld: &[(String, String)],
) -> Result<Listing> {
    privilege_listing(db, case_key, lang, today, Some(withheld))
}

fn privilege_listing(
    db: &Reader,
    case_key: &str,
    lang: Lang,
    today: &str,
    withheld: Option<&[(String, String)]>,
) -> Result<Listing> {
    let case = case::get(db, case_key)?;
    let en = lang == Lang::En;
    let today = in_words(today, lang);
    let bates = |id: &str| withheld.map(|w| w.iter().find(|(record, _)| record == id).map(|(_, b)| b.clone()));
    let rows = privilege::log(db, &case.id, lang)?
        .into_iter()
        .filter_map(|mut l| match bates(&l.id) {
            None => Some(l),
            Some(None) => None,
            Some(Some(number)) => {
                l.id = number;
                Some(l)
            }
        })
        .map(|l| {
            let date = if l.date_words.is_empty() || l.date_words == l.date {
                l.date
            } else {
                format!("{} ({})", l.date_words, l.date)
            };
            vec![l.id, date, l.author, l.recipients, l.kind, l.basis.word(lang).to_string(), l.description]
        })
        .collect();
    let id_column = if withheld.is_some() {
        "Bates"
    } else if en {
        "ID"
    } else {
        "Identifiant"
    };
    let columns = if en {
        vec![
            (id_column, 3),
            ("Date", 2),
            ("Author", 2),
            ("Recipients", 2),
            ("Type", 1),
            ("Basis", 2),
            ("Description", 3),
        ]
    } else {
        vec![
            (id_column, 3),
            ("Date", 2),
            ("Auteur", 2),
            ("Destinataires", 2),
            ("Type", 1),
            ("Fondement", 2),
            ("Description", 3),
        ]
    };
    let meta = if en {
        vec![format!("Withheld from production and publication. Made on {today} by Dossier.")]
    } else {
        vec![format!("Pièces retenues, non produites ni publiées. Établi le {today} par Dossier.")]
    };
    Ok(Listing {
        kind: if en { "Privilege log" } else { "Journal des pièces couvertes par le secret" },
        title: case.title,
        meta,
        columns,
        rows,
    })
}

/// The redaction log of a case in `lang`, made on `today`: a row for each box of each redacted copy,
/// in the order the copies were made — the copy and the document it was made from, the page, its
/// Bates number in each volume the copy was produced in, the reason and its note, who made it (as
/// the change log names them) and when.
pub fn redaction_log(db: &Reader, case_key: &str, lang: Lang, today: &str) -> Result<Listing> {
    let case = case::get(db, case_key)?;
    let en = lang == Lang::En;
    let today = in_words(today, lang);
    let mut rows = Vec::new();
    for entry in redact::log(db, &case.id)? {
        for b in &entry.boxes {
            rows.push(vec![
                entry.copy_title.clone(),
                entry.original_title.clone(),
                b.page.to_string(),
                production::bates_of_page(db, &entry.copy_id, b.page)?.join(", "),
                b.reason.word(lang).to_string(),
                b.note.clone(),
                entry.made_by.clone(),
                entry.made_at.clone(),
            ]);
        }
    }
    let columns = if en {
        vec![
            ("Redacted copy", 3),
            ("Document", 3),
            ("Page", 1),
            ("Bates", 2),
            ("Reason", 2),
            ("Note", 2),
            ("By", 2),
            ("When", 2),
        ]
    } else {
        vec![
            ("Copie occultée", 3),
            ("Document", 3),
            ("Page", 1),
            ("Bates", 2),
            ("Motif", 2),
            ("Note", 2),
            ("Par", 2),
            ("Date", 2),
        ]
    };
    let meta = if en {
        vec![format!("Every redaction of the case's documents. Made on {today} by Dossier.")]
    } else {
        vec![format!("Toutes les occultations des documents de l’affaire. Établi le {today} par Dossier.")]
    };
    Ok(Listing {
        kind: if en { "Redaction log" } else { "Journal des occultations" },
        title: case.title,
        meta,
        columns,
        rows,
    })
}
