//! Images of records: every row a record owns, in every table, as canonical JSON. The change log keeps
//! each write's after-image of every record it changed (and the before-image of one it deleted), so
//! `check` can rebuild each record from the log and compare it with the tables, `history` can show what
//! each write changed, and a case can be rebuilt as it stood at any past moment.
//!
//! Which records a write changed is not declared by the code that writes: temporary triggers, made on
//! each connection the core opens, note the owner of every row inserted, changed or deleted in any
//! record table (a cascade included) into `temp.touched`. A tool that writes to the file directly has no
//! such triggers, and leaves no image: which is what `check` then finds.

use std::collections::BTreeMap;

use rusqlite::types::ValueRef;
use rusqlite::Connection;
use serde_json::{Map, Value};

use super::conn::Reader;
use crate::error::{Error, Result};
use crate::vocabulary::RecordKind;

/// Every table that holds rows of records, with the column naming the record that owns each row and,
/// for a table only one kind of record owns rows in, that kind (`None`: rows of any kind of record).
pub const OWNED: &[(&str, &str, Option<RecordKind>)] = &[
    ("record", "id", None),
    ("case_file", "id", Some(RecordKind::Case)),
    ("case_tag", "case_id", Some(RecordKind::Case)),
    ("case_party", "case_id", Some(RecordKind::Case)),
    ("party", "id", Some(RecordKind::Party)),
    ("party_alias", "party_id", Some(RecordKind::Party)),
    ("affiliation", "person_id", Some(RecordKind::Party)),
    ("agreement", "id", Some(RecordKind::Agreement)),
    ("agreement_party", "agreement_id", Some(RecordKind::Agreement)),
    ("clause", "id", Some(RecordKind::Clause)),
    ("letter", "id", Some(RecordKind::Letter)),
    ("letter_recipient", "letter_id", Some(RecordKind::Letter)),
    ("letter_address", "letter_id", Some(RecordKind::Letter)),
    ("event", "id", Some(RecordKind::Event)),
    ("event_party", "event_id", Some(RecordKind::Event)),
    ("allegation", "id", Some(RecordKind::Allegation)),
    ("allegation_clause", "allegation_id", Some(RecordKind::Allegation)),
    ("allegation_status", "allegation_id", Some(RecordKind::Allegation)),
    ("response", "id", Some(RecordKind::Response)),
    ("response_allegation", "response_id", Some(RecordKind::Response)),
    ("evidence", "id", Some(RecordKind::Evidence)),
    ("evidence_link", "evidence_id", Some(RecordKind::Evidence)),
    ("link_quote", "evidence_id", Some(RecordKind::Evidence)),
    ("evidence_capture", "evidence_id", Some(RecordKind::Evidence)),
    ("attribution", "record_id", None),
    ("record_tag", "record_id", None),
    ("record_private", "record_id", None),
    ("record_privilege", "record_id", None),
    ("redaction", "evidence_id", Some(RecordKind::Evidence)),
    ("redaction_box", "evidence_id", Some(RecordKind::Evidence)),
    ("production", "case_id", Some(RecordKind::Case)),
    ("production_document", "evidence_id", Some(RecordKind::Evidence)),
];

/// Makes the connection note, in `temp.touched`, the owner of every row written to a record table.
pub(super) fn watch(conn: &Connection) -> Result<()> {
    let mut sql = String::from("CREATE TEMP TABLE IF NOT EXISTS touched (id TEXT PRIMARY KEY) WITHOUT ROWID;\n");
    for (table, owner, _) in OWNED {
        for (event, rows) in [("INSERT", &["NEW"][..]), ("UPDATE", &["NEW", "OLD"][..]), ("DELETE", &["OLD"][..])] {
            let inserts: String =
                // Not `INSERT OR IGNORE`: a statement's own conflict clause (`INSERT OR REPLACE`) would
                // override the trigger's.
                rows.iter()
                    .map(|r| {
                        format!(
                            "INSERT INTO touched SELECT {r}.{owner} WHERE NOT EXISTS (SELECT 1 FROM touched WHERE id = {r}.{owner}); "
                        )
                    })
                    .collect();
            sql.push_str(&format!(
                "CREATE TEMP TRIGGER IF NOT EXISTS touched_{table}_{event} AFTER {event} ON main.{table} BEGIN {inserts}END;\n"
            ));
        }
    }
    conn.execute_batch(&sql)?;
    Ok(())
}

