//! `dossier case`: Cases: list, show, add, edit, delete.

use clap::{Args, Subcommand};
use dossier_core::record::case::{self, CaseInput};
use dossier_core::record::role;
use dossier_core::vocabulary::{CaseStatus, Vocabulary};
use dossier_core::{Result, Store};

use crate::fields::{one_of, set};
use crate::output::Out;

#[derive(Subcommand)]
pub enum CaseCmd {
    List,
    Show {
        /// The case, by its slug (twitter-v-microsoft) or id.
        case: String,
    },
    Add(CaseFields),
    Edit {
        /// The case, by its slug or id.
        case: String,
        #[command(flatten)]
        fields: CaseFields,
    },
    Delete {
        /// The case, by its slug or id (refused while it holds records).
        case: String,
    },
}

#[derive(Args)]
pub struct CaseFields {
    /// The case's title, as people call the dispute ("Twitter v. Microsoft").
    #[arg(long)]
    title: Option<String>,
    /// Its short name in commands and file names (made from the title when not given).
    #[arg(long)]
    slug: Option<String>,
    /// Where the case stands.
    #[arg(long, value_parser = one_of(CaseStatus::ALL))]
    status: Option<String>,
    /// Markdown.
    #[arg(long)]
    summary: Option<String>,
    /// A tag; repeat for several; replaces the tags on edit.
    #[arg(long = "tag", long_help = crate::help::TAG)]
    tags: Option<Vec<String>>,
}

pub fn run(store: &mut Store, out: &Out, cmd: CaseCmd) -> Result<()> {
    match cmd {
        CaseCmd::List => out.cases(&case::list(store.reader())?),
        CaseCmd::Show { case } => {
            let c = case::get(store.reader(), &case)?;
            let roles = role::roles(store.reader(), &c.id)?;
            out.case(&c, &roles)
        }
        CaseCmd::Add(f) => {
            let input = CaseInput {
                slug: f.slug.unwrap_or_default(),
                title: f.title.unwrap_or_default(),
                status: f.status.unwrap_or_default(),
                summary: f.summary.unwrap_or_default(),
                tags: f.tags.unwrap_or_default(),
            };
            let c = case::create(store, &input)?;
            out.created(&c.slug, &c)
        }
        CaseCmd::Edit { case, fields: f } => {
            let current = case::get(store.reader(), &case)?;
            let mut input = current.to_input();
            set(&mut input.title, f.title);
            set(&mut input.slug, f.slug);
            set(&mut input.status, f.status);
            set(&mut input.summary, f.summary);
            set(&mut input.tags, f.tags);
            // Refused if another window or command changed the record meanwhile.
            let c = store.edit_from(&current.id, &current.updated_at, |s| case::update(s, &case, &input))?;
            out.updated(&c.slug, &c)
        }
        CaseCmd::Delete { case } => {
            case::delete(store, &case)?;
            out.deleted(&case)
        }
    }
}
