//! Attribution and tags, the two things any allegation, event or response can carry. Attribution says
//! who asserts a statement and which source reports it ("Twitter alleges…, reported by the New York
//! Times"), with a certainty, so a journalist never presents a claim as fact. Tags are free labels used to
//! filter the timeline.

use std::collections::HashMap;

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::date::Lang;
use crate::error::{Error, Result};
use crate::input;
use crate::record::party;
use crate::store::{Reader, Writer};
use crate::vocabulary::{Certainty, Spelling};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Attribution {
    pub asserted_by_id: Option<String>,
    pub asserted_by: Option<String>,
    pub reported_by_id: Option<String>,
    pub reported_by: Option<String>,
    pub how: String,
    pub certainty: Certainty,
    /// The attribution worded in English and in French, so that the app says what the reports and the
    /// CLI say (`describe`); the app only lays the pieces out.
    pub en: Worded,
    pub fr: Worded,
}

/// An attribution in words, cut around its certainty so that a screen can set that word apart:
/// `before + certainty + after` is the whole line, "Twitter (" + "alleged" + "), reported by …".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Worded {
    pub before: String,
    pub certainty: String,
    pub after: String,
}

/// One attribution, checked, with the ids of who asserts and who reports it.
pub(crate) struct Valid {
    asserted_by: Option<String>,
    reported_by: Option<String>,
    how: String,
    certainty: Certainty,
}

/// Checks attributions, turning their party keys into ids with `party` (a database lookup, or the
/// bundle's own mapping).
pub(crate) fn check(
    inputs: &[AttributionInput],
    spelling: Spelling,
    mut party: impl FnMut(&str) -> Result<String>,
) -> Result<Vec<Valid>> {
    let mut optional = |key: &str| if key.trim().is_empty() { Ok(None) } else { party(key).map(Some) };
    inputs
        .iter()
        .map(|a| {
            if a.asserted_by.trim().is_empty() && a.reported_by.trim().is_empty() {
                return Err(Error::rule(
                    "attribution",
                    "attribution_without_party",
                    None,
                    "needs who asserts it or who reports it",
                ));
            }
            let how = input::line("attribution", &a.how)?;
            let certainty = input::one_of("certainty", &a.certainty, spelling)?;
            Ok(Valid { asserted_by: optional(&a.asserted_by)?, reported_by: optional(&a.reported_by)?, how, certainty })
        })
        .collect()
}

/// Checks attributions typed by a person, resolving party keys in the database.
pub(crate) fn validate(db: &Reader, inputs: &[AttributionInput]) -> Result<Vec<Valid>> {
    check(inputs, Spelling::Lenient, |key| party::resolve(db, key))
}

/// Replaces the attributions of a record.
pub(crate) fn write(w: &Writer<'_>, record_id: &str, valid: &[Valid]) -> Result<()> {
    w.execute("DELETE FROM attribution WHERE record_id = ?1", [record_id])?;
    for a in valid {
        w.execute(
            "INSERT INTO attribution (record_id, asserted_by, reported_by, how, certainty) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![record_id, a.asserted_by, a.reported_by, a.how, a.certainty],
        )?;
    }
    Ok(())
}

pub fn get(db: &Reader, record_id: &str) -> Result<Vec<Attribution>> {
    db.all(
        "SELECT a.asserted_by, pa.name, a.reported_by, pr.name, a.how, a.certainty
           FROM attribution a LEFT JOIN party pa ON pa.id = a.asserted_by LEFT JOIN party pr ON pr.id = a.reported_by
          WHERE a.record_id = ?1 ORDER BY a.id",
        [record_id],
        |r| attribution_of(r, 0),
    )
}

/// The attributions of several records at once (a page of the timeline), by record id; a record with
/// none is absent.
pub fn get_many(db: &Reader, record_ids: &[&str]) -> Result<HashMap<String, Vec<Attribution>>> {
    let ids = serde_json::Value::from(record_ids.to_vec()).to_string();
    let mut out: HashMap<String, Vec<Attribution>> = HashMap::new();
    db.each(
        "SELECT a.record_id, a.asserted_by, pa.name, a.reported_by, pr.name, a.how, a.certainty
           FROM attribution a LEFT JOIN party pa ON pa.id = a.asserted_by LEFT JOIN party pr ON pr.id = a.reported_by
          WHERE a.record_id IN (SELECT value FROM json_each(?1)) ORDER BY a.record_id, a.id",
        [ids],
        |r| {
            out.entry(r.get(0)?).or_default().push(attribution_of(r, 1)?);
            Ok(())
        },
    )?;
    Ok(out)
}

