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
        fields: LetterFields,
    },
    Edit {
        /// Its id, as `list` prints it.
        id: String,
        #[command(flatten)]
        fields: LetterFields,
        #[command(flatten)]
        private: PrivateFlag,
    },
    Delete {
        /// Its id, as `list` prints it.
        id: String,
    },
}

#[derive(Args)]
pub struct LetterFields {
    /// How it was sent or said (letter, email, press statement, …).
    #[arg(long, value_parser = one_of(Channel::ALL))]
    channel: Option<String>,
    /// Sending party.
    #[arg(long = "from")]
    sender: Option<String>,
    /// The person who signed or spoke.
    #[arg(long = "person")]
    sender_person: Option<String>,
    /// A party it was addressed to; repeat for several; replaces them on edit.
    #[arg(long, long_help = crate::help::PARTY)]
    to: Option<Vec<String>>,
    /// A party copied; repeat for several; replaces them on edit.
    #[arg(long, long_help = crate::help::PARTY)]
    cc: Option<Vec<String>>,
    /// Its subject line, or what it is about in a few words.
    #[arg(long)]
    subject: Option<String>,
    /// Its text, or what it said (Markdown).
    #[arg(long)]
    body: Option<String>,
    /// Its date, as precise as it is known: 2023-05-18, 2023-03, ~2023-04, <2023-06-07, … (--help: every form).
    #[arg(long, long_help = crate::help::DATE)]
    date: Option<String>,
    /// When an answer is due ("" to clear); typed, it replaces a --deadline-rule.
    #[arg(long, long_help = crate::help::DATE)]
    deadline: Option<String>,
    /// When it was received, if not on its date: a --deadline-rule counts from it ("" to clear).
    #[arg(long, long_help = crate::help::DATE)]
    received: Option<String>,
    /// The deadline counted by rule, not typed: 15d (days), 10bd (business days), 2w (weeks) or 1m
    /// (months) from receipt, or from the letter's date, in --calendar ("" to clear).
    #[arg(long = "deadline-rule")]
    deadline_rule: Option<String>,
    /// The courts' calendar of --deadline-rule: fr (France), ew (England & Wales), us (US federal).
    #[arg(long, value_parser = ["fr", "ew", "us"])]
    calendar: Option<String>,
    /// Id of an event of the case (a hearing) the --deadline-rule counts from instead of receipt; the
    /// deadline then follows the event's date ("" to clear).
    #[arg(long = "deadline-event", value_name = "EVENT_ID")]
    deadline_event: Option<String>,
    /// The --deadline-rule counts back from its --deadline-event (a brief due 10 days before a hearing).
    #[arg(long = "before", value_name = "true|false", num_args = 0..=1, default_missing_value = "true",
          value_parser = clap::value_parser!(bool))]
    deadline_before: Option<bool>,
    /// Served by mail: three more days (FRCP 6(d); --calendar us only).
    #[arg(long = "mail", value_name = "true|false", num_args = 0..=1, default_missing_value = "true",
          value_parser = clap::value_parser!(bool))]
    deadline_mail: Option<bool>,
    /// Id of the letter this one answers.
    #[arg(long = "reply-to")]
    in_reply_to: Option<String>,
    /// A tag; repeat for several; replaces the tags on edit.
    #[arg(long = "tag", long_help = crate::help::TAG)]
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
            apply_letter(&mut input, fields, out);
            let l = letter::create(store, &input)?;
            out.created(&l.id, &l)
        }
        LetterCmd::Edit { id, fields, private } => {
            let current = letter::get(store.reader(), &id)?;
            let mut input = current.to_input();
            apply_letter(&mut input, fields, out);
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

fn apply_letter(input: &mut LetterInput, f: LetterFields, out: &Out) {
    set(&mut input.channel, f.channel);
    set(&mut input.sender, f.sender);
    set(&mut input.sender_person, f.sender_person);
    set(&mut input.to, f.to);
    set(&mut input.cc, f.cc);
    set(&mut input.subject, f.subject);
    set(&mut input.body, f.body);
    set(&mut input.date, out.typed_opt(f.date));
    // A typed deadline and a rule replace each other; what only a rule has goes with it.
    let ruled_out = f.deadline.is_some() && f.deadline_rule.is_none()
        || f.deadline_rule.as_deref().is_some_and(|r| r.trim().is_empty());
    if ruled_out {
        input.deadline_rule.clear();
        input.deadline_event.clear();
        input.deadline_before = false;
        input.deadline_mail = false;
    }
    if f.deadline_rule.as_deref().is_some_and(|r| !r.trim().is_empty()) && f.deadline.is_none() {
        input.deadline.clear();
    }
    set(&mut input.deadline, out.typed_opt(f.deadline));
    set(&mut input.received, out.typed_opt(f.received));
    set(&mut input.deadline_rule, f.deadline_rule);
    set(&mut input.calendar, f.calendar);
    set(&mut input.deadline_event, f.deadline_event);
    set(&mut input.deadline_before, f.deadline_before);
    set(&mut input.deadline_mail, f.deadline_mail);
    set(&mut input.in_reply_to, f.in_reply_to);
    set(&mut input.tags, f.tags);
    set(&mut input.position, f.position);
}