/// The records whose rows the current write changed, in id order.
pub(super) fn touched(db: &Reader) -> Result<Vec<String>> {
    db.strings("SELECT id FROM temp.touched ORDER BY id", [])
}

/// A record's image: its kind, and for each table it has rows in, those rows (column → value), in a
/// fixed order. Its JSON text is canonical: the same rows always give the same text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub kind: RecordKind,
    pub tables: BTreeMap<String, Vec<Map<String, Value>>>,
}

impl Image {
    pub fn to_json(&self) -> Value {
        serde_json::json!({ "kind": self.kind, "tables": self.tables })
    }

    pub fn from_json(value: &Value) -> Result<Image> {
        let bad = || Error::internal("a change-log image is not in the image format");
        let kind: RecordKind =
            serde_json::from_value(value.get("kind").cloned().ok_or_else(bad)?).map_err(|_| bad())?;
        let tables = serde_json::from_value(value.get("tables").cloned().ok_or_else(bad)?).map_err(|_| bad())?;
        Ok(Image { kind, tables })
    }

    /// The image's canonical text.
    pub fn text(&self) -> String {
        self.to_json().to_string()
    }

    /// What makes this image more than the record `id`'s own: a table a record of its kind has no rows
    /// in, or a row that another record owns. `None` when every row is the record's.
    pub fn foreign(&self, id: &str) -> Option<String> {
        for (table, rows) in &self.tables {
            let Some((_, owner, _)) = tables_of(self.kind).find(|(t, _, _)| t == table) else {
                return Some(format!("rows of {table}, which a {} has none in", self.kind));
            };
            if let Some(row) = rows.iter().find(|r| r.get(*owner).and_then(Value::as_str) != Some(id)) {
                let other = row.get(*owner).map(Value::to_string).unwrap_or_else(|| "no record".into());
                return Some(format!("a row of {table} that belongs to {other}"));
            }
        }
        None
    }

    /// One value of the record's own row (`record` aside): its title, its case.
    pub fn field(&self, column: &str) -> Option<&Value> {
        let main = OWNED.iter().find(|(_, o, k)| *o == "id" && *k == Some(self.kind)).map(|(t, _, _)| *t)?;
        self.tables.get(main)?.first()?.get(column)
    }
}

/// The tables rows of a record of `kind` can be in.
pub(crate) fn tables_of(
    kind: RecordKind,
) -> impl Iterator<Item = &'static (&'static str, &'static str, Option<RecordKind>)> {
    OWNED.iter().filter(move |(_, _, k)| k.is_none() || *k == Some(kind))
}

fn value(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => Value::from(f),
        ValueRef::Text(t) => Value::from(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::from(b.iter().map(|x| format!("{x:02x}")).collect::<String>()),
    }
}

/// The image of the record `id` as the tables hold it now; `None` when it is not there.
pub fn current(db: &Reader, id: &str) -> Result<Option<Image>> {
    let Some(kind) = db.optional("SELECT kind FROM record WHERE id = ?1", [id], |r| r.get::<_, RecordKind>(0))? else {
        return Ok(None);
    };
    let mut tables = BTreeMap::new();
    for (table, owner, _) in tables_of(kind) {
        let mut rows: Vec<(String, Map<String, Value>)> = Vec::new();
        db.each(&format!("SELECT * FROM main.{table} WHERE {owner} = ?1"), [id], |row| {
            let mut map = Map::new();
            let names = row.as_ref().column_names();
            for (i, name) in names.iter().enumerate() {
                map.insert(name.to_string(), value(row.get_ref(i)?));
            }
            rows.push((Value::Object(map.clone()).to_string(), map));
            Ok(())
        })?;
        if !rows.is_empty() {
            rows.sort_by(|a, b| a.0.cmp(&b.0));
            tables.insert(table.to_string(), rows.into_iter().map(|(_, m)| m).collect());
        }
    }
    Ok(Some(Image { kind, tables }))
}