/// An attribution from the six columns of a row starting at `at`.
fn attribution_of(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Attribution> {
    let asserted_by: Option<String> = r.get(at + 1)?;
    let reported_by: Option<String> = r.get(at + 3)?;
    let how: String = r.get(at + 4)?;
    let certainty: Certainty = r.get(at + 5)?;
    let worded = |lang| word(asserted_by.as_deref(), reported_by.as_deref(), &how, certainty, lang);
    Ok(Attribution {
        asserted_by_id: r.get(at)?,
        en: worded(Lang::En),
        fr: worded(Lang::Fr),
        asserted_by,
        reported_by_id: r.get(at + 2)?,
        reported_by,
        how,
        certainty,
    })
}

/// The one wording of an attribution: "Twitter (alleged), reported by The New York Times — first
/// reported the letter"; with no party, the certainty alone.
fn word(asserted_by: Option<&str>, reported_by: Option<&str>, how: &str, certainty: Certainty, lang: Lang) -> Worded {
    let reported = match lang {
        Lang::En => "reported by",
        Lang::Fr => "rapporté par",
    };
    let (before, after) = match (asserted_by, reported_by) {
        (Some(who), Some(by)) => (format!("{who} ("), format!("), {reported} {by}")),
        (Some(who), None) => (format!("{who} ("), ")".to_string()),
        (None, Some(by)) => (format!("{reported} {by} ("), ")".to_string()),
        (None, None) => (String::new(), String::new()),
    };
    let after = if how.is_empty() { after } else { format!("{after} — {how}") };
    Worded { before, certainty: certainty.word(lang).to_string(), after }
}

impl Attribution {
    pub fn to_input(&self) -> AttributionInput {
        AttributionInput {
            asserted_by: self.asserted_by_id.clone().unwrap_or_default(),
            reported_by: self.reported_by_id.clone().unwrap_or_default(),
            how: self.how.clone(),
            certainty: self.certainty.to_string(),
        }
    }

    /// One line a reader can quote, in `lang`: "Twitter (alleged), reported by The New York Times — first
    /// reported the letter". Worded from the fields as they are now, so a copy whose party was
    /// withheld (publishing) says the stand-in; the app shows the same line (`en`, `fr`).
    pub fn describe(&self, lang: Lang) -> String {
        let w = word(self.asserted_by.as_deref(), self.reported_by.as_deref(), &self.how, self.certainty, lang);
        format!("{}{}{}", w.before, w.certainty, w.after)
    }

    /// Puts `stand_in` in place of each party that may not be named (`private` of its id), in the
    /// fields and in the wording alike, for a copy that is published.
    pub fn withhold(&mut self, private: impl Fn(&str) -> bool, stand_in: &str) {
        if self.asserted_by_id.as_deref().is_some_and(&private) {
            self.asserted_by_id = None;
            self.asserted_by = Some(stand_in.to_string());
        }
        if self.reported_by_id.as_deref().is_some_and(&private) {
            self.reported_by_id = None;
            self.reported_by = Some(stand_in.to_string());
        }
        let worded =
            |lang| word(self.asserted_by.as_deref(), self.reported_by.as_deref(), &self.how, self.certainty, lang);
        self.en = worded(Lang::En);
        self.fr = worded(Lang::Fr);
    }
}

pub(crate) fn validate_tags(tags: &[String]) -> Result<Vec<String>> {
    input::list("tag", tags)
}

/// Replaces the tags of a record.
pub(crate) fn write_tags(w: &Writer<'_>, record_id: &str, tags: &[String]) -> Result<()> {
    w.execute("DELETE FROM record_tag WHERE record_id = ?1", [record_id])?;
    for tag in tags {
        w.execute("INSERT INTO record_tag (record_id, tag) VALUES (?1, ?2)", params![record_id, tag])?;
    }
    Ok(())
}

pub fn tags(db: &Reader, record_id: &str) -> Result<Vec<String>> {
    db.strings("SELECT tag FROM record_tag WHERE record_id = ?1 ORDER BY tag", [record_id])
}
