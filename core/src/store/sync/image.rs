//! Records as they travel between the replicas of a space: their sync images, written into the tables
//! by UPSERT, and merged three ways when two members changed one record.
//!
//! A sync image is a record's [`Image`] without the surrogate row numbers of its status history and
//! attributions (`INTEGER PRIMARY KEY`s each replica numbers for itself), its rows in canonical order:
//! the same record gives the same text on every replica, so its SHA-256 names its state. Rows numbered
//! by a surrogate stay in the order of their numbers, which is part of the record (an allegation's
//! raising is the first row of its history), and every replica numbers them in that order again.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::store::conn::Writer;
use crate::store::images::{self, Image, OWNED};
use crate::store::registry;

/// The tables whose rows are numbered by a surrogate `INTEGER PRIMARY KEY` of their own, which each
/// replica assigns for itself. Other tables' `id` (a production's) is a name other rows refer to, and
/// travels.
const NUMBERED: &[&str] = &["allegation_status", "attribution"];

/// Whether rows of `table` are numbered by a surrogate `id` of their own.
fn surrogate(table: &str) -> bool {
    NUMBERED.contains(&table)
}

/// The record's image as it travels: surrogate ids out, rows in canonical order. The rows of a table
/// numbered by a surrogate keep the order of their numbers (an image already without them, its own
/// order): the code reads meaning into it (an allegation's raising is its lowest-numbered status
/// row, attributions are listed by number), and ordering them by text would put them back in another
/// order on each replica that takes the record in (model-based test, `team_model`).
pub fn of(image: &Image) -> Image {
    let mut tables = BTreeMap::new();
    for (table, rows) in &image.tables {
        let mut rows = rows.clone();
        if surrogate(table) {
            rows.sort_by_key(|r| r.get("id").and_then(Value::as_i64));
            for row in &mut rows {
                row.remove("id");
            }
        } else {
            rows.sort_by_cached_key(|r| Value::Object(r.clone()).to_string());
        }
        tables.insert(table.clone(), rows);
    }
    Image { kind: image.kind, tables }
}

/// SHA-256 of a sync image's text, in hex: the state of a record in the space.
pub fn hash(image: &Image) -> String {
    crate::store::crypt::hex(&Sha256::digest(image.text().as_bytes()))
}

/// The state of the record `id` here, as a sync image.
pub fn current(w: &Writer<'_>, id: &str) -> Result<Option<Image>> {
    Ok(images::current(w, id)?.map(|i| of(&i)))
}

/// Every record of this replica as the text of its sync image, by id: what every replica of a space
/// holds alike once they are in step (the tests' and the bench's measure of convergence).
pub fn every(db: &crate::store::Reader) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for id in db.strings("SELECT id FROM record ORDER BY id", [])? {
        if let Some(image) = images::current(db, &id)? {
            out.insert(id, of(&image).text());
        }
    }
    Ok(out)
}

/// Makes the tables hold the record `id` as `image` says (`None`: the record is deleted): its own row
/// and its `record` row by UPSERT, its other rows deleted and inserted again. Never `INSERT OR
/// REPLACE`, which deletes before inserting and so cascades: links of other evidence to the record
/// would go. References between records are checked at the end of the transaction.
pub fn put(w: &Writer<'_>, id: &str, image: Option<&Image>) -> Result<()> {
    w.execute_batch("PRAGMA defer_foreign_keys = ON;")?;
    let Some(image) = image else {
        let kind = w.optional("SELECT kind FROM record WHERE id = ?1", [id], |r| r.get(0))?;
        if let Some(kind) = kind {
            w.execute(&format!("DELETE FROM {} WHERE id = ?1", registry::table(kind)), [id])?;
        }
        return Ok(());
    };
    if let Some(other) = image.foreign(id) {
        return Err(Error::internal(format!("the image of {id} holds {other}")));
    }
    let main = registry::table(image.kind);
    for table in ["record", main] {
        let Some(row) = image.tables.get(table).and_then(|rows| rows.first()) else {
            return Err(Error::internal(format!("the image of {id} has no row in {table}")));
        };
        upsert(w, table, row)?;
    }
    for (table, owner, _) in images::tables_of(image.kind).filter(|(_, owner, _)| *owner != "id") {
        w.execute(&format!("DELETE FROM main.{table} WHERE {owner} = ?1"), [id])?;
        for row in image.tables.get(*table).into_iter().flatten() {
            insert(w, table, row, "")?;
        }
    }
    Ok(())
}

fn column_list(row: &Map<String, Value>) -> (String, String) {
    let names = row.keys().map(|c| format!("\"{}\"", c.replace('"', ""))).collect::<Vec<_>>().join(", ");
    let marks = (1..=row.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
    (names, marks)
}

fn insert(w: &Writer<'_>, table: &str, row: &Map<String, Value>, tail: &str) -> Result<()> {
    let (names, marks) = column_list(row);
    let values: Vec<rusqlite::types::Value> = row.values().map(images::sql_value).collect();
    w.execute(
        &format!("INSERT INTO main.{table} ({names}) VALUES ({marks}){tail}"),
        rusqlite::params_from_iter(values),
    )?;
    Ok(())
}

fn upsert(w: &Writer<'_>, table: &str, row: &Map<String, Value>) -> Result<()> {
    let set = row
        .keys()
        .filter(|c| c.as_str() != "id")
        .map(|c| {
            let c = c.replace('"', "");
            format!("\"{c}\" = excluded.\"{c}\"")
        })
        .collect::<Vec<_>>()
        .join(", ");
    let tail = if set.is_empty() {
        " ON CONFLICT(id) DO NOTHING".into()
    } else {
        format!(" ON CONFLICT(id) DO UPDATE SET {set}")
    };
    insert(w, table, row, &tail)
}

/// What a three-way merge of one record gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Merged {
    /// Both changes fit together: the record as it is to be (`None`: deleted).
    Clean(Option<Image>),
    /// They do not: what clashed, one item each ("letter.subject", "deleted on one side").
    Conflict(Vec<String>),
}

