//! `dossier timeline`: a case's chronology as text or JSON.

use clap::Args;
use dossier_core::record::case;
use dossier_core::view::timeline::{self, Filter};
use dossier_core::vocabulary::{EntryKind, Vocabulary};
use dossier_core::{Result, Store};

use crate::fields::one_of;
use crate::output::Out;

#[derive(Args)]
pub struct TimelineArgs {
    case: String,
    /// Only these kinds (repeat or comma-separate; "agreement" stands for both agreement dates).
    #[arg(long = "kind", value_parser = one_of(EntryKind::ALL))]
    kinds: Vec<String>,
    #[arg(long)]
    party: Option<String>,
    #[arg(long)]
    tag: Option<String>,
    /// From this date (fuzzy date text).
    #[arg(long)]
    from: Option<String>,
    /// Up to this date, included.
    #[arg(long)]
    to: Option<String>,
    /// Page size; with --after, pages through a long timeline.
    #[arg(long)]
    limit: Option<usize>,
    /// Cursor of the last entry already seen.
    #[arg(long)]
    after: Option<String>,
}

pub fn run(store: &mut Store, out: &Out, t: TimelineArgs) -> Result<()> {
    let filter = Filter { kinds: t.kinds, party: t.party, tag: t.tag, from: t.from, to: t.to, text: None };
    let db = store.reader();
    let case = case::get(db, &t.case)?;
    match (t.limit, t.after) {
        (None, None) => out.timeline(&case, &timeline::all(db, &case.id, &filter)?, None),
        (limit, after) => {
            let page = timeline::page(db, &case.id, &filter, after.as_deref(), limit.unwrap_or(100))?;
            out.timeline(&case, &page.entries, page.next.as_deref())
        }
    }
}
