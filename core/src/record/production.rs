//! Productions: the numbered volumes of a case's documents handed to the other side. What goes into
//! the volume's files is `transfer::produce`'s; what is kept here is the record of it: each volume's
//! Bates prefix, padding and range, its endorsement, and what each document became in it (its range,
//! and whether it went as it is, redacted, withheld as privileged or as a native file). Bates numbers
//! of a prefix never repeat in a case: the next volume continues from the highest number stamped.

use rusqlite::params;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::input;
use crate::store::registry;
use crate::store::{Reader, Store, Writer};
use crate::vocabulary::ProductionDisposition;

/// Longest Bates prefix.
const MAX_PREFIX: usize = 24;
/// Longest endorsement printed on each page.
const MAX_ENDORSEMENT: usize = 80;

/// A volume of a case, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Production {
    pub id: String,
    pub case_id: String,
    /// `VOL001`, `VOL002`…: the volume's name, its folder's and its load files'.
    pub volume: String,
    pub prefix: String,
    pub digits: u32,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub first_number: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub last_number: u64,
    pub endorsement: String,
    pub made_at: String,
    /// What each document became, in Bates order.
    pub documents: Vec<ProducedDocument>,
}

/// One document of a volume.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProducedDocument {
    pub evidence_id: String,
    /// The redacted copy produced in its place, if any.
    pub copy_id: Option<String>,
    pub disposition: ProductionDisposition,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub first_number: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub last_number: u64,
    pub pages: u32,
}

/// One line of a document's production history, as its panel shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProductionEntry {
    pub production_id: String,
    pub volume: String,
    /// Its first and last Bates numbers as stamped (`ACME000012`).
    pub first_bates: String,
    pub last_bates: String,
    pub disposition: ProductionDisposition,
    pub made_at: String,
    /// The same, as people read it (`2026-11-29 04:22 UTC`).
    pub when: String,
}

/// A Bates number as stamped: the prefix, then the number padded with zeros to `digits`.
pub fn bates(prefix: &str, digits: u32, number: u64) -> String {
    format!("{prefix}{number:0width$}", width = digits as usize)
}

/// A Bates prefix, checked: letters, digits, `-`, `_` or `.`, at most [`MAX_PREFIX`] of them.
pub fn checked_prefix(prefix: &str) -> Result<String> {
    let prefix = prefix.trim();
    if prefix.is_empty() {
        return Err(Error::required("prefix"));
    }
    if prefix.chars().count() > MAX_PREFIX
        || !prefix.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(Error::rule(
            "prefix",
            "bad_prefix",
            input::shorten(prefix),
            format!("a Bates prefix is up to {MAX_PREFIX} Latin letters, digits, '-', '_' or '.' (e.g. ACME)"),
        ));
    }
    Ok(prefix.to_string())
}

/// An endorsement, checked: one line of at most [`MAX_ENDORSEMENT`] characters that the standard PDF
/// font can print (Latin letters with their accents).
pub fn checked_endorsement(endorsement: &str) -> Result<String> {
    let endorsement = input::line("endorse", endorsement)?;
    if endorsement.chars().count() > MAX_ENDORSEMENT {
        return Err(Error::rule(
            "endorse",
            "too_long",
            input::shorten(&endorsement),
            format!("an endorsement is at most {MAX_ENDORSEMENT} characters"),
        ));
    }
    if crate::pdfout::text(&endorsement).contains(&b'?') && !endorsement.contains('?') {
        return Err(Error::rule(
            "endorse",
            "not_latin",
            input::shorten(&endorsement),
            "an endorsement is printed in the standard PDF font, which has Latin letters only",
        ));
    }
    Ok(endorsement)
}

/// The number the next volume of `prefix` in the case starts at: one past the highest stamped, or 1.
pub fn next_number(db: &Reader, case_id: &str, prefix: &str) -> Result<u64> {
    let last: Option<i64> = db
        .optional(
            "SELECT max(last_number) FROM production WHERE case_id = ?1 AND prefix = ?2",
            [case_id, prefix],
            |r| r.get(0),
        )?
        .flatten();
    Ok(last.map_or(1, |n| n as u64 + 1))
}

/// The next volume's name in the case: `VOL001` for the first.
pub fn next_volume(db: &Reader, case_id: &str) -> Result<String> {
    let count: i64 = db.one("SELECT count(*) FROM production WHERE case_id = ?1", [case_id], |r| r.get(0))?;
    Ok(format!("VOL{:03}", count + 1))
}

/// Keeps the record of a volume made (its documents included), in one write on the case.
pub fn record(store: &mut Store, production: &Production) -> Result<()> {
    let clash: Option<String> = store.reader().optional(
        "SELECT volume FROM production WHERE case_id = ?1 AND prefix = ?2 AND first_number <= ?4 AND last_number >= ?3",
        params![production.case_id, production.prefix, production.first_number as i64, production.last_number as i64],
        |r| r.get(0),
    )?;
    if let Some(volume) = clash {
        return Err(Error::Conflict(format!(
            "Bates numbers {} to {} overlap volume {volume}'s: start after its last number",
            bates(&production.prefix, production.digits, production.first_number),
            bates(&production.prefix, production.digits, production.last_number),
        )));
    }
    store.write("produce documents", Some(&production.case_id), &summary(production), |w| write(w, production))
}

