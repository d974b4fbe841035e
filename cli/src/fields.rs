//! Flag helpers the record subcommands share: edits start from the record as stored (`to_input`)
//! and override only the flags given; attribution flags; and the value parser that offers a closed
//! vocabulary's values.

use std::ffi::OsStr;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::Args;
use dossier_core::date::Lang;
use dossier_core::record::attribution::AttributionInput;
use dossier_core::record::privacy;
use dossier_core::store::Reader;
use dossier_core::transfer::export::ReportOptions;
use dossier_core::vocabulary::{Certainty, EntryKind, Vocabulary};
use dossier_core::{Result, Store};

use crate::output::Out;
use serde::Serialize;

#[derive(Args, Default)]
pub struct AttributionFlags {
    /// Who asserts it (party).
    #[arg(long)]
    asserted_by: Option<String>,
    /// Which source reports it (party).
    #[arg(long)]
    reported_by: Option<String>,
    /// How it was reported ("statement to Reuters").
    #[arg(long)]
    how: Option<String>,
    /// How sure the record is that it happened as said.
    #[arg(long, value_parser = one_of(Certainty::ALL))]
    certainty: Option<String>,
}

impl AttributionFlags {
    /// The attribution the flags describe, if any flag was given.
    fn to_input(&self, default_certainty: Certainty) -> Option<AttributionInput> {
        if self.asserted_by.is_none() && self.reported_by.is_none() && self.how.is_none() && self.certainty.is_none() {
            return None;
        }
        Some(AttributionInput {
            asserted_by: self.asserted_by.clone().unwrap_or_default(),
            reported_by: self.reported_by.clone().unwrap_or_default(),
            how: self.how.clone().unwrap_or_default(),
            certainty: self.certainty.clone().unwrap_or_else(|| default_certainty.to_string()),
        })
    }
}

/// Which entries of a chronology: the timeline's filter flags, which a report's chronology takes too.
#[derive(Args, Default)]
pub struct ChronologyFlags {
    /// Only these kinds (repeat or comma-separate; "agreement" stands for both agreement dates).
    #[arg(long = "kind", value_parser = one_of(EntryKind::ALL))]
    pub kinds: Vec<String>,
    /// Only the entries with this tag.
    #[arg(long)]
    pub tag: Option<String>,
    /// From this date (any date form: 2023-03, ~2023-04, …).
    #[arg(long, long_help = crate::help::DATE)]
    pub from: Option<String>,
    /// Up to this date, included.
    #[arg(long, long_help = crate::help::DATE)]
    pub to: Option<String>,
}

/// What a report shows (`export` with md, html, docx or pdf).
#[derive(Args, Default)]
pub struct ReportFlags {
    /// Only these sections, comma-separated: summary, parties, chronology, agreements, allegations,
    /// correspondence, evidence.
    #[arg(long, value_delimiter = ',')]
    sections: Vec<String>,
    /// Exhibit list: evidence numbered Exhibit 1…n in chronological order, cited so.
    #[arg(long)]
    exhibits: bool,
    #[command(flatten)]
    chronology: ChronologyFlags,
}

impl ReportFlags {
    pub fn options(self, out: &Out) -> ReportOptions {
        let c = self.chronology;
        ReportOptions {
            sections: self.sections,
            kinds: c.kinds,
            tag: c.tag.unwrap_or_default(),
            from: out.typed(c.from.unwrap_or_default()),
            to: out.typed(c.to.unwrap_or_default()),
            exhibits: self.exhibits,
            ..ReportOptions::default()
        }
    }
}

/// `--private true|false`, which every `edit` takes.
#[derive(Args, Default)]
pub struct PrivateFlag {
    /// Keep the record out of what is published (the static site, TimelineJS), or let it in again.
    #[arg(long, value_name = "true|false", value_parser = clap::value_parser!(bool))]
    private: Option<bool>,
}

/// One record's edit: `before` is the input as read, `after` with the flags applied. The fields are
/// written unless only `--private` was given (refused if the record changed since it was read:
/// another window or command), then the record's privacy. Returns the record as it now is.
pub fn edit<I: Serialize, V>(
    store: &mut Store,
    (id, seen): (&str, &str),
    (before, after): (&I, &I),
    flag: &PrivateFlag,
    update: impl FnOnce(&mut Store, &str, &I) -> Result<V>,
    read: impl FnOnce(&Reader, &str) -> Result<V>,
) -> Result<V> {
    let changed = serde_json::to_value(before).ok() != serde_json::to_value(after).ok();
    if changed || flag.private.is_none() {
        store.edit_from(id, seen, |s| update(s, id, after))?;
    }
    if let Some(private) = flag.private {
        privacy::set(store, id, private)?;
    }
    read(store.reader(), id)
}

/// Overrides `target` with the flag's value, when the flag was given.
pub fn set<T>(target: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *target = v;
    }
}

/// Replaces the attributions with the one the flags describe, when any attribution flag was given.
pub fn attribution_list(current: &mut Vec<AttributionInput>, flags: &AttributionFlags, default_certainty: Certainty) {
    if let Some(a) = flags.to_input(default_certainty) {
        *current = vec![a];
    }
}

/// A parser that lists the values of a closed vocabulary in `--help` and passes what was typed on
/// unchanged: the core reads it, as leniently as it reads a form ("In litigation"), and its error is
/// the same whichever front end the value came from.
#[derive(Clone)]
pub struct OneOf<V: 'static> {
    values: &'static [V],
}

pub fn one_of<V: Vocabulary>(values: &'static [V]) -> OneOf<V> {
    OneOf { values }
}

impl<V: Vocabulary + Send + Sync> TypedValueParser for OneOf<V> {
    type Value = String;

    fn parse_ref(&self, cmd: &clap::Command, arg: Option<&clap::Arg>, value: &OsStr) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.values.iter().map(|v| PossibleValue::new(v.as_str()).help(v.word(Lang::En)))))
    }
}
