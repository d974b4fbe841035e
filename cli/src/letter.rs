//! `dossier letter`: Letters and every other piece of correspondence.

use clap::{Args, Subcommand};
use dossier_core::record::letter::{self, LetterInput};
use dossier_core::record::PartyRef;
use dossier_core::vocabulary::{Channel, Vocabulary};
use dossier_core::{Result, Store};

use crate::fields::{edit, one_of, set, PrivateFlag};
use crate::output::Out;

#[derive(Subcommand)]
pub enum LetterCmd {
    List {
        case: String,
    },
    Show {
        id: String,
    },
    Add {
        case: String,
        #[command(flatten)]
        fields: LetterFields,
    },
    Edit {
        id: String,
        #[command(flatten)]
        fields: LetterFields,
        #[command(flatten)]
        private: PrivateFlag,
    },
    Delete {
        id: String,
    },
}

#[derive(Args)]
pub struct LetterFields {
    #[arg(long, value_parser = one_of(Channel::ALL))]
    channel: Option<String>,
    /// Sending party.
    #[arg(long = "from")]
    sender: Option<String>,
    /// The person who signed or spoke.
    #[arg(long = "person")]
    sender_person: Option<String>,
    #[arg(long)]
    to: Option<Vec<String>>,
    #[arg(long)]
    cc: Option<Vec<String>>,
    #[arg(long)]
    subject: Option<String>,
    #[arg(long)]
    body: Option<String>,
    #[arg(long)]
    date: Option<String>,
    /// When an answer is due ("" to clear).
    #[arg(long)]
    deadline: Option<String>,
    /// Id of the letter this one answers.
    #[arg(long = "reply-to")]
    in_reply_to: Option<String>,
    #[arg(long = "tag")]
    tags: Option<Vec<String>>,
    /// Order among items of the same date.
    #[arg(long)]
    position: Option<i64>,
}

pub fn run(store: &mut Store, out: &Out, cmd: LetterCmd) -> Result<()> {
    match cmd {
        LetterCmd::List { case } => out.list(&letter::list(store.reader(), &case)?, |l| {
            let deadline =
                l.deadline.as_deref().map(|d| format!("  (answer due {})", out.date_label(d))).unwrap_or_default();
            format!(
                "{}  [{}] {} → {}: {}{deadline}",
                out.date_label(&l.date),
                l.channel,
                l.sender.name,
                names(&l.to),
                l.subject
            )
        }),
        LetterCmd::Show { id } => out.show(&letter::get(store.reader(), &id)?),
        LetterCmd::Add { case, fields } => {
            let mut input = LetterInput { case, ..Default::default() };
            apply_letter(&mut input, fields);
            let l = letter::create(store, &input)?;
            out.created(&l.id, &l)
        }
        LetterCmd::Edit { id, fields, private } => {
            let current = letter::get(store.reader(), &id)?;
            let mut input = current.to_input();
            apply_letter(&mut input, fields);
            let ids = (current.id.as_str(), current.updated_at.as_str());
            let l = edit(store, ids, (&current.to_input(), &input), &private, letter::update, letter::get)?;
            out.updated(&l.id, &l)
        }
        LetterCmd::Delete { id } => {
            letter::delete(store, &id)?;
            out.deleted(&id)
        }
    }
}

fn names(parties: &[PartyRef]) -> String {
    parties.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
}

fn apply_letter(input: &mut LetterInput, f: LetterFields) {
    set(&mut input.channel, f.channel);
    set(&mut input.sender, f.sender);
    set(&mut input.sender_person, f.sender_person);
    set(&mut input.to, f.to);
    set(&mut input.cc, f.cc);
    set(&mut input.subject, f.subject);
    set(&mut input.body, f.body);
    set(&mut input.date, f.date);
    set(&mut input.deadline, f.deadline);
    set(&mut input.in_reply_to, f.in_reply_to);
    set(&mut input.tags, f.tags);
    set(&mut input.position, f.position);
}
