//! `dossier capture`: a web page kept as evidence — fetched into a WARC file, drawn whole by headless
//! Chromium, its text read — as one piece of evidence of a case. Prints the new evidence's id last.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use dossier_capture::{Limits, Options};
use dossier_core::record::case;
use dossier_core::record::evidence::capture::{self, CaptureFiles, CaptureInput};
use dossier_core::{Result, Store};

use crate::output::Out;

#[derive(Args)]
pub struct CaptureArgs {
    /// The page's address (http or https).
    #[arg(required_unless_present = "from")]
    url: Option<String>,
    /// The case it is evidence of, by its slug or id.
    #[arg(long = "case")]
    case: String,
    /// Its title; left out, the page's own title.
    #[arg(long, default_value = "")]
    title: String,
    /// A note of yours about it (Markdown).
    #[arg(long, default_value = "")]
    note: String,
    /// Longest the page may take to arrive whole, redirects included, in seconds.
    #[arg(long, default_value_t = 60)]
    timeout: u64,
    /// Largest page kept, in MiB (what arrives beyond fails the capture).
    #[arg(long, default_value_t = 32)]
    max_size: u64,
    /// Keep the page without a screenshot (else taken by headless Chromium, /usr/bin/chromium or
    /// $DOSSIER_CHROMIUM; where it is missing the page is kept without one, and that is said).
    #[arg(long)]
    no_screenshot: bool,
    /// Keep an existing WARC or MHTML file (Webrecorder, Hunchly, a browser's "save as") as the
    /// capture, instead of fetching URL: its address and time are read from the file (the same as
    /// `dossier import FILE --case SLUG`).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["url", "timeout", "max_size", "no_screenshot"])]
    from: Option<PathBuf>,
}

pub fn run(store: &mut Store, out: &Out, args: CaptureArgs) -> Result<()> {
    // The case is looked up before anything is fetched, so a mistyped slug costs no download.
    let case = case::get(store.reader(), &args.case)?;
    let input = CaptureInput {
        case: case.id,
        title: args.title,
        note: args.note,
        archive: PathBuf::new(),
        ..Default::default()
    };
    if let Some(file) = args.from {
        let e = capture::add(store, &CaptureInput { archive: file, ..input })?;
        return out.created(&e.id, &e);
    }
    let options = Options {
        limits: Limits {
            bytes: usize::try_from(args.max_size.saturating_mul(1 << 20)).unwrap_or(usize::MAX),
            time: Duration::from_secs(args.timeout.max(1)),
        },
        screenshot: !args.no_screenshot,
        ..Options::default()
    };
    let captured = dossier_capture::capture(args.url.as_deref().unwrap_or_default(), &options)?;
    for warning in &captured.warnings {
        eprintln!("dossier: warning: {warning}");
    }
    let input = CaptureInput { screenshot_note: captured.screenshot_note.clone(), ..input };
    let files =
        CaptureFiles { name: captured.name, archive: captured.warc, screenshot: captured.screenshot, text: None };
    let e = capture::add_files(store, &input, files)?;
    out.created(&e.id, &e)
}
