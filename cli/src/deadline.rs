//! `dossier deadline compute`: the date a deadline falls on, counted by rule from a trigger in a
//! court's calendar (no database needed). The rules are the core's (`date::deadline`).

use dossier_core::date::{FuzzyDate, Lang};
use dossier_core::record::letter;
use dossier_core::{input, Error, Result, Store};
use serde::Serialize;

use crate::output::Out;

#[derive(clap::Subcommand)]
pub enum DeadlineCommand {
    /// The date a period from a trigger ends on: `--from 2024-04-16 --period 15d --calendar fr` gives
    /// 2024-05-02 (the 15 days end on 1 May, a holiday, and run to the next working day).
    Compute(ComputeArgs),
}

#[derive(clap::Args)]
pub struct ComputeArgs {
    /// The trigger: the date of receipt, of service, of the event (any date form; a month or a year
    /// gives a range of deadlines).
    #[arg(long)]
    from: String,
    /// The period: 15d (days), 10bd (business days), 2w (weeks), 1m (months).
    #[arg(long)]
    period: String,
    /// Counted back from the trigger (e.g. before a hearing): ends on the last open day before.
    #[arg(long)]
    before: bool,
    /// The courts' calendar: fr (France, CPC 640–642), ew (England & Wales, CPR 2.8), us (US federal,
    /// FRCP 6).
    #[arg(long, value_parser = ["fr", "ew", "us"])]
    calendar: String,
    /// Served by mail: three more days (FRCP 6(d); --calendar us only).
    #[arg(long)]
    mail: bool,
}

/// What `--json` prints.
#[derive(Serialize)]
struct Computed {
    date: String,
    en: String,
    fr: String,
}

pub fn run(out: &Out, command: DeadlineCommand) -> Result<()> {
    let DeadlineCommand::Compute(args) = command;
    let rule = input::rule(("period", &args.period), ("calendar", &args.calendar), args.before, ("mail", args.mail))?;
    let from = FuzzyDate::parse_in(&args.from, out.language())
        .map_err(|source| Error::Date { field: "from".into(), source })?;
    let due = input::deadline_from("from", &from, &rule)?;
    let computed = Computed {
        date: due.canonical(),
        en: due.display(dossier_core::date::Lang::En),
        fr: due.display(dossier_core::date::Lang::Fr),
    };
    out.either(&computed, std::slice::from_ref(&computed.date))
}

/// `dossier upcoming`: what must be answered within `days`, across cases, overdue first.
pub fn upcoming(store: &Store, out: &Out, days: u32) -> Result<()> {
    let coming = letter::upcoming_now(store.reader(), days)?;
    out.list(&coming, |u| {
        let d = &u.deadline;
        let when = out.date_label(&d.deadline);
        let lang = out.language();
        let state = d.state.word(lang);
        let rule = if lang == Lang::Fr { &d.rule_fr } else { &d.rule_en };
        let rule = rule.as_ref().map(|r| format!(" ({r})")).unwrap_or_default();
        format!("{when}  [{state}]  {}: {} — {}{rule}  {}", u.case_slug, d.sender, d.subject, d.letter_id)
    })
}
