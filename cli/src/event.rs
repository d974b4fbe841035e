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
        case: String,
    },
    Show {
        id: String,
    },
    Add {
        case: String,
        #[command(flatten)]
        fields: EventFields,
    },
    Edit {
        id: String,
        #[command(flatten)]
        fields: EventFields,
        #[command(flatten)]
        private: PrivateFlag,
    },
    Delete {
        id: String,
    },
}

#[derive(Args)]
pub struct EventFields {
    #[arg(long)]
    title: Option<String>,
    #[arg(long)]
    date: Option<String>,
    #[arg(long)]
    description: Option<String>,
    #[arg(long = "party")]
    parties: Option<Vec<String>>,
    #[arg(long = "tag")]
    tags: Option<Vec<String>>,
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
            apply_event(&mut input, fields);
            let e = event::create(store, &input)?;
            out.created(&e.id, &e)
        }
        EventCmd::Edit { id, fields, private } => {
            let current = event::get(store.reader(), &id)?;
            let mut input = current.to_input();
            apply_event(&mut input, fields);
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

fn apply_event(input: &mut EventInput, f: EventFields) {
    set(&mut input.title, f.title);
    set(&mut input.date, f.date);
    set(&mut input.description, f.description);
    set(&mut input.parties, f.parties);
    set(&mut input.tags, f.tags);
    set(&mut input.position, f.position);
    attribution_list(&mut input.attributions, &f.attribution, Certainty::Reported);
}
