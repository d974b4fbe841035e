//! `dossier agreement`: Agreements and their clauses.

use clap::{Args, Subcommand};
use dossier_core::record::agreement::{self, AgreementInput, ClauseInput};
use dossier_core::{Result, Store};

use crate::fields::{edit, set, PrivateFlag};
use crate::output::Out;

#[derive(Subcommand)]
pub enum AgreementCmd {
    List {
        /// The case, by its slug or id.
        case: String,
    },
    Show {
        /// The agreement's id.
        id: String,
    },
    Add {
        /// The case, by its slug or id.
        case: String,
        #[command(flatten)]
        fields: AgreementFields,
    },
    Edit {
        /// The agreement's id.
        id: String,
        #[command(flatten)]
        fields: AgreementFields,
        #[command(flatten)]
        private: PrivateFlag,
    },
    Delete {
        /// The agreement's id (its clauses go with it).
        id: String,
    },
    /// Add a clause to an agreement.
    ClauseAdd {
        /// The agreement's id.
        agreement: String,
        /// How the agreement numbers the clause ("4.2", "Schedule B").
        #[arg(long = "ref")]
        reference: String,
        /// The clause's words, as the agreement has them.
        #[arg(long, default_value = "")]
        text: String,
    },
    ClauseEdit {
        /// The clause's id.
        clause: String,
        /// How the agreement numbers the clause.
        #[arg(long = "ref")]
        reference: Option<String>,
        /// The clause's words.
        #[arg(long)]
        text: Option<String>,
    },
    ClauseDelete {
        /// The clause's id.
        clause: String,
    },
}

#[derive(Args)]
pub struct AgreementFields {
    /// The agreement's title ("Twitter API agreement").
    #[arg(long)]
    title: Option<String>,
    /// What kind of agreement it is, in words ("licence", "NDA").
    #[arg(long)]
    kind: Option<String>,
    /// A party to it; repeat for several; replaces them on edit.
    #[arg(long = "party", long_help = crate::help::PARTY)]
    parties: Option<Vec<String>>,
    /// When it took effect.
    #[arg(long, long_help = crate::help::DATE)]
    effective: Option<String>,
    /// When it ended, if it did.
    #[arg(long, long_help = crate::help::DATE)]
    terminated: Option<String>,
    /// Its terms in brief (Markdown).
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
            apply_agreement(&mut input, fields, out);
            let a = agreement::create(store, &input)?;
            out.created(&a.id, &a)
        }
        AgreementCmd::Edit { id, fields, private } => {
            let current = agreement::get(store.reader(), &id)?;
            let mut input = current.to_input();
            apply_agreement(&mut input, fields, out);
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

fn apply_agreement(input: &mut AgreementInput, f: AgreementFields, out: &Out) {
    set(&mut input.title, f.title);
    set(&mut input.kind, f.kind);
    set(&mut input.parties, f.parties);
    set(&mut input.effective, out.typed_opt(f.effective));
    set(&mut input.terminated, out.typed_opt(f.terminated));
    set(&mut input.terms, f.terms);
}
