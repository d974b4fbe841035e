//! `dossier erase`: a record, a piece of evidence, a party or a whole case removed for real — from
//! the tables, every change-log entry that held it, the search index, the evidence store and the
//! copies kept beside the database — with a reason, as one logged act. Unlike `delete` it cannot be
//! undone, so it is confirmed: `--yes`, or the word `erase` typed at a terminal.

use clap::Args;
use dossier_core::care::erase::{self, EraseInput};
use dossier_core::store::registry;
use dossier_core::vocabulary::{ErasureReason, Vocabulary};
use dossier_core::{Result, Store};

use crate::fields::one_of;
use crate::output::Out;

#[derive(Args)]
pub struct EraseArgs {
    /// The record's id (any kind), or a case's slug: a case is erased with every record in it.
    id: String,
    /// Why: clawback (privileged material to return), source_protection, erasure_request (GDPR art.
    /// 17), received_in_error, or other (with --note); dashes or spaces do for underscores.
    #[arg(long, value_parser = one_of(ErasureReason::ALL))]
    reason: String,
    /// A few words kept with the erasure (required with --reason other): a court order, a request's
    /// reference. Never the erased content.
    #[arg(long, default_value = "")]
    note: String,
    /// Do not ask for confirmation (needed when standard input is not a terminal).
    #[arg(long)]
    yes: bool,
}

/// Erases the record `args.id` once confirmed, and says what went and what may still hold it.
pub fn run(store: &mut Store, out: &Out, args: EraseArgs) -> Result<()> {
    if !args.yes {
        confirm(store, &args.id)?;
    }
    let report =
        erase::erase(store, &EraseInput { id: args.id.clone(), reason: args.reason.clone(), note: args.note.clone() })?;
    let lang = out.language();
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut lines = vec![format!(
        "erased {} {} ({}): {}, {} of the change log, {} of the evidence store; change-log entry {}",
        report.kind.word(lang),
        report.id,
        report.reason.word(lang),
        plural(report.records, "record", "records"),
        plural(report.entries, "earlier entry rewritten", "earlier entries rewritten"),
        plural(report.files, "file removed", "files removed"),
        report.entry
    )];
    for copy in &report.copies {
        lines.push(format!("removed the copy beside the database {copy}"));
    }
    for e in &report.elsewhere {
        let what = match &e.format {
            Some(format) => format!("the {format} export"),
            None => "the backup".to_string(),
        };
        lines.push(format!("may still hold it: {what} {} made {} — destroy it", e.path, e.when));
    }
    lines.push(
        "exports made with an earlier version of Dossier, or from a database opened read-only, are not listed and still hold what they held"
            .into(),
    );
    for w in &report.warnings {
        eprintln!("dossier: warning: {}", crate::output::visible(w));
    }
    out.either(&report, &lines)
}

/// Asks, at a terminal, for the word `erase`; refuses without one.
fn confirm(store: &Store, id: &str) -> Result<()> {
    let what = match registry::title_of(store.reader(), id) {
        Ok((kind, title)) => format!("{kind} '{}'", crate::output::visible(&title)),
        Err(_) => format!("'{}'", crate::output::visible(id)),
    };
    crate::output::confirm_by_typing(
        &format!(
            "Erase {what} for good? Its content leaves the database, its history and the evidence store, and \
             cannot be restored (`delete` can be undone; this cannot)."
        ),
        "erase",
        "erasing removes the record for good (it cannot be restored): confirm with --yes",
        "nothing was erased",
    )
}
