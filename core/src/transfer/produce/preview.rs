//! What the app's Produce… and Hearing bundle… dialogs show before anything is made: the numbering
//! the next volume would get and what its selection takes (how many documents, withheld as
//! privileged, produced from a redacted copy, kept as native files), and the case's documents to
//! choose from, each saying whether it is privileged or has a redacted copy.

use serde::Serialize;

use super::select::{self, Chosen};
use super::{numbering, ProduceInput};
use crate::error::Result;
use crate::record::{case, Listed};
use crate::store::Store;
use crate::view::linkable::{fold, MAX_PAGE};

/// The volume a production would make, without making it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProducePreview {
    /// `VOL002`.
    pub volume: String,
    /// The Bates number of its first page (`ACME000038`).
    pub first_bates: String,
    /// How many documents the selection takes (0 when it takes none).
    pub documents: u32,
    /// Of those, how many are privileged: each withheld behind a slip sheet.
    pub withheld: u32,
    /// How many go as their redacted copy.
    pub redacted: u32,
    /// How many are not PDFs: a slip sheet, the file kept beside it.
    pub native: u32,
}

/// A document of a case, as the dialogs offer it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CaseDocument {
    pub id: String,
    pub title: String,
    /// Its date as recorded, if any.
    pub date: Option<String>,
    /// Withheld from a production, left out of a hearing bundle.
    pub privileged: bool,
    /// A redacted copy of it exists, and goes in its place.
    pub redacted: bool,
}

/// The numbering and the counts of the production `input` asks for. A selection that takes no
/// document previews as none; a wrong prefix, padding or date is refused as `produce` refuses it.
pub fn preview(store: &Store, input: &ProduceInput) -> Result<ProducePreview> {
    let (volume, first_bates) = numbering(store, input)?;
    let db = store.reader();
    let case_id = case::resolve(db, &input.case)?;
    let chosen = match select::choose(db, &case_id, &input.selection) {
        Ok(chosen) => chosen,
        Err(e) if e.key().is_some_and(|(key, _)| key == "nothing_chosen") => Vec::new(),
        Err(e) => return Err(e),
    };
    let count = |keep: &dyn Fn(&Chosen) -> bool| chosen.iter().filter(|c| keep(c)).count() as u32;
    Ok(ProducePreview {
        volume,
        first_bates,
        documents: chosen.len() as u32,
        withheld: count(&|c| c.privilege.is_some()),
        redacted: count(&|c| c.privilege.is_none() && c.copy.is_some()),
        native: count(&|c| c.privilege.is_none() && c.produced().media_type.as_deref() != Some("application/pdf")),
    })
}

/// The page of `limit` documents of the case from `offset` whose title holds `text` (case and accents
/// ignored; all when blank), in the order a selection takes them (by date, undated last), with how
/// many match in all. Redacted copies are not listed: each stands behind its original.
pub fn documents(store: &Store, case: &str, text: &str, offset: usize, limit: usize) -> Result<Listed<CaseDocument>> {
    let db = store.reader();
    let case_id = case::resolve(db, case)?;
    let all = db.all(
        "SELECT e.id, e.title, e.date,
                EXISTS (SELECT 1 FROM record_privilege p WHERE p.record_id = e.id),
                EXISTS (SELECT 1 FROM redaction r WHERE r.original_id = e.id)
           FROM evidence e
          WHERE e.case_id = ?1 AND e.sha256 IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM redaction r WHERE r.evidence_id = e.id)
          ORDER BY e.date_sort IS NULL, e.date_sort, e.title, e.id",
        [&case_id],
        |r| {
            Ok(CaseDocument {
                id: r.get(0)?,
                title: r.get(1)?,
                date: r.get(2)?,
                privileged: r.get(3)?,
                redacted: r.get(4)?,
            })
        },
    )?;
    let wanted = fold(text.trim());
    let matching: Vec<CaseDocument> = all.into_iter().filter(|d| fold(&d.title).contains(&wanted)).collect();
    let total = matching.len();
    let items = matching.into_iter().skip(offset).take(limit.clamp(1, MAX_PAGE)).collect();
    Ok(Listed { total, offset, items })
}
