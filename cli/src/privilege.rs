//! `dossier privilege`: a record marked privileged (withheld from productions and publication, listed
//! in the case's privilege log with the basis and a description that does not reveal it), or the mark
//! cleared.

use clap::Args;
use dossier_core::record::privilege::{self, PrivilegeInput};
use dossier_core::vocabulary::{PrivilegeBasis, Vocabulary};
use dossier_core::{Result, Store};

use crate::fields::one_of;
use crate::output::Out;

#[derive(Args)]
pub struct PrivilegeArgs {
    /// The record's id (a letter, a piece of evidence, an event, …; not a case or a party).
    id: String,
    /// The basis: legal_advice, litigation, work_product, professional_secrecy (secret professionnel
    /// de l'avocat) or other (with --description); dashes or spaces do for underscores.
    #[arg(long, value_parser = one_of(PrivilegeBasis::ALL), required_unless_present = "clear")]
    basis: Option<String>,
    /// What the privilege log says of it without revealing its content ("Advice on the API licence").
    #[arg(long, default_value = "")]
    description: String,
    /// No longer privileged.
    #[arg(long, conflicts_with_all = ["basis", "description"])]
    clear: bool,
}

pub fn run(store: &mut Store, out: &Out, args: PrivilegeArgs) -> Result<()> {
    let input = args.basis.map(|basis| PrivilegeInput { basis, description: args.description });
    privilege::set(store, &args.id, input.as_ref())?;
    let now = privilege::get(store.reader(), &args.id)?;
    let line = match &now {
        Some(p) => format!("{} is privileged: {}", args.id.trim(), p.basis.word(out.language())),
        None => format!("{} is not privileged", args.id.trim()),
    };
    out.either(&serde_json::json!({ "id": args.id.trim(), "privilege": now }), &[line])
}