/// What the change log says of a volume: its name, range and documents, not its files.
fn summary(p: &Production) -> serde_json::Value {
    serde_json::json!({
        "volume": p.volume,
        "first": bates(&p.prefix, p.digits, p.first_number),
        "last": bates(&p.prefix, p.digits, p.last_number),
        "endorsement": p.endorsement,
        "documents": p.documents.len(),
    })
}

fn write(w: &Writer<'_>, p: &Production) -> Result<()> {
    w.execute(
        "INSERT INTO production (id, case_id, volume, prefix, digits, first_number, last_number, endorsement, made_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            p.id,
            p.case_id,
            p.volume,
            p.prefix,
            p.digits,
            p.first_number as i64,
            p.last_number as i64,
            p.endorsement,
            p.made_at
        ],
    )?;
    for d in &p.documents {
        w.execute(
            "INSERT INTO production_document (evidence_id, production_id, copy_id, disposition, first_number,
                 last_number, pages) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                d.evidence_id,
                p.id,
                d.copy_id,
                d.disposition,
                d.first_number as i64,
                d.last_number as i64,
                d.pages
            ],
        )?;
        registry::touch(w, &d.evidence_id)?;
    }
    registry::touch(w, &p.case_id)
}

/// The volumes of a case, oldest first, each with its documents.
pub fn list(db: &Reader, case_id: &str) -> Result<Vec<Production>> {
    let mut volumes = db.all(
        "SELECT id, case_id, volume, prefix, digits, first_number, last_number, endorsement, made_at
           FROM production WHERE case_id = ?1 ORDER BY made_at, volume",
        [case_id],
        |r| {
            Ok(Production {
                id: r.get(0)?,
                case_id: r.get(1)?,
                volume: r.get(2)?,
                prefix: r.get(3)?,
                digits: r.get(4)?,
                first_number: r.get::<_, i64>(5)? as u64,
                last_number: r.get::<_, i64>(6)? as u64,
                endorsement: r.get(7)?,
                made_at: r.get(8)?,
                documents: Vec::new(),
            })
        },
    )?;
    for v in &mut volumes {
        v.documents = db.all(
            "SELECT evidence_id, copy_id, disposition, first_number, last_number, pages FROM production_document
              WHERE production_id = ?1 ORDER BY first_number",
            [&v.id],
            |r| {
                Ok(ProducedDocument {
                    evidence_id: r.get(0)?,
                    copy_id: r.get(1)?,
                    disposition: r.get(2)?,
                    first_number: r.get::<_, i64>(3)? as u64,
                    last_number: r.get::<_, i64>(4)? as u64,
                    pages: r.get(5)?,
                })
            },
        )?;
    }
    Ok(volumes)
}

/// Where the evidence `id` was produced, oldest first.
pub fn history(db: &Reader, id: &str) -> Result<Vec<ProductionEntry>> {
    db.all(
        "SELECT p.id, p.volume, p.prefix, p.digits, d.first_number, d.last_number, d.disposition, p.made_at
           FROM production_document d JOIN production p ON p.id = d.production_id
          WHERE d.evidence_id = ?1 ORDER BY p.made_at, p.volume",
        [id.trim()],
        |r| {
            let (prefix, digits): (String, u32) = (r.get(2)?, r.get(3)?);
            Ok(ProductionEntry {
                production_id: r.get(0)?,
                volume: r.get(1)?,
                first_bates: bates(&prefix, digits, r.get::<_, i64>(4)? as u64),
                last_bates: bates(&prefix, digits, r.get::<_, i64>(5)? as u64),
                disposition: r.get(6)?,
                when: registry::moment(&r.get::<_, String>(7)?),
                made_at: r.get(7)?,
            })
        },
    )
}

/// The Bates numbers page `page` of the file of the evidence `id` was stamped with, in every volume
/// it went into (as itself, or as the redacted copy produced in its original's place).
pub fn bates_of_page(db: &Reader, id: &str, page: u32) -> Result<Vec<String>> {
    db.all(
        "SELECT p.prefix, p.digits, d.first_number FROM production_document d JOIN production p ON p.id = d.production_id
          WHERE (d.copy_id = ?1 OR (d.evidence_id = ?1 AND d.copy_id IS NULL)) AND d.pages >= ?2
            AND d.disposition IN ('produced', 'redacted')
          ORDER BY p.made_at, p.volume",
        params![id, page],
        |r| {
            let (prefix, digits, first): (String, u32, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
            Ok(bates(&prefix, digits, first as u64 + u64::from(page) - 1))
        },
    )
}