/// Writes the rows of `images` into the connection's tables as they are. Only for an in-memory
/// replica ([`super::Store::replica`]), never for the record: its foreign keys are off while the rows
/// go in, in no particular order.
pub(super) fn load(conn: &Connection, images: &[Image]) -> Result<()> {
    conn.execute_batch("PRAGMA foreign_keys = OFF;")?;
    for image in images {
        for (table, rows) in &image.tables {
            if !OWNED.iter().any(|(t, _, _)| t == table) {
                return Err(Error::internal(format!("an image names the table '{table}', which holds no records")));
            }
            for row in rows {
                let columns: Vec<&String> = row.keys().collect();
                let names =
                    columns.iter().map(|c| format!("\"{}\"", c.replace('"', ""))).collect::<Vec<_>>().join(", ");
                let marks = (1..=columns.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
                let values: Vec<rusqlite::types::Value> = row.values().map(sql_value).collect();
                conn.execute(
                    &format!("INSERT OR REPLACE INTO main.{table} ({names}) VALUES ({marks})"),
                    rusqlite::params_from_iter(values),
                )?;
            }
        }
    }
    conn.execute_batch("PRAGMA foreign_keys = ON;")?;
    Ok(())
}

pub(crate) fn sql_value(v: &Value) -> rusqlite::types::Value {
    use rusqlite::types::Value as Sql;
    match v {
        Value::Null => Sql::Null,
        Value::Bool(b) => Sql::Integer(i64::from(*b)),
        Value::Number(n) => n.as_i64().map(Sql::Integer).unwrap_or_else(|| Sql::Real(n.as_f64().unwrap_or_default())),
        Value::String(s) => Sql::Text(s.clone()),
        other => Sql::Text(other.to_string()),
    }
}

/// What differs between two images of one record, one line each ("table letter, column subject:
/// 'A' → 'B'"; "table record_tag: a row removed: …").
pub fn differences(before: &Image, after: &Image) -> Vec<String> {
    let mut out = Vec::new();
    let names: std::collections::BTreeSet<&String> = before.tables.keys().chain(after.tables.keys()).collect();
    let empty = Vec::new();
    for table in names {
        let (old, new) = (before.tables.get(table).unwrap_or(&empty), after.tables.get(table).unwrap_or(&empty));
        // A surrogate row number (attributions, status history) changes when rows are written again;
        // it says nothing of the record.
        let surrogate = OWNED.iter().any(|(t, owner, _)| t == table && *owner != "id");
        if old.len() == 1 && new.len() == 1 {
            for (column, was) in old[0].iter().filter(|(c, _)| !(surrogate && c.as_str() == "id")) {
                let now = new[0].get(column).unwrap_or(&Value::Null);
                if was != now {
                    out.push(format!("table {table}, column {column}: {} → {}", shown(was), shown(now)));
                }
            }
            continue;
        }
        let same = |a: &Map<String, Value>, b: &Map<String, Value>| {
            a.iter().filter(|(c, _)| !(surrogate && c.as_str() == "id")).all(|(c, v)| b.get(c) == Some(v))
        };
        for row in old.iter().filter(|r| !new.iter().any(|n| same(r, n))) {
            out.push(format!("table {table}: a row removed: {}", row_text(table, row)));
        }
        for row in new.iter().filter(|r| !old.iter().any(|o| same(r, o))) {
            out.push(format!("table {table}: a row added: {}", row_text(table, row)));
        }
    }
    out
}

/// A row for a one-line message: its values but the owning record's id (`tag='fees'`).
fn row_text(table: &str, row: &Map<String, Value>) -> String {
    let owner = OWNED.iter().find(|(t, _, _)| *t == table).map(|(_, o, _)| *o).unwrap_or("");
    let surrogate = owner != "id";
    let parts: Vec<String> = row
        .iter()
        .filter(|(c, _)| c.as_str() != owner && !(surrogate && c.as_str() == "id"))
        .map(|(c, v)| format!("{c}={}", shown(v)))
        .collect();
    parts.join(", ")
}

/// A value for a one-line message: text quoted and cut, other values as JSON.
fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => format!("'{}'", crate::input::shorten(&s.replace('\n', " "))),
        other => crate::input::shorten(&other.to_string()),
    }
}
