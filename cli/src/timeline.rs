//! `dossier timeline`: a case's chronology as text or JSON.

use clap::Args;
use dossier_core::record::case;
use dossier_core::view::timeline::{self, Filter};
use dossier_core::{Result, Store};

use crate::fields::ChronologyFlags;
use crate::output::Out;

#[derive(Args)]
pub struct TimelineArgs {
    /// The case, by its slug or id.
    case: String,
    #[command(flatten)]
    chronology: ChronologyFlags,
    /// Only the entries that involve or cite this party.
    #[arg(long, long_help = crate::help::PARTY)]
    party: Option<String>,
    /// Page size; with --after, pages through a long timeline.
    #[arg(long)]
    limit: Option<usize>,
    /// Cursor of the last entry already seen.
    #[arg(long)]
    after: Option<String>,
}

pub fn run(store: &mut Store, out: &Out, t: TimelineArgs) -> Result<()> {
    let c = t.chronology;
    let (from, to) = (out.typed_opt(c.from), out.typed_opt(c.to));
    let filter = Filter { kinds: c.kinds, party: t.party, tag: c.tag, from, to, text: None };
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
