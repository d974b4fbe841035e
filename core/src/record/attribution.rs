//! Attribution and tags, the two things any allegation, event or response can carry. Attribution says
//! who asserts a statement and which source reports it ("Twitter alleges…, reported by the New York
//! Times"), with a certainty, so a journalist never presents a claim as fact. Tags are free labels used to
//! filter the timeline.

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::input;
use crate::record::party;

pub const CERTAINTIES: &[&str] = &["confirmed", "reported", "alleged", "rumoured"];

#[derive(Debug, Clone, Default, Serialize, Deserialize, ts_rs::TS)]
pub struct AttributionInput {
    /// Party key (id, name or alias) of who asserts it; may be empty when only the source is known.
    #[serde(default)]
    pub asserted_by: String,
    /// Party key of the source that reports it (a newspaper, an agency).
    #[serde(default)]
    pub reported_by: String,
    /// How it was reported: "first reported the letter", "statement to Reuters".
    #[serde(default)]
    pub how: String,
    pub certainty: String,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Attribution {
    pub asserted_by_id: Option<String>,
    pub asserted_by: Option<String>,
    pub reported_by_id: Option<String>,
    pub reported_by: Option<String>,
    pub how: String,
    pub certainty: String,
}

pub(crate) struct Valid {
    asserted_by: Option<String>,
    reported_by: Option<String>,
    how: String,
    certainty: &'static str,
}

fn optional_party(conn: &Connection, key: &str) -> Result<Option<String>> {
    if key.trim().is_empty() {
        Ok(None)
    } else {
        party::resolve(conn, key).map(Some)
    }
}

pub(crate) fn validate(conn: &Connection, inputs: &[AttributionInput]) -> Result<Vec<Valid>> {
    inputs
        .iter()
        .map(|a| {
            let asserted_by = optional_party(conn, &a.asserted_by)?;
            let reported_by = optional_party(conn, &a.reported_by)?;
            if asserted_by.is_none() && reported_by.is_none() {
                return Err(Error::invalid("attribution", "needs who asserts it or who reports it"));
            }
            Ok(Valid {
                asserted_by,
                reported_by,
                how: input::line("attribution", &a.how)?,
                certainty: input::one_of("certainty", &a.certainty, CERTAINTIES)?,
            })
        })
        .collect()
}

pub(crate) fn write(tx: &Connection, record_id: &str, valid: &[Valid]) -> Result<()> {
    tx.execute("DELETE FROM attribution WHERE record_id = ?1", [record_id])?;
    for a in valid {
        tx.execute(
            "INSERT INTO attribution (record_id, asserted_by, reported_by, how, certainty) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![record_id, a.asserted_by, a.reported_by, a.how, a.certainty],
        )?;
    }
    Ok(())
}

pub fn get(conn: &Connection, record_id: &str) -> Result<Vec<Attribution>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.asserted_by, pa.name, a.reported_by, pr.name, a.how, a.certainty
           FROM attribution a LEFT JOIN party pa ON pa.id = a.asserted_by LEFT JOIN party pr ON pr.id = a.reported_by
          WHERE a.record_id = ?1 ORDER BY a.id",
    )?;
    let rows = stmt
        .query_map([record_id], |r| {
            Ok(Attribution {
                asserted_by_id: r.get(0)?,
                asserted_by: r.get(1)?,
                reported_by_id: r.get(2)?,
                reported_by: r.get(3)?,
                how: r.get(4)?,
                certainty: r.get(5)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

impl Attribution {
    pub fn to_input(&self) -> AttributionInput {
        AttributionInput {
            asserted_by: self.asserted_by_id.clone().unwrap_or_default(),
            reported_by: self.reported_by_id.clone().unwrap_or_default(),
            how: self.how.clone(),
            certainty: self.certainty.clone(),
        }
    }

    /// One line a reader can quote: "Twitter (alleged), reported by The New York Times — first reported the letter".
    pub fn describe(&self) -> String {
        let mut s = match (&self.asserted_by, &self.reported_by) {
            (Some(a), Some(r)) => format!("{a} ({}), reported by {r}", self.certainty),
            (Some(a), None) => format!("{a} ({})", self.certainty),
            (None, Some(r)) => format!("reported by {r} ({})", self.certainty),
            (None, None) => self.certainty.clone(),
        };
        if !self.how.is_empty() {
            s.push_str(" — ");
            s.push_str(&self.how);
        }
        s
    }
}

pub(crate) fn validate_tags(tags: &[String]) -> Result<Vec<String>> {
    input::list("tag", tags)
}

pub(crate) fn write_tags(tx: &Connection, record_id: &str, tags: &[String]) -> Result<()> {
    tx.execute("DELETE FROM record_tag WHERE record_id = ?1", [record_id])?;
    for tag in tags {
        tx.execute("INSERT INTO record_tag (record_id, tag) VALUES (?1, ?2)", params![record_id, tag])?;
    }
    Ok(())
}

pub fn tags(conn: &Connection, record_id: &str) -> Result<Vec<String>> {
    let rows = conn
        .prepare_cached("SELECT tag FROM record_tag WHERE record_id = ?1 ORDER BY tag")?
        .query_map([record_id], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(rows)
}
