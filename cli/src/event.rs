//! `dossier event`: Events.

use clap::{Args, Subcommand};
use dossier_core::record::event::{self, EventInput};
use dossier_core::vocabulary::Certainty;
use dossier_core::{Result, Store};

use crate::fields::{attribution_list, edit, set, AttributionFlags, PrivateFlag};
use crate::output::Out;

#[derive(Subcommand)]
pub enum EventCmd {
    List {
        /// The case, by its slug or id.
        case: String,
    },
    Show {
        /// Its id, as `list` prints it.
        id: String,
    },
    Add {
        /// The case, by its slug or id.
        case: String,
        #[command(flatten)]
        fields: EventFields,
    },
    Edit {
        /// Its id, as `list` prints it.
        id: String,
        #[command(flatten)]
        fields: EventFields,
        #[command(flatten)]
        private: PrivateFlag,
    },
    Delete {
        /// Its id, as `list` prints it.
        id: String,
    },
}

#[derive(Args)]
pub struct EventFields {
    /// Its title, as it will read in the timeline.
    #[arg(long)]
    title: Option<String>,
    /// Its date, as precise as it is known: 2023-05-18, 2023-03, ~2023-04, <2023-06-07, … (--help: every form).
    #[arg(long, long_help = crate::help::DATE)]
    date: Option<String>,
    /// What happened, at length (Markdown).
    #[arg(long)]
    description: Option<String>,
    /// A party involved; repeat for several; replaces them on edit.
    #[arg(long = "party", long_help = crate::help::PARTY)]
    parties: Option<Vec<String>>,
    /// A tag; repeat for several; replaces the tags on edit.
    #[arg(long = "tag", long_help = crate::help::TAG)]
    tags: Option<Vec<String>>,
    /// Order among items of the same date: 1 first (ties keep the order they were added).
    #[arg(long)]
    position: Option<i64>,
    #[command(flatten)]
    attribution: AttributionFlags,
}

pub fn run(store: &mut Store, out: &Out, cmd: EventCmd) -> Result<()> {
    match cmd {
        EventCmd::List { case } => {
            out.list(&event::list(store.reader(), &case)?, |e| format!("{}  {}", out.date_label(&e.date), e.title))
        }
        EventCmd::Show { id } => out.show(&event::get(store.reader(), &id)?),
        EventCmd::Add { case, fields } => {
            let mut input = EventInput { case, ..Default::default() };
            apply_event(&mut input, fields, out);
            let e = event::create(store, &input)?;
            out.created(&e.id, &e)
        }
        EventCmd::Edit { id, fields, private } => {
            let current = event::get(store.reader(), &id)?;
            let mut input = current.to_input();
            apply_event(&mut input, fields, out);
            let ids = (current.id.as_str(), current.updated_at.as_str());
            let e = edit(store, ids, (&current.to_input(), &input), &private, event::update, event::get)?;
            out.updated(&e.id, &e)
        }
        EventCmd::Delete { id } => {
            event::delete(store, &id)?;
            out.deleted(&id)
        }
    }
}

fn apply_event(input: &mut EventInput, f: EventFields, out: &Out) {
    set(&mut input.title, f.title);
    set(&mut input.date, out.typed_opt(f.date));
    set(&mut input.description, f.description);
    set(&mut input.parties, f.parties);
    set(&mut input.tags, f.tags);
    set(&mut input.position, f.position);
    attribution_list(&mut input.attributions, &f.attribution, Certainty::Reported);
}
