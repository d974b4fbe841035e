//! `dossier party`: Parties, shared by every case, and their roles in a case.

use clap::{Args, Subcommand};
use dossier_core::record::party::{self, AffiliationInput, PartyInput};
use dossier_core::record::{case, role};
use dossier_core::vocabulary::{PartyKind, Role, Vocabulary};
use dossier_core::{Error, Result, Store};

use crate::fields::{edit, one_of, set, PrivateFlag};
use crate::output::Out;

#[derive(Subcommand)]
pub enum PartyCmd {
    /// Every party, or those with a role in --case.
    List {
        /// Only the parties with a role in this case (its slug or id).
        #[arg(long)]
        case: Option<String>,
    },
    Show {
        /// The party, by its id, name or alias.
        party: String,
    },
    Add(PartyFields),
    Edit {
        /// The party, by its id, name or alias.
        party: String,
        #[command(flatten)]
        fields: PartyFields,
        #[command(flatten)]
        private: PrivateFlag,
    },
    Delete {
        /// The party, by its id, name or alias (refused while a record names it).
        party: String,
    },
    /// Give a party a role in a case.
    Role {
        /// The case, by its slug or id.
        case: String,
        /// The party, by its id, name or alias.
        party: String,
        /// The role it has in the case.
        #[arg(value_parser = one_of(Role::ALL))]
        role: String,
        /// For counsel: the party represented.
        #[arg(long = "for")]
        on_behalf_of: Option<String>,
    },
    /// Take a role away.
    Unrole {
        /// The case, by its slug or id.
        case: String,
        /// The party, by its id, name or alias.
        party: String,
        /// The role to take away.
        #[arg(value_parser = one_of(Role::ALL))]
        role: String,
    },
}

#[derive(Args)]
pub struct PartyFields {
    /// The party's name, as it is usually written ("Microsoft", "Elon Musk").
    #[arg(long)]
    name: Option<String>,
    /// What kind of party it is.
    #[arg(long, value_parser = one_of(PartyKind::ALL))]
    kind: Option<String>,
    /// Who or what the party is, in a sentence.
    #[arg(long)]
    description: Option<String>,
    /// Another name it goes by (a handle, an abbreviation); repeat for several; replaces them on edit.
    #[arg(long = "alias")]
    aliases: Option<Vec<String>>,
    /// ORGANISATION=ROLE, e.g. "Microsoft=spokesperson".
    #[arg(long = "affiliation")]
    affiliations: Option<Vec<String>>,
}

fn parse_affiliations(values: Vec<String>) -> Result<Vec<AffiliationInput>> {
    values
        .into_iter()
        .map(|v| match v.split_once('=') {
            Some((org, role)) => Ok(AffiliationInput { organisation: org.trim().into(), role: role.trim().into() }),
            None => Err(Error::rule(
                "affiliation",
                "not_organisation_role",
                v.clone(),
                format!("'{v}' is not ORGANISATION=ROLE"),
            )),
        })
        .collect()
}

pub fn run(store: &mut Store, out: &Out, cmd: PartyCmd) -> Result<()> {
    match cmd {
        PartyCmd::List { case: None } => out.parties(&party::list(store.reader())?),
        PartyCmd::List { case: Some(case) } => {
            let id = case::resolve(store.reader(), &case)?;
            out.roles(&role::roles(store.reader(), &id)?)
        }
        PartyCmd::Show { party } => out.show(&party::get(store.reader(), &party)?),
        PartyCmd::Add(f) => {
            let input = PartyInput {
                name: f.name.unwrap_or_default(),
                kind: f.kind.unwrap_or_default(),
                description: f.description.unwrap_or_default(),
                aliases: f.aliases.unwrap_or_default(),
                affiliations: parse_affiliations(f.affiliations.unwrap_or_default())?,
            };
            let p = party::create(store, &input)?;
            out.created(&p.id, &p)
        }
        PartyCmd::Edit { party, fields: f, private } => {
            let current = party::get(store.reader(), &party)?;
            let mut input = current.to_input();
            set(&mut input.name, f.name);
            set(&mut input.kind, f.kind);
            set(&mut input.description, f.description);
            set(&mut input.aliases, f.aliases);
            set(&mut input.affiliations, f.affiliations.map(parse_affiliations).transpose()?);
            let ids = (current.id.as_str(), current.updated_at.as_str());
            let p = edit(store, ids, (&current.to_input(), &input), &private, party::update, party::get)?;
            out.updated(&p.id, &p)
        }
        PartyCmd::Delete { party } => {
            party::delete(store, &party)?;
            out.deleted(&party)
        }
        PartyCmd::Role { case, party, role, on_behalf_of } => {
            role::add_role(store, &case, &party, &role, on_behalf_of.as_deref())?;
            out.message(&format!("{party} is {role} in {case}"))
        }
        PartyCmd::Unrole { case, party, role } => {
            role::remove_role(store, &case, &party, &role)?;
            out.message(&format!("{party} is no longer {role} in {case}"))
        }
    }
}
