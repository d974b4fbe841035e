//! `dossier allegation`: Allegations and their status history.

use clap::{Args, Subcommand};
use dossier_core::record::allegation::{self, AllegationInput, StatusInput};
use dossier_core::vocabulary::{AllegationStatus, Certainty, Vocabulary};
use dossier_core::{Result, Store};

use crate::fields::{attribution_list, edit, one_of, set, AttributionFlags, PrivateFlag};
use crate::output::Out;

#[derive(Subcommand)]
pub enum AllegationCmd {
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
        fields: AllegationFields,
    },
    Edit {
        /// Its id, as `list` prints it.
        id: String,
        #[command(flatten)]
        fields: AllegationFields,
        #[command(flatten)]
        private: PrivateFlag,
    },
    Delete {
        /// Its id, as `list` prints it.
        id: String,
    },
    /// Record a change of status.
    Status {
        /// Its id, as `list` prints it.
        id: String,
        /// Where the allegation stands from that date on.
        #[arg(value_parser = one_of(AllegationStatus::ALL))]
        status: String,
        /// Its date, as precise as it is known: 2023-05-18, 2023-03, ~2023-04, <2023-06-07, … (--help: every form).
        #[arg(long, long_help = crate::help::DATE)]
        date: String,
        /// A note of yours about it (Markdown).
        #[arg(long, default_value = "")]
        note: String,
        /// Order among items of the same date: 1 first (ties keep the order they were added).
        #[arg(long, default_value_t = 0)]
        position: i64,
    },
}

#[derive(Args)]
pub struct AllegationFields {
    /// Who alleges it.
    #[arg(long = "by")]
    made_by: Option<String>,
    /// The party it is made against.
    #[arg(long, long_help = crate::help::PARTY)]
    against: Option<String>,
    /// Id of the letter or event it was raised in.
    #[arg(long)]
    raised_in: Option<String>,
    /// Id of the agreement it invokes.
    #[arg(long)]
    agreement: Option<String>,
    /// Id of a clause it cites (repeat).
    #[arg(long = "clause")]
    clauses: Option<Vec<String>>,
    /// What is alleged, in one line.
    #[arg(long)]
    summary: Option<String>,
    /// The allegation at length (Markdown).
    #[arg(long)]
    detail: Option<String>,
    /// When raised (default: the date of the letter or event).
    #[arg(long)]
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

pub fn run(store: &mut Store, out: &Out, cmd: AllegationCmd) -> Result<()> {
    match cmd {
        AllegationCmd::List { case } => out.list(&allegation::list(store.reader(), &case)?, |a| {
            format!(
                "{}  [{}] {} alleges against {}: {}",
                out.date_label(&a.date),
                a.status,
                a.made_by.name,
                a.against.name,
                a.summary
            )
        }),
        AllegationCmd::Show { id } => out.show(&allegation::get(store.reader(), &id)?),
        AllegationCmd::Add { case, fields } => {
            let mut input = AllegationInput { case, ..Default::default() };
            apply_allegation(&mut input, fields, out);
            let a = allegation::create(store, &input)?;
            out.created(&a.id, &a)
        }
        AllegationCmd::Edit { id, fields, private } => {
            let current = allegation::get(store.reader(), &id)?;
            let mut input = current.to_input();
            apply_allegation(&mut input, fields, out);
            let ids = (current.id.as_str(), current.updated_at.as_str());
            let a = edit(store, ids, (&current.to_input(), &input), &private, allegation::update, allegation::get)?;
            out.updated(&a.id, &a)
        }
        AllegationCmd::Delete { id } => {
            allegation::delete(store, &id)?;
            out.deleted(&id)
        }
        AllegationCmd::Status { id, status, date, note, position } => {
            let a = allegation::set_status(store, &id, &StatusInput { status, date: out.typed(date), note, position })?;
            out.updated(&a.id, &a)
        }
    }
}

fn apply_allegation(input: &mut AllegationInput, f: AllegationFields, out: &Out) {
    set(&mut input.made_by, f.made_by);
    set(&mut input.against, f.against);
    set(&mut input.raised_in, f.raised_in);
    set(&mut input.agreement, f.agreement);
    set(&mut input.clauses, f.clauses);
    set(&mut input.summary, f.summary);
    set(&mut input.detail, f.detail);
    set(&mut input.date, out.typed_opt(f.date));
    set(&mut input.tags, f.tags);
    set(&mut input.position, f.position);
    attribution_list(&mut input.attributions, &f.attribution, Certainty::Alleged);
}