/// Merges my change and theirs of one record, both made from `base` (sync images; `None`: absent).
/// Columns of the record's own rows merge one by one; its other rows (tags, recipients, status
/// history) merge as sets: a row added on either side is kept, a row removed on either side goes. The
/// same column set to two values, or a change against a delete, is a conflict. The `updated_at` stamp
/// takes the later of the two.
pub fn merge(base: Option<&Image>, mine: Option<&Image>, theirs: Option<&Image>) -> Merged {
    merge_with(base, mine, theirs, false)
}

/// [`merge`]; `mine_wins`: where both changed one thing, mine is kept instead of a conflict.
fn merge_with(base: Option<&Image>, mine: Option<&Image>, theirs: Option<&Image>, mine_wins: bool) -> Merged {
    if mine == theirs || theirs == base {
        return Merged::Clean(mine.cloned());
    }
    if mine == base {
        return Merged::Clean(theirs.cloned());
    }
    let (Some(base), Some(mine), Some(theirs)) = (base, mine, theirs) else {
        if mine_wins {
            return Merged::Clean(mine.cloned());
        }
        let what =
            if mine.is_none() { "deleted here, changed by the team" } else { "changed here, deleted by the team" };
        return Merged::Conflict(vec![what.into()]);
    };
    let mut clashes = Vec::new();
    let mut tables = BTreeMap::new();
    let empty = Vec::new();
    let names: BTreeSet<&String> = mine.tables.keys().chain(theirs.tables.keys()).chain(base.tables.keys()).collect();
    for table in names {
        let (b, m, t) = (
            base.tables.get(table).unwrap_or(&empty),
            mine.tables.get(table).unwrap_or(&empty),
            theirs.tables.get(table).unwrap_or(&empty),
        );
        let own = OWNED.iter().any(|(name, owner, _)| name == table && *owner == "id");
        let rows = if own {
            match (b.first(), m.first(), t.first()) {
                (Some(b), Some(m), Some(t)) => vec![merge_row(table, b, m, t, &mut clashes)],
                _ if mine_wins => m.clone(),
                _ => {
                    clashes.push(format!("{table}: its row is missing on one side"));
                    continue;
                }
            }
        } else {
            merge_set(b, m, t, surrogate(table))
        };
        if !rows.is_empty() {
            tables.insert(table.clone(), rows);
        }
    }
    if clashes.is_empty() || mine_wins {
        Merged::Clean(Some(of(&Image { kind: mine.kind, tables })))
    } else {
        Merged::Conflict(clashes)
    }
}

fn merge_row(
    table: &str,
    base: &Map<String, Value>,
    mine: &Map<String, Value>,
    theirs: &Map<String, Value>,
    clashes: &mut Vec<String>,
) -> Map<String, Value> {
    let mut out = mine.clone();
    for (column, t) in theirs {
        let m = mine.get(column).unwrap_or(&Value::Null);
        let b = base.get(column).unwrap_or(&Value::Null);
        if m == t || t == b {
            continue;
        }
        if m == b {
            out.insert(column.clone(), t.clone());
        } else if table == "record" && column == "updated_at" {
            let later = if t.as_str() > m.as_str() { t } else { m };
            out.insert(column.clone(), later.clone());
        } else {
            clashes.push(format!("{table}.{column}"));
        }
    }
    out
}

/// `ordered`: the rows keep their order (see [`of`]): theirs first, as the space has them, then the
/// rows only mine adds, in my order.
fn merge_set(
    base: &[Map<String, Value>],
    mine: &[Map<String, Value>],
    theirs: &[Map<String, Value>],
    ordered: bool,
) -> Vec<Map<String, Value>> {
    let text = |r: &Map<String, Value>| Value::Object(r.clone()).to_string();
    let b: BTreeSet<String> = base.iter().map(text).collect();
    let t: BTreeSet<String> = theirs.iter().map(text).collect();
    let m: BTreeSet<String> = mine.iter().map(text).collect();
    let mut kept: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    let mut order = Vec::new();
    for row in theirs.iter().chain(mine) {
        let key = text(row);
        let keep = (m.contains(&key) && t.contains(&key)) || !b.contains(&key);
        if keep && kept.insert(key.clone(), row.clone()).is_none() {
            order.push(key);
        }
    }
    if ordered {
        order.into_iter().filter_map(|key| kept.remove(&key)).collect()
    } else {
        kept.into_values().collect()
    }
}

/// My version of a record for a conflict of it when another waits already, whose version of mine is
/// `earlier`: this change (`base` → `mine`) carried over that one. The earlier version holds a change
/// the space never took (the replica went back to the space's version), and the conflict written now
/// takes its place: without this, that change would be lost from everywhere (found by the model-based
/// test, `team_model`). Where both changed one thing, the later change is the one meant; everything
/// else either changed is kept.
pub fn carry_over(base: Option<&Image>, mine: Option<Image>, earlier: Option<&Image>) -> Option<Image> {
    match merge_with(base, mine.as_ref(), earlier, true) {
        Merged::Clean(carried) => carried,
        Merged::Conflict(_) => mine,
    }
}
