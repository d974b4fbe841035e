//! `dossier response`: Responses to allegations.

use clap::{Args, Subcommand};
use dossier_core::record::response::{self, ResponseInput};
use dossier_core::vocabulary::{Certainty, Stance, Vocabulary};
use dossier_core::{Result, Store};

use crate::fields::{attribution_list, edit, one_of, set, AttributionFlags, PrivateFlag};
use crate::output::Out;

#[derive(Subcommand)]
pub enum ResponseCmd {
    List {
        /// The case, by its slug or id.
        case: String,
    },
    Show {
        /// Its id, as `list` prints it.
        id: String,
    },
    Add(ResponseFields),
    Edit {
        /// Its id, as `list` prints it.
        id: String,
        #[command(flatten)]
        fields: ResponseFields,
        #[command(flatten)]
        private: PrivateFlag,
    },
    Delete {
        /// Its id, as `list` prints it.
        id: String,
    },
}

#[derive(Args)]
pub struct ResponseFields {
    /// Id of an allegation answered (repeat).
    #[arg(long = "to")]
    allegations: Option<Vec<String>>,
    /// The party that responds.
    #[arg(long, long_help = crate::help::PARTY)]
    by: Option<String>,
    /// Id of the letter or statement carrying the answer.
    #[arg(long)]
    letter: Option<String>,
    /// What the response does with the allegation.
    #[arg(long, value_parser = one_of(Stance::ALL))]
    stance: Option<String>,
    /// What the response says (Markdown).
    #[arg(long)]
    text: Option<String>,
    /// Its date, as precise as it is known: 2023-05-18, 2023-03, ~2023-04, <2023-06-07, … (--help: every form).
    #[arg(long, long_help = crate::help::DATE)]
    date: Option<String>,
    /// A tag; repeat for several; replaces the tags on edit.
    #[arg(long = "tag", long_help = crate::help::TAG)]
    tags: Option<Vec<String>>,
    /// Order among items of the same date: 1 first (ties keep the order they were added).
    #[arg(long)]
    position: Option<i64>,
    #[command(flatten)]
    attribution: AttributionFlags,
}

pub fn run(store: &mut Store, out: &Out, cmd: ResponseCmd) -> Result<()> {
    match cmd {
        ResponseCmd::List { case } => out.list(&response::list(store.reader(), &case)?, |r| {
            format!(
                "{}  {} {} ({} allegations): {}",
                out.date_label(&r.date),
                r.by.name,
                r.stance,
                r.allegations.len(),
                r.text
            )
        }),
        ResponseCmd::Show { id } => out.show(&response::get(store.reader(), &id)?),
        ResponseCmd::Add(fields) => {
            let mut input = ResponseInput::default();
            apply_response(&mut input, fields, out);
            let r = response::create(store, &input)?;
            out.created(&r.id, &r)
        }
        ResponseCmd::Edit { id, fields, private } => {
            let current = response::get(store.reader(), &id)?;
            let mut input = current.to_input();
            apply_response(&mut input, fields, out);
            let ids = (current.id.as_str(), current.updated_at.as_str());
            let r = edit(store, ids, (&current.to_input(), &input), &private, response::update, response::get)?;
            out.updated(&r.id, &r)
        }
        ResponseCmd::Delete { id } => {
            response::delete(store, &id)?;
            out.deleted(&id)
        }
    }
}

fn apply_response(input: &mut ResponseInput, f: ResponseFields, out: &Out) {
    set(&mut input.allegations, f.allegations);
    set(&mut input.by, f.by);
    set(&mut input.letter, f.letter);
    set(&mut input.stance, f.stance);
    set(&mut input.text, f.text);
    set(&mut input.date, out.typed_opt(f.date));
    set(&mut input.tags, f.tags);
    set(&mut input.position, f.position);
    attribution_list(&mut input.attributions, &f.attribution, Certainty::Reported);
}
