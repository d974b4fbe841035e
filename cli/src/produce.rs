//! `dossier produce` (a Bates-numbered volume of a case's documents, with its load files) and
//! `dossier bundle-pdf` (a hearing bundle: one PDF with an index, bookmarks and page numbers).

use std::path::PathBuf;

use clap::Args;
use dossier_core::transfer::produce::hearing::{self, HearingInput, SectionInput};
use dossier_core::transfer::produce::{self, ProduceInput, Selection};
use dossier_core::vocabulary::ProductionDisposition;
use dossier_core::{Error, Result, Store};

use crate::interrupt;
use crate::output::Out;

#[derive(Args)]
pub struct ProduceArgs {
    /// The case (slug or id).
    case: String,
    /// The Bates prefix stamped before each page's number (ACME → ACME000001).
    #[arg(long)]
    prefix: String,
    /// The folder the volume's own folder (VOL001, VOL002…) is made in.
    #[arg(long)]
    out: PathBuf,
    /// Only the documents that support a record with this tag.
    #[arg(long, default_value = "")]
    tag: String,
    /// Only the documents this search finds (as the search box takes it).
    #[arg(long, default_value = "")]
    search: String,
    /// Only the documents dated from this date on (any date Dossier reads).
    #[arg(long, default_value = "")]
    from: String,
    /// Only the documents dated up to this date.
    #[arg(long, default_value = "")]
    to: String,
    /// Only these documents, in this order (repeat; a redacted copy stands for its original).
    #[arg(long = "evidence", value_name = "ID")]
    evidence: Vec<String>,
    /// Printed at the foot of every page, left (CONFIDENTIAL).
    #[arg(long, default_value = "")]
    endorse: String,
    /// Digits the number is padded to.
    #[arg(long, default_value_t = 6)]
    digits: u32,
    /// The first number (default: one past the case's last production with this prefix).
    #[arg(long)]
    start: Option<u64>,
}

pub fn produce(store: &mut Store, out: &Out, args: ProduceArgs) -> Result<()> {
    let input = ProduceInput {
        case: args.case,
        prefix: args.prefix,
        digits: Some(args.digits),
        start: args.start,
        endorsement: args.endorse,
        selection: Selection {
            evidence: args.evidence,
            tag: args.tag,
            search: args.search,
            from: args.from,
            to: args.to,
        },
        lang: out.lang_code().into(),
    };
    let made = produce::produce(store, &input, &args.out, &|_: u64, _: u64| !interrupt::requested())?;
    let p = &made.production;
    let count = |d: ProductionDisposition| p.documents.iter().filter(|x| x.disposition == d).count();
    let mut lines = vec![format!(
        "volume {}: {} to {}, {}, {} ({} redacted, {} withheld as privileged, {} native)",
        p.volume,
        dossier_core::record::production::bates(&p.prefix, p.digits, p.first_number),
        dossier_core::record::production::bates(&p.prefix, p.digits, p.last_number),
        plural(made.pages as usize, "page"),
        plural(p.documents.len(), "document"),
        count(ProductionDisposition::Redacted),
        count(ProductionDisposition::Withheld),
        count(ProductionDisposition::Native),
    )];
    lines.push(made.folder.clone());
    out.either(&made, &lines)
}

#[derive(Args)]
pub struct BundleArgs {
    /// The case (slug or id).
    case: String,
    /// The PDF to write.
    #[arg(short, long)]
    output: PathBuf,
    /// The sections in order, each TITLE=ID,ID,… (its documents in order); default: every document
    /// of the case in one section, in date order.
    #[arg(long, value_name = "TITLE=ID,…", num_args = 1..)]
    sections: Vec<String>,
}

pub fn bundle(store: &Store, out: &Out, args: BundleArgs) -> Result<()> {
    let sections = args.sections.iter().map(|s| section(s)).collect::<Result<Vec<_>>>()?;
    let input = HearingInput { case: args.case, sections, lang: out.lang_code().into() };
    let made = hearing::write(store, &input, &args.output, &|_: u64, _: u64| !interrupt::requested())?;
    let documents: usize = made.sections.iter().map(|s| s.documents.len()).sum();
    let mut lines = vec![format!(
        "{}, {}, {}",
        plural(made.pages as usize, "page"),
        plural(made.sections.len(), "section"),
        plural(documents, "document")
    )];
    lines.extend(made.withheld.iter().map(|title| format!("left out as privileged: {title}")));
    lines.push(args.output.display().to_string());
    out.either(&made, &lines)
}

/// `Pleadings=ID1,ID2` as a section.
fn section(text: &str) -> Result<SectionInput> {
    let Some((title, ids)) = text.split_once('=') else {
        return Err(Error::rule(
            "sections",
            "bad_section",
            text.to_string(),
            format!("'{text}' is not a section: write TITLE=ID,ID,… (e.g. \"Correspondence=ab12,cd34\")"),
        ));
    };
    let evidence = ids.split(',').map(str::trim).filter(|id| !id.is_empty()).map(String::from).collect();
    Ok(SectionInput { title: title.trim().to_string(), evidence })
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
