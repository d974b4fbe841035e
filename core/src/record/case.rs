//! Cases: one dispute each, named by a slug (`twitter-v-microsoft`), with a status, a Markdown summary
//! and tags. Every other record except parties belongs to exactly one case.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::input;
use crate::store::{self, Store};

pub const STATUSES: &[&str] = &["open", "in_litigation", "dormant", "settled", "closed"];

#[derive(Debug, Clone, Default, Serialize, Deserialize, ts_rs::TS)]
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

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Case {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub status: String,
    pub summary: String,
    pub tags: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
}

struct Valid {
    slug: String,
    title: String,
    status: &'static str,
    summary: String,
    tags: Vec<String>,
}

/// Makes a slug from a title: lower-case ASCII letters and digits joined by single dashes.
pub fn slugify(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(fold_accent) {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').chars().take(80).collect::<String>().trim_end_matches('-').to_string()
}

/// Drops the accents of the Latin letters French and other western languages use, so that
/// "Société Générale" gives "societe-generale".
fn fold_accent(c: char) -> Vec<char> {
    let plain = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
        'ç' | 'Ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        'œ' | 'Œ' => return vec!['o', 'e'],
        'æ' | 'Æ' => return vec!['a', 'e'],
        other => other,
    };
    vec![plain]
}

fn validate(conn: &Connection, input: &CaseInput, own_id: Option<&str>) -> Result<Valid> {
    let title = input::required("title", &input.title)?;
    let slug = if input.slug.trim().is_empty() { slugify(&title) } else { input.slug.trim().to_string() };
    if slug.is_empty()
        || slug.len() > 80
        || !slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        || slug.starts_with('-')
    {
        return Err(Error::invalid(
            "slug",
            format!("'{}' must be 1 to 80 lower-case letters, digits and dashes", input::shorten(&slug)),
        ));
    }
    let is_an_id: Option<String> =
        conn.query_row("SELECT id FROM record WHERE id = ?1", [&slug], |r| r.get(0)).optional()?;
    if is_an_id.is_some() {
        return Err(Error::invalid("slug", format!("'{slug}' is the id of a record; choose another slug")));
    }
    let taken: Option<String> = conn
        .query_row("SELECT id FROM case_file WHERE slug = ?1 AND id IS NOT ?2", params![slug, own_id], |r| r.get(0))
        .optional()?;
    if taken.is_some() {
        return Err(Error::Conflict(format!("a case with slug '{slug}' already exists")));
    }
    let status =
        if input.status.trim().is_empty() { "open" } else { input::one_of("status", &input.status, STATUSES)? };
    Ok(Valid {
        slug,
        title,
        status,
        summary: input::text("summary", &input.summary)?,
        tags: input::list("tag", &input.tags)?,
    })
}

fn write_tags(tx: &rusqlite::Connection, id: &str, tags: &[String]) -> Result<()> {
    tx.execute("DELETE FROM case_tag WHERE case_id = ?1", [id])?;
    for tag in tags {
        tx.execute("INSERT INTO case_tag (case_id, tag) VALUES (?1, ?2)", params![id, tag])?;
    }
    Ok(())
}

pub fn create(store: &mut Store, input: &CaseInput) -> Result<Case> {
    let v = validate(store.conn(), input, None)?;
    let id = store::new_id();
    store.write("create case", Some(&id), input, |tx| {
        store::register(tx, "case", &id)?;
        tx.execute(
            "INSERT INTO case_file (id, slug, title, status, summary) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, v.slug, v.title, v.status, v.summary],
        )?;
        write_tags(tx, &id, &v.tags)
    })?;
    get(store.conn(), &id)
}

pub fn update(store: &mut Store, key: &str, input: &CaseInput) -> Result<Case> {
    let id = resolve(store.conn(), key)?;
    let v = validate(store.conn(), input, Some(&id))?;
    store.write("update case", Some(&id), input, |tx| {
        tx.execute(
            "UPDATE case_file SET slug = ?2, title = ?3, status = ?4, summary = ?5 WHERE id = ?1",
            params![id, v.slug, v.title, v.status, v.summary],
        )?;
        write_tags(tx, &id, &v.tags)?;
        store::touch(tx, &id)
    })?;
    get(store.conn(), &id)
}

/// Deletes an empty case. A case that still holds records is refused: close or archive it instead,
/// or delete its records first.
pub fn delete(store: &mut Store, key: &str) -> Result<()> {
    let case = get(store.conn(), key)?;
    let label = format!("case '{}'", case.slug);
    store.write("delete case", Some(&case.id), &case.slug, |tx| {
        store::delete_row(tx, "case_file", "case", &case.id, &label)
    })
}

/// Finds a case by slug or id.
pub fn resolve(conn: &Connection, key: &str) -> Result<String> {
    let key = key.trim();
    if key.is_empty() {
        return Err(Error::invalid("case", "is required"));
    }
    // An id wins over a slug, so no slug can ever stand for another case's id.
    conn.query_row(
        "SELECT id FROM case_file WHERE id = ?1 UNION ALL SELECT id FROM case_file WHERE slug = ?1 LIMIT 1",
        [key],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| Error::not_found("case", key))
}

pub fn get(conn: &Connection, key: &str) -> Result<Case> {
    let id = resolve(conn, key)?;
    let (slug, title, status, summary) =
        conn.query_row("SELECT slug, title, status, summary FROM case_file WHERE id = ?1", [&id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
    let tags = conn
        .prepare_cached("SELECT tag FROM case_tag WHERE case_id = ?1 ORDER BY tag")?
        .query_map([&id], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    let (created_at, updated_at) = store::stamps(conn, &id)?;
    Ok(Case { id, slug, title, status, summary, tags, created_at, updated_at })
}

/// Every case, most recently changed first.
pub fn list(conn: &Connection) -> Result<Vec<Case>> {
    let ids = conn
        .prepare("SELECT c.id FROM case_file c JOIN record r ON r.id = c.id ORDER BY r.updated_at DESC, c.slug")?
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    ids.iter().map(|id| get(conn, id)).collect()
}

impl Case {
    pub fn to_input(&self) -> CaseInput {
        CaseInput {
            slug: self.slug.clone(),
            title: self.title.clone(),
            status: self.status.clone(),
            summary: self.summary.clone(),
            tags: self.tags.clone(),
        }
    }
}
