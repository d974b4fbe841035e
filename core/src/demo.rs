//! The demo cases shipped in `assets/demo/`: Twitter v. Microsoft and Getty Images v. Stability AI,
//! built from the seed article alone. A demo file lists records by section; a string "@key" anywhere
//! in it stands for the id of the record created earlier under that key. Loading is idempotent: a
//! case whose slug exists is skipped, and parties that exist (by name or alias) are reused.

use std::collections::HashMap;
use std::path::PathBuf;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::record::agreement::{self, AgreementInput};
use crate::record::allegation::{self, AllegationInput, StatusInput};
use crate::record::case::{self, CaseInput};
use crate::record::event::{self, EventInput};
use crate::record::evidence::{self, FileInput, LinkInput};
use crate::record::letter::{self, LetterInput};
use crate::record::party::{self, PartyInput};
use crate::record::response::{self, ResponseInput};
use crate::record::role;
use crate::store::Store;

/// (file name, JSON) of each demo case, in load order. Twitter v. Microsoft, the main demo, loads last
/// so that it is the most recent case and opens first.
const CASES: &[(&str, &str)] = &[
    ("getty-v-stability-ai.json", include_str!("../../assets/demo/getty-v-stability-ai.json")),
    ("twitter-v-microsoft.json", include_str!("../../assets/demo/twitter-v-microsoft.json")),
];

/// Files the demo cases keep as evidence, by the name they use for them.
const FILES: &[(&str, &[u8])] =
    &[("twitter-microsoft-article-fr.txt", include_bytes!("../../assets/demo/twitter-microsoft-article-fr.txt"))];

#[derive(Deserialize)]
struct DemoCase {
    format: String,
    case: CaseInput,
    parties: Vec<PartyInput>,
    roles: Vec<Role>,
    files: Vec<Value>,
    agreements: Vec<Value>,
    events: Vec<Value>,
    letters: Vec<Value>,
    allegations: Vec<Value>,
    responses: Vec<Value>,
    statuses: Vec<Value>,
    links: Vec<Value>,
}

#[derive(Deserialize)]
struct Role {
    party: String,
    role: String,
    #[serde(default)]
    on_behalf_of: Option<String>,
}

#[derive(Deserialize)]
struct DemoFile {
    path: String,
    title: String,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
struct DemoStatus {
    allegation: String,
    #[serde(flatten)]
    input: StatusInput,
}

/// The slugs of the demo cases.
pub fn slugs() -> Vec<String> {
    CASES
        .iter()
        .filter_map(|(_, json)| serde_json::from_str::<Value>(json).ok())
        .filter_map(|v| v["case"]["slug"].as_str().map(String::from))
        .collect()
}

/// Loads every demo case not already in the database; returns the slugs it loaded.
pub fn load(store: &mut Store) -> Result<Vec<String>> {
    let mut loaded = Vec::new();
    for (name, json) in CASES {
        let demo: DemoCase = serde_json::from_str(json)
            .map_err(|e| Error::rule("demo", "bad_demo", None, format!("{name} is not a demo case file: {e}")))?;
        if demo.format != "dossier-demo/1" {
            return Err(Error::rule("demo", "bad_demo", None, format!("{name} has unknown format '{}'", demo.format)));
        }
        if case::resolve(store.reader(), &demo.case.slug).is_ok() {
            continue;
        }
        loaded.push(load_case(store, demo)?);
    }
    Ok(loaded)
}

/// Loads the demo cases when the database holds no case at all (its first use).
pub fn load_if_empty(store: &mut Store) -> Result<Vec<String>> {
    if case::list(store.reader())?.is_empty() {
        load(store)
    } else {
        Ok(Vec::new())
    }
}

fn load_case(store: &mut Store, demo: DemoCase) -> Result<String> {
    let case = case::create(store, &demo.case)?;
    let mut keys: HashMap<String, String> = HashMap::new();
    for p in &demo.parties {
        if party::resolve(store.reader(), &p.name).is_err() {
            party::create(store, p)?;
        }
    }
    for r in &demo.roles {
        role::add_role(store, &case.id, &r.party, &r.role, r.on_behalf_of.as_deref())?;
    }
    for f in demo.files {
        let (key, f): (_, DemoFile) = keyed(f, &keys, &case.id)?;
        let bytes = FILES
            .iter()
            .find(|(name, _)| *name == f.path)
            .map(|(_, b)| *b)
            .ok_or_else(|| Error::not_found("demo file", &f.path))?;
        let input = FileInput {
            case: case.id.clone(),
            path: PathBuf::from(&f.path),
            title: f.title,
            date: String::new(),
            note: f.note,
        };
        remember(&mut keys, key, evidence::add_stream(store, &input, bytes)?.id);
    }
    for a in demo.agreements {
        let (key, input): (_, AgreementInput) = keyed(a, &keys, &case.id)?;
        remember(&mut keys, key, agreement::create(store, &input)?.id);
    }
    for e in demo.events {
        let (key, input): (_, EventInput) = keyed(e, &keys, &case.id)?;
        remember(&mut keys, key, event::create(store, &input)?.id);
    }
    for l in demo.letters {
        let (key, input): (_, LetterInput) = keyed(l, &keys, &case.id)?;
        remember(&mut keys, key, letter::create(store, &input)?.id);
    }
    for a in demo.allegations {
        let (key, input): (_, AllegationInput) = keyed(a, &keys, &case.id)?;
        remember(&mut keys, key, allegation::create(store, &input)?.id);
    }
    for r in demo.responses {
        let (key, input): (_, ResponseInput) = keyed(r, &keys, &case.id)?;
        remember(&mut keys, key, response::create(store, &input)?.id);
    }
    for s in demo.statuses {
        let (_, s): (_, DemoStatus) = keyed(s, &keys, &case.id)?;
        allegation::set_status(store, &s.allegation, &s.input)?;
    }
    for l in demo.links {
        let (_, input): (_, LinkInput) = keyed(l, &keys, &case.id)?;
        evidence::link(store, &input)?;
    }
    Ok(case.slug)
}

fn remember(keys: &mut HashMap<String, String>, key: Option<String>, id: String) {
    if let Some(k) = key {
        keys.insert(k, id);
    }
}

/// Takes an item's "key", replaces every "@key" string by the id it stands for, sets "case" to the
/// case being loaded, and reads the result as `T`.
fn keyed<T: DeserializeOwned>(
    mut item: Value,
    keys: &HashMap<String, String>,
    case_id: &str,
) -> Result<(Option<String>, T)> {
    let key = item.as_object_mut().and_then(|o| o.remove("key")).and_then(|k| k.as_str().map(String::from));
    substitute(&mut item, keys)?;
    if let Some(o) = item.as_object_mut() {
        o.insert("case".into(), Value::from(case_id));
    }
    let parsed = serde_json::from_value(item)
        .map_err(|e| Error::rule("demo", "bad_demo", None, format!("item '{}': {e}", key.as_deref().unwrap_or("?"))))?;
    Ok((key, parsed))
}

fn substitute(v: &mut Value, keys: &HashMap<String, String>) -> Result<()> {
    match v {
        Value::String(s) if s.starts_with('@') => {
            *s = keys.get(&s[1..]).cloned().ok_or_else(|| Error::not_found("demo key", s.as_str()))?;
        }
        Value::Array(items) => items.iter_mut().try_for_each(|i| substitute(i, keys))?,
        Value::Object(map) => map.values_mut().try_for_each(|i| substitute(i, keys))?,
        _ => {}
    }
    Ok(())
}
