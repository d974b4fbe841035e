//! The parties a chronology's cells name, found or created once per name for the whole file.
//!
//! A cell's names are separated by `;`, `|` or line breaks. A name the case's parties do not know may
//! still be several, separated by commas as a spreadsheet user writes them ("Getty Images, Stability
//! AI"): it is split when every piece names a known party or alias. The whole name is tried first, so
//! "Twitter, Inc." is still one party.

use std::collections::HashMap;

use super::{csv_error, reworded};
use crate::error::{Error, Result};
use crate::input;
use crate::record::party::{self, PartyInput};
use crate::store::registry;
use crate::store::Writer;

pub(super) struct Parties<'a> {
    /// Whether a name no party has becomes a new organisation (`--create-parties`).
    create: bool,
    /// The parties column as the file names it, for errors.
    column: &'a str,
    /// The parties each name of the file stood for.
    known: HashMap<String, Vec<String>>,
    /// The parties created, by id and name, in the order they were.
    pub(super) created: Vec<(String, String)>,
}

impl<'a> Parties<'a> {
    pub(super) fn new(create: bool, column: &'a str) -> Parties<'a> {
        Parties { create, column, known: HashMap::new(), created: Vec::new() }
    }

    /// The ids of the parties that the names of row `row` stand for, in order.
    pub(super) fn ids(&mut self, w: &Writer<'_>, row: usize, names: &[String]) -> Result<Vec<String>> {
        let mut ids = Vec::with_capacity(names.len());
        for name in names {
            if let Some(found) = self.known.get(name) {
                ids.extend(found.iter().cloned());
                continue;
            }
            let found = self.find(w, row, name)?;
            ids.extend(found.iter().cloned());
            self.known.insert(name.clone(), found);
        }
        Ok(ids)
    }

    /// The party `name` is, the known parties its comma-separated pieces are, or a new one.
    fn find(&mut self, w: &Writer<'_>, row: usize, name: &str) -> Result<Vec<String>> {
        match party::resolve(w, name) {
            Ok(id) => return Ok(vec![id]),
            Err(Error::NotFound { .. }) => {}
            Err(other) => return Err(reworded(row, self.column, other)),
        }
        let pieces: Vec<&str> = name.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
        if pieces.len() > 1 {
            let found: Vec<String> = pieces.iter().filter_map(|p| party::resolve(w, p).ok()).collect();
            if found.len() == pieces.len() {
                return Ok(found);
            }
        }
        if !self.create {
            return Err(csv_error(
                row,
                self.column,
                format!(
                    "no party '{}': add it (or an alias) first, or import with --create-parties",
                    input::shorten(name)
                ),
            ));
        }
        let id = registry::new_id();
        let new = PartyInput { name: name.to_string(), kind: "organisation".into(), ..Default::default() };
        party::create_in(w, &id, &new, party::LookAlikes::Refuse).map_err(|e| reworded(row, self.column, e))?;
        self.created.push((id.clone(), name.to_string()));
        Ok(vec![id])
    }
}
