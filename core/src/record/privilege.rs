//! Privileged records: counsel's advice, what was prepared for litigation, a French lawyer's
//! correspondence under professional secrecy. A privileged record stays in the record and in the
//! reports made for the people working the case; it is never published, and the case's privilege
//! log lists it (its date, author, recipients, type, the basis of the privilege and a description
//! that does not reveal what it says) so that it can be withheld from the other side openly.
//! Any record of a case but the case itself can be privileged; a party cannot (it is not a
//! communication).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::date::{FuzzyDate, Lang};
use crate::error::{Error, Result};
use crate::input;
use crate::record::{case, letter};
use crate::store::registry;
use crate::store::{Reader, Store, Writer};
use crate::vocabulary::{PrivilegeBasis, RecordKind, Spelling};

/// What marks a record privileged.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PrivilegeInput {
    /// `legal_advice`, `litigation`, `work_product`, `professional_secrecy` or `other`.
    pub basis: String,
    /// What the privilege log says of it, without revealing its content ("Legal advice on the API
    /// licence"); required for `other`.
    #[serde(default)]
    pub description: String,
}

/// A record's privilege, as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Privilege {
    pub basis: PrivilegeBasis,
    pub description: String,
}

/// The checked values of a [`PrivilegeInput`] (also a bundle's, on import).
pub(crate) fn checked(input: &PrivilegeInput) -> Result<Privilege> {
    let basis: PrivilegeBasis = input::one_of("basis", &input.basis, Spelling::Lenient)?;
    let description = input::line("description", &input.description)?;
    if basis == PrivilegeBasis::Other && description.is_empty() {
        return Err(Error::rule(
            "description",
            "other_needs_description",
            None,
            "a privilege on another basis says what it is in the description",
        ));
    }
    Ok(Privilege { basis, description })
}

/// Marks the record `id` privileged with `input`, or no longer privileged with `None`; returns its
/// kind. Setting what is already set writes nothing.
pub fn set(store: &mut Store, id: &str, input: Option<&PrivilegeInput>) -> Result<RecordKind> {
    let id = id.trim();
    let kind = registry::kind_of(store.reader(), id)?.ok_or_else(|| Error::not_found("record", id))?;
    if matches!(kind, RecordKind::Case | RecordKind::Party) {
        return Err(Error::rule(
            "privilege",
            "not_privileged_kind",
            id.to_string(),
            format!("a {kind} cannot be privileged: mark the letters, documents or other records in it"),
        ));
    }
    let wanted = input.map(checked).transpose()?;
    if get(store.reader(), id)? == wanted {
        return Ok(kind);
    }
    let action = if wanted.is_some() { "mark privileged" } else { "clear privilege" };
    store.write(action, Some(id), &input, |w| {
        write(w, id, wanted.as_ref())?;
        registry::touch(w, id)
    })?;
    Ok(kind)
}

/// Writes a record's privilege (for [`set`] and the JSON bundle's import).
pub(crate) fn write(w: &Writer<'_>, id: &str, privilege: Option<&Privilege>) -> Result<()> {
    match privilege {
        Some(p) => w.execute(
            "INSERT INTO record_privilege (record_id, basis, description) VALUES (?1, ?2, ?3)
             ON CONFLICT (record_id) DO UPDATE SET basis = excluded.basis, description = excluded.description",
            rusqlite::params![id, p.basis, p.description],
        )?,
        None => w.execute("DELETE FROM record_privilege WHERE record_id = ?1", [id])?,
    };
    Ok(())
}

/// A record's privilege, if it is privileged.
pub fn get(db: &Reader, id: &str) -> Result<Option<Privilege>> {
    db.optional("SELECT basis, description FROM record_privilege WHERE record_id = ?1", [id.trim()], |r| {
        Ok(Privilege { basis: r.get(0)?, description: r.get(1)? })
    })
}

