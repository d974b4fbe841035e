//! Cases: one dispute each, named by a slug (`twitter-v-microsoft`), with a status, a Markdown summary
//! and tags. Every other record except parties belongs to exactly one case.

use rusqlite::params;
use serde::{Deserialize, Serialize};
use sha2::Digest;
use unicode_script::{Script, UnicodeScript};

use crate::error::{Error, Result};
use crate::input;
use crate::store::registry::{self, Stamps};
use crate::store::{Reader, Store, Writer};
use crate::vocabulary::{CaseStatus, RecordKind, Spelling};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CaseInput {
    /// Left empty, the slug is made from the title.
    #[serde(default)]
    pub slug: String,
    pub title: String,
    /// Left empty, a new case is "open".
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Case {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub status: CaseStatus,
    pub summary: String,
    pub tags: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// A case's values, checked.
pub(crate) struct Fields {
    pub(crate) slug: String,
    title: String,
    status: CaseStatus,
    summary: String,
    tags: Vec<String>,
}

/// Makes a slug from a title: lower-case ASCII letters and digits joined by single dashes, the letters
/// of other alphabets spelled in ASCII (`deunicode`: "Société Générale" gives "societe-generale",
/// "Дело Газпром" gives "delo-gazprom"). Characters that cannot be spelled letter for letter
/// ([`spelled`]) are left out; the result may be empty.
pub fn slugify(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.script() == Script::Inherited {
            // A combining accent ("e" then U+0301) belongs to its letter, which is spelled without it.
            continue;
        }
        let ascii = if spelled(c) { deunicode::deunicode_char(c).unwrap_or("") } else { "" };
        let mut any = false;
        for a in ascii.chars().filter(char::is_ascii_alphanumeric) {
            out.push(a.to_ascii_lowercase());
            any = true;
        }
        if !any && !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').chars().take(80).collect::<String>().trim_end_matches('-').to_string()
}

/// Whether a character can be spelled in ASCII letter for letter: those of the alphabets whose
/// romanization needs no reading (Latin, Greek, Cyrillic, Armenian, Georgian), digits, and what
/// stands between words. Chinese characters are read differently in Chinese and Japanese, Arabic and
/// Hebrew leave out their vowels, and so on: a title in those gets [`fallback_slug`].
fn spelled(c: char) -> bool {
    !c.is_alphanumeric()
        || c.is_ascii_digit()
        || matches!(
            c.script(),
            Script::Latin | Script::Greek | Script::Cyrillic | Script::Armenian | Script::Georgian | Script::Common
        )
}

/// The slug made for a title the user gave no slug with: [`slugify`]'s when it spells the whole title,
/// else a short name that the same title always gives (`case-01a24d`, from a hash of the title), after
/// what could be spelled (`twitter-microsoft-01a24d`). Never empty: a title in any script makes one.
pub fn slug_for(title: &str) -> String {
    let spelled_out = slugify(title);
    let whole = title.chars().filter(|c| c.is_alphanumeric()).all(spelled);
    if whole && !spelled_out.is_empty() {
        return spelled_out;
    }
    let hash = sha2::Sha256::digest(title.as_bytes());
    let short: String = hash.iter().take(3).map(|b| format!("{b:02x}")).collect();
    let head = if spelled_out.is_empty() { "case" } else { spelled_out.get(..72).unwrap_or(&spelled_out) };
    format!("{}-{short}", head.trim_end_matches('-'))
}

impl Fields {
    pub(crate) fn check(input: &CaseInput, spelling: Spelling) -> Result<Fields> {
        let title = input::required("title", &input.title)?;
        let slug = match input.slug.trim() {
            "" if spelling == Spelling::Lenient => slug_for(&title),
            given => given.to_string(),
        };
        if slug.is_empty()
            || slug.len() > 80
            || !slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            || slug.starts_with('-')
        {
            return Err(Error::rule(
                "slug",
                "bad_slug",
                input::shorten(&slug),
                format!("'{}' must be 1 to 80 lower-case letters, digits and dashes", input::shorten(&slug)),
            ));
        }
        Ok(Fields {
            slug,
            title,
            status: input::one_of_or("status", &input.status, spelling, CaseStatus::Open)?,
            summary: input::text("summary", &input.summary)?,
            tags: input::list("tag", &input.tags)?,
        })
    }
}

fn validate(db: &Reader, input: &CaseInput, own_id: Option<&str>) -> Result<Fields> {
    let mut v = Fields::check(input, Spelling::Lenient)?;
    if input.slug.trim().is_empty() {
        // A slug made from the title is never refused: a taken one gets a number ("acme-v-widget-2").
        v.slug = free_slug(db, &v.slug, own_id)?;
    }
    let slug = &v.slug;
    if db.exists("SELECT 1 FROM record WHERE id = ?1", [slug])? {
        return Err(Error::rule(
            "slug",
            "slug_is_an_id",
            slug.clone(),
            format!("'{slug}' is the id of a record; choose another slug"),
        ));
    }
    if db.exists("SELECT 1 FROM case_file WHERE slug = ?1 AND id IS NOT ?2", params![slug, own_id])? {
        return Err(Error::Conflict(format!("a case with slug '{slug}' already exists")));
    }
    Ok(v)
}

/// `base`, or `base-2`, `base-3`… the first that no other case (nor any record's id) has.
fn free_slug(db: &Reader, base: &str, own_id: Option<&str>) -> Result<String> {
    for n in 1..10_000 {
        let slug = match n {
            1 => base.to_string(),
            n => {
                let suffix = format!("-{n}");
                let head = base.get(..80 - suffix.len()).unwrap_or(base).trim_end_matches('-');
                format!("{head}{suffix}")
            }
        };
        let taken = db.exists("SELECT 1 FROM record WHERE id = ?1", [&slug])?
            || db.exists("SELECT 1 FROM case_file WHERE slug = ?1 AND id IS NOT ?2", params![slug, own_id])?;
        if !taken {
            return Ok(slug);
        }
    }
    Err(Error::Conflict(format!("every slug from '{base}' to '{base}-9999' is taken: give one with --slug")))
}

/// Writes a new case row with its tags.
pub(crate) fn insert_row(w: &Writer<'_>, id: &str, v: &Fields, stamps: &Stamps) -> Result<()> {
    registry::register(w, RecordKind::Case, id, stamps)?;
    w.execute(
        "INSERT INTO case_file (id, slug, title, status, summary) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, v.slug, v.title, v.status, v.summary],
    )?;
    write_tags(w, id, &v.tags)
}

fn update_row(w: &Writer<'_>, id: &str, v: &Fields) -> Result<()> {
    w.execute(
        "UPDATE case_file SET slug = ?2, title = ?3, status = ?4, summary = ?5 WHERE id = ?1",
        params![id, v.slug, v.title, v.status, v.summary],
    )?;
    write_tags(w, id, &v.tags)?;
    registry::touch(w, id)
}

fn write_tags(w: &Writer<'_>, id: &str, tags: &[String]) -> Result<()> {
    w.execute("DELETE FROM case_tag WHERE case_id = ?1", [id])?;
    for tag in tags {
        w.execute("INSERT INTO case_tag (case_id, tag) VALUES (?1, ?2)", params![id, tag])?;
    }
    Ok(())
}

pub fn create(store: &mut Store, input: &CaseInput) -> Result<Case> {
    let v = validate(store.reader(), input, None)?;
    let id = registry::new_id();
    store.write("create case", Some(&id), input, |w| insert_row(w, &id, &v, &Stamps::now()))?;
    get(store.reader(), &id)
}

/// Creates the case `id` inside a write under way, checked as [`create`] checks it: for a write that
/// fills a new case whole (a generated one), which must name its case before the case exists.
pub(crate) fn create_in(w: &Writer<'_>, id: &str, input: &CaseInput) -> Result<()> {
    let v = validate(w, input, None)?;
    insert_row(w, id, &v, &Stamps::now())
}

pub fn update(store: &mut Store, key: &str, input: &CaseInput) -> Result<Case> {
    let id = resolve(store.reader(), key)?;
    let v = validate(store.reader(), input, Some(&id))?;
    store.write("update case", Some(&id), input, |w| update_row(w, &id, &v))?;
    get(store.reader(), &id)
}

/// Deletes an empty case. A case that still holds records is refused: close or archive it instead,
/// or delete its records first.
pub fn delete(store: &mut Store, key: &str) -> Result<()> {
    let case = get(store.reader(), key)?;
    let label = format!("case '{}'", case.slug);
    store.write("delete case", Some(&case.id), &case.slug, |w| {
        registry::delete_row(w, RecordKind::Case, &case.id, &label)
    })
}

/// Finds a case by slug or id.
pub fn resolve(db: &Reader, key: &str) -> Result<String> {
    let key = key.trim();
    if key.is_empty() {
        return Err(Error::required("case"));
    }
    // An id wins over a slug, so no slug can ever stand for another case's id.
    db.optional(
        "SELECT id FROM case_file WHERE id = ?1 UNION ALL SELECT id FROM case_file WHERE slug = ?1 LIMIT 1",
        [key],
        |r| r.get(0),
    )?
    .ok_or_else(|| Error::not_found("case", key))
}

/// The case with this slug, if any.
pub(crate) fn with_slug(db: &Reader, slug: &str) -> Result<Option<String>> {
    db.optional("SELECT id FROM case_file WHERE slug = ?1", [slug], |r| r.get(0))
}

pub fn get(db: &Reader, key: &str) -> Result<Case> {
    let id = resolve(db, key)?;
    let (slug, title, status, summary) =
        db.one("SELECT slug, title, status, summary FROM case_file WHERE id = ?1", [&id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
    let tags = db.strings("SELECT tag FROM case_tag WHERE case_id = ?1 ORDER BY tag", [&id])?;
    let Stamps { created_at, updated_at } = registry::stamps(db, &id)?;
    Ok(Case { id, slug, title, status, summary, tags, created_at, updated_at })
}

/// Every case, most recently changed first.
pub fn list(db: &Reader) -> Result<Vec<Case>> {
    db.strings("SELECT c.id FROM case_file c JOIN record r ON r.id = c.id ORDER BY r.updated_at DESC, c.slug", [])?
        .iter()
        .map(|id| get(db, id))
        .collect()
}

impl Case {
    pub fn to_input(&self) -> CaseInput {
        CaseInput {
            slug: self.slug.clone(),
            title: self.title.clone(),
            status: self.status.to_string(),
            summary: self.summary.clone(),
            tags: self.tags.clone(),
        }
    }
}
