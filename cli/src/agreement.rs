//! `dossier agreement`: Agreements and their clauses.

use clap::{Args, Subcommand};
use dossier_core::record::agreement::{self, AgreementInput, ClauseInput};
use dossier_core::{Result, Store};

use crate::fields::{edit, set, PrivateFlag};
use crate::output::Out;

#[derive(Subcommand)]
pub enum AgreementCmd {
    List {
        case: String,
    },
    Show {
        id: String,
    },
    Add {
        case: String,
        #[command(flatten)]
        fields: AgreementFields,
    },
    Edit {
        id: String,
        #[command(flatten)]
        fields: AgreementFields,
        #[command(flatten)]
        private: PrivateFlag,
    },
    Delete {
        id: String,
    },
    /// Add a clause to an agreement.
    ClauseAdd {
        agreement: String,
        #[arg(long = "ref")]
        reference: String,
        #[arg(long, default_value = "")]
        text: String,
    },
    ClauseEdit {
        clause: String,
        #[arg(long = "ref")]
        reference: Option<String>,
        #[arg(long)]
        text: Option<String>,
    },
    ClauseDelete {
        clause: String,
    },
}

#[derive(Args)]
pub struct AgreementFields {
    #[arg(long)]
    title: Option<String>,
    #[arg(long)]
    kind: Option<String>,
    #[arg(long = "party")]
    parties: Option<Vec<String>>,
    #[arg(long)]
    effective: Option<String>,
    #[arg(long)]
    terminated: Option<String>,
    #[arg(long)]
    terms: Option<String>,
}

pub fn run(store: &mut Store, out: &Out, cmd: AgreementCmd) -> Result<()> {
    match cmd {
        AgreementCmd::List { case } => out.list(&agreement::list(store.reader(), &case)?, |a| {
            format!("{}  {}  ({} clauses)", a.effective.as_deref().unwrap_or("undated"), a.title, a.clauses.len())
        }),
        AgreementCmd::Show { id } => out.show(&agreement::get(store.reader(), &id)?),
        AgreementCmd::Add { case, fields } => {
            let mut input = AgreementInput { case, ..Default::default() };
            apply_agreement(&mut input, fields);
            let a = agreement::create(store, &input)?;
            out.created(&a.id, &a)
        }
        AgreementCmd::Edit { id, fields, private } => {
            let current = agreement::get(store.reader(), &id)?;
            let mut input = current.to_input();
            apply_agreement(&mut input, fields);
            let ids = (current.id.as_str(), current.updated_at.as_str());
            let a = edit(store, ids, (&current.to_input(), &input), &private, agreement::update, agreement::get)?;
            out.updated(&a.id, &a)
        }
        AgreementCmd::Delete { id } => {
            agreement::delete(store, &id)?;
            out.deleted(&id)
        }
        AgreementCmd::ClauseAdd { agreement: a, reference, text } => {
            let c = agreement::add_clause(store, &a, &ClauseInput { reference, text })?;
            out.created(&c.id, &c)
        }
        AgreementCmd::ClauseEdit { clause, reference, text } => {
            let current = agreement::get_clause(store.reader(), &clause)?;
            let input =
                ClauseInput { reference: reference.unwrap_or(current.reference), text: text.unwrap_or(current.text) };
            let c = agreement::update_clause(store, &clause, &input)?;
            out.updated(&c.id, &c)
        }
        AgreementCmd::ClauseDelete { clause } => {
            agreement::delete_clause(store, &clause)?;
            out.deleted(&clause)
        }
    }
}

fn apply_agreement(input: &mut AgreementInput, f: AgreementFields) {
    set(&mut input.title, f.title);
    set(&mut input.kind, f.kind);
    set(&mut input.parties, f.parties);
    set(&mut input.effective, f.effective);
    set(&mut input.terminated, f.terminated);
    set(&mut input.terms, f.terms);
}