/// Every privileged record, by id.
pub fn privileged_ids(db: &Reader) -> Result<HashSet<String>> {
    Ok(db.strings("SELECT record_id FROM record_privilege", [])?.into_iter().collect())
}

/// One line of a privilege log: what is withheld, described without its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Logged {
    /// The record's id (a production's Bates number, once produced).
    pub id: String,
    /// Its date as recorded (`~2023-04`) and in words.
    pub date: String,
    pub date_words: String,
    /// Who wrote or sent it: a letter's sender (and who signed), an attachment's letter's.
    pub author: String,
    /// To whom: a letter's To and Cc, an attachment's letter's.
    pub recipients: String,
    /// What it is: a letter's channel ("e-mail"), else the kind of record.
    pub kind: String,
    pub basis: PrivilegeBasis,
    pub description: String,
}

/// The privilege log of a case, in `lang`: every privileged record of it, in date order (undated
/// last), then by id.
pub fn log(db: &Reader, case_key: &str, lang: Lang) -> Result<Vec<Logged>> {
    let case_id = case::resolve(db, case_key)?;
    let mut rows = Vec::new();
    for (id, basis, description) in
        db.all("SELECT record_id, basis, description FROM record_privilege ORDER BY record_id", [], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, PrivilegeBasis>(1)?, r.get::<_, String>(2)?))
        })?
    {
        let Some(kind) = registry::kind_of(db, &id)? else { continue };
        if registry::case_of(db, kind, &id)?.as_deref() != Some(case_id.as_str()) {
            continue;
        }
        rows.push(logged(db, &id, kind, basis, description, lang)?);
    }
    let sort = |l: &Logged| FuzzyDate::parse(&l.date).ok().and_then(|d| d.lower());
    rows.sort_by(|a, b| match (sort(a), sort(b)) {
        (Some(x), Some(y)) => x.cmp(&y).then_with(|| a.id.cmp(&b.id)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.id.cmp(&b.id),
    });
    Ok(rows)
}

fn logged(
    db: &Reader,
    id: &str,
    kind: RecordKind,
    basis: PrivilegeBasis,
    description: String,
    lang: Lang,
) -> Result<Logged> {
    // A letter says who wrote to whom; a document attached to one (linked to it), the same.
    let correspondence = match kind {
        RecordKind::Letter => Some(id.to_string()),
        RecordKind::Evidence => db.optional(
            "SELECT l.record_id FROM evidence_link l JOIN record r ON r.id = l.record_id
              WHERE l.evidence_id = ?1 AND r.kind = 'letter' ORDER BY l.record_id LIMIT 1",
            [id],
            |r| r.get(0),
        )?,
        _ => None,
    };
    let mut out = Logged {
        id: id.to_string(),
        date: String::new(),
        date_words: String::new(),
        author: String::new(),
        recipients: String::new(),
        kind: kind.word(lang).to_string(),
        basis,
        description,
    };
    if let Some(letter_id) = correspondence {
        let l = letter::get(db, &letter_id)?;
        out.author = match &l.sender_person {
            Some(p) => format!("{} ({})", p.name, l.sender.name),
            None => l.sender.name.clone(),
        };
        let cc = l.cc.iter().map(|p| format!("{} (cc)", p.name));
        out.recipients = l.to.iter().map(|p| p.name.clone()).chain(cc).collect::<Vec<_>>().join("; ");
        if kind == RecordKind::Letter {
            out.kind = l.channel.word(lang).to_string();
            out.date = l.date;
        }
    }
    if out.date.is_empty() {
        out.date = db
            .optional(
                "SELECT date FROM timeline_row WHERE record_id = ?1 ORDER BY sort, rank, position LIMIT 1",
                [id],
                |r| r.get(0),
            )?
            .unwrap_or_default();
    }
    out.date_words = FuzzyDate::parse(&out.date).map(|d| d.display(lang)).unwrap_or_default();
    Ok(out)
}
