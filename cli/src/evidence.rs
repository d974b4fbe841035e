//! `dossier evidence`: Evidence: files, URLs, publications, and their links to records.

use std::path::PathBuf;

use clap::Subcommand;
use dossier_core::record::evidence::{self, EvidenceInput, FileInput, LinkInput, QuoteInput};
use dossier_core::store::text::FileText;
use dossier_core::vocabulary::{EvidenceKind, TextState};
use dossier_core::{Result, Store};

use crate::fields::{edit, set, PrivateFlag};
use crate::output::Out;

#[derive(Subcommand)]
pub enum EvidenceCmd {
    List {
        /// The case, by its slug or id.
        case: String,
    },
    Show {
        /// Its id, as `list` prints it.
        id: String,
    },
    /// Copy a file into the evidence store and read its text (PDF, Word, OpenDocument, scans by OCR).
    AddFile {
        /// The case, by its slug or id.
        case: String,
        /// The file to copy in (any kind; its SHA-256 names it in the store).
        path: PathBuf,
        /// Do not wait for the text to be read: it stays waiting (`dossier evidence extract`, or the
        /// app, reads it).
        #[arg(long)]
        no_wait: bool,
        /// Its title, as it will read in the timeline.
        #[arg(long, default_value = "")]
        title: String,
        /// Its date, as precise as it is known: 2023-05-18, 2023-03, ~2023-04, <2023-06-07, … (--help: every form).
        #[arg(long, default_value = "", long_help = crate::help::DATE)]
        date: String,
        /// A note of yours about it (Markdown).
        #[arg(long, default_value = "")]
        note: String,
    },
    AddUrl {
        /// The case, by its slug or id.
        case: String,
        /// Where it can be read (http or https).
        url: String,
        /// Its title, as it will read in the timeline.
        #[arg(long)]
        title: String,
        /// Who published it (a newspaper, a site, an agency).
        #[arg(long, default_value = "")]
        publisher: String,
        /// Its date, as precise as it is known: 2023-05-18, 2023-03, ~2023-04, <2023-06-07, … (--help: every form).
        #[arg(long, default_value = "", long_help = crate::help::DATE)]
        date: String,
        /// A note of yours about it (Markdown).
        #[arg(long, default_value = "")]
        note: String,
    },
    AddPublication {
        /// The case, by its slug or id.
        case: String,
        /// Its title, as it will read in the timeline.
        #[arg(long)]
        title: String,
        /// Who published it (a newspaper, a site, an agency).
        #[arg(long)]
        publisher: String,
        /// Its date, as precise as it is known: 2023-05-18, 2023-03, ~2023-04, <2023-06-07, … (--help: every form).
        #[arg(long, default_value = "", long_help = crate::help::DATE)]
        date: String,
        /// Where it can be read (http or https).
        #[arg(long, default_value = "")]
        url: String,
        /// A note of yours about it (Markdown).
        #[arg(long, default_value = "")]
        note: String,
    },
    Edit {
        /// Its id, as `list` prints it.
        id: String,
        /// Its title, as it will read in the timeline.
        #[arg(long)]
        title: Option<String>,
        /// Where it can be read (http or https).
        #[arg(long)]
        url: Option<String>,
        /// Who published it (a newspaper, a site, an agency).
        #[arg(long)]
        publisher: Option<String>,
        /// Its date, as precise as it is known: 2023-05-18, 2023-03, ~2023-04, <2023-06-07, … (--help: every form).
        #[arg(long, long_help = crate::help::DATE)]
        date: Option<String>,
        /// A note of yours about it (Markdown).
        #[arg(long)]
        note: Option<String>,
        #[command(flatten)]
        private: PrivateFlag,
    },
    Delete {
        /// Its id, as `list` prints it.
        id: String,
    },
    /// In a team space: fetch from the server the files another member added (an evidence id, a
    /// case's, or --all), each checked against its SHA-256.
    Fetch {
        /// The evidence's id.
        #[arg(required_unless_present_any = ["case", "all"])]
        id: Option<String>,
        /// Every file of this case.
        #[arg(long, conflicts_with = "id")]
        case: Option<String>,
        /// Every file the space has that this device lacks.
        #[arg(long, conflicts_with_all = ["id", "case"])]
        all: bool,
    },
    /// Link evidence to any record.
    Link {
        /// The evidence's id.
        evidence: String,
        /// The record it supports: any record's id (event, letter, allegation, …).
        record: String,
        /// "p. 2", "§ 4", "¶ 3".
        #[arg(long, default_value = "")]
        pinpoint: String,
        /// A note of yours about it (Markdown).
        #[arg(long, default_value = "")]
        note: String,
        /// The exact words cited from the document (the pinpoint, left empty, is made from them).
        #[arg(long)]
        quote: Option<String>,
        /// The page the quote is on (1 is the first).
        #[arg(long, requires = "quote")]
        page: Option<i64>,
    },
    Unlink {
        /// The evidence's id.
        evidence: String,
        /// The record it was linked to.
        record: String,
        /// Where in the evidence (p. 3, ¶ 12, 00:14:05); empty for the link without one.
        #[arg(long, default_value = "")]
        pinpoint: String,
    },
    /// Print where a stored file is.
    Path {
        /// Its id, as `list` prints it.
        id: String,
        /// Of a captured web page, its screenshot or its text instead of its WARC file.
        #[arg(long, value_parser = ["screenshot", "text"])]
        part: Option<String>,
    },
    /// Print the text read from a file, page by page.
    Text {
        /// Its id, as `list` prints it.
        id: String,
        /// Only this page (1 is the first).
        #[arg(long)]
        page: Option<i64>,
    },
    /// Read the text of a file again, or of every file still waiting to be read.
    Extract {
        /// The evidence; without it, every file waiting.
        id: Option<String>,
    },
}

pub fn run(store: &mut Store, out: &Out, cmd: EvidenceCmd) -> Result<()> {
    match cmd {
        EvidenceCmd::List { case } => out.list(&evidence::list(store.reader(), &case)?, |e| {
            let what = match (&e.sha256, &e.url) {
                (Some(sha), _) => format!("{} bytes, sha256 {sha}", e.size.unwrap_or(0)),
                (None, Some(url)) => url.clone(),
                (None, None) => e.publisher.clone().unwrap_or_default(),
            };
            format!("[{}] {} — {what} — supports {} records", e.kind, e.title, e.links.len())
        }),
        EvidenceCmd::Show { id } => {
            let e = evidence::get(store.reader(), &id)?;
            out.show(&e)?;
            match &e.text {
                Some(text) if !out.is_json() => out.message(&text_state(text, out)),
                _ => Ok(()),
            }
        }
        EvidenceCmd::AddFile { case, path, title, date, note, no_wait } => {
            let mut e = evidence::add_file(store, &FileInput { case, path, title, date: out.typed(date), note })?;
            if !no_wait && e.text.as_ref().is_some_and(|t| t.state == TextState::Pending) {
                // The evidence has committed: a reading that fails leaves it added, and says so.
                match read_text(store, out, &e.id) {
                    Ok(read) => e = read,
                    Err(error) => text_not_read(&format!("the evidence {} was added", e.id), &error),
                }
            }
            out.created(&e.id, &e)
        }
        EvidenceCmd::AddUrl { case, url, title, publisher, date, note } => {
            let e = evidence::create(
                store,
                &EvidenceInput {
                    case,
                    kind: EvidenceKind::Url.to_string(),
                    title,
                    url,
                    publisher,
                    date: out.typed(date),
                    note,
                },
            )?;
            out.created(&e.id, &e)
        }
        EvidenceCmd::AddPublication { case, title, publisher, date, url, note } => {
            let input = EvidenceInput {
                case,
                kind: EvidenceKind::Publication.to_string(),
                title,
                url,
                publisher,
                date: out.typed(date),
                note,
            };
            let e = evidence::create(store, &input)?;
            out.created(&e.id, &e)
        }
        EvidenceCmd::Edit { id, title, url, publisher, date, note, private } => {
            let current = evidence::get(store.reader(), &id)?;
            let mut input = current.to_input();
            set(&mut input.title, title);
            set(&mut input.url, url);
            set(&mut input.publisher, publisher);
            set(&mut input.date, out.typed_opt(date));
            set(&mut input.note, note);
            let ids = (current.id.as_str(), current.updated_at.as_str());
            let e = edit(store, ids, (&current.to_input(), &input), &private, evidence::update, evidence::get)?;
            out.updated(&e.id, &e)
        }
        EvidenceCmd::Fetch { id, case, all } => crate::team::fetch(store, out, id, case, all),
        EvidenceCmd::Delete { id } => {
            evidence::delete(store, &id)?;
            out.deleted(&id)
        }
        EvidenceCmd::Link { evidence: e, record, pinpoint, note, quote, page } => {
            let quote = quote.map(|exact| QuoteInput { page, exact, ..Default::default() });
            let link = evidence::link(store, &LinkInput { evidence: e, record, pinpoint, note, quote })?;
            out.show(&link)
        }
        EvidenceCmd::Unlink { evidence: e, record, pinpoint } => {
            evidence::unlink(store, &e, &record, &pinpoint)?;
            out.message("unlinked")
        }
        EvidenceCmd::Path { id, part: None } => out.message(&evidence::file_path(store, &id)?.display().to_string()),
        EvidenceCmd::Path { id, part: Some(part) } => {
            out.message(&evidence::capture::part_path(store, &id, &part)?.display().to_string())
        }
        EvidenceCmd::Text { id, page } => {
            let pages = evidence::text(store.reader(), &id, page)?;
            let single = page.is_some() || pages.len() == 1;
            let lines: Vec<String> = pages
                .iter()
                .map(|p| if single { p.text.clone() } else { format!("── page {} ──\n{}", p.page, p.text) })
                .collect();
            out.either(&pages, &lines)
        }
        EvidenceCmd::Extract { id } => {
            let read = match id {
                Some(id) => vec![read_text(store, out, &id)?],
                None => read_waiting(store, out)?,
            };
            let lines: Vec<String> =
                read.iter().filter_map(|e| Some(format!("{}  {}", e.id, text_state(e.text.as_ref()?, out)))).collect();
            out.either(&read, &lines)
        }
    }
}

/// Says on stderr that the text of files could not be read after `saved` (what did commit), and how to
/// read it later.
pub fn text_not_read(saved: &str, error: &dossier_core::Error) {
    eprintln!(
        "dossier: warning: {saved}, but its text was not read: {error}; `dossier evidence extract` reads it later"
    );
}

/// Reads the text of every file still waiting to be read (after an import that brought documents).
pub fn read_waiting(store: &mut Store, out: &Out) -> Result<Vec<evidence::Evidence>> {
    let mut read = Vec::new();
    for id in evidence::waiting(store.reader())? {
        read.push(read_text(store, out, &id)?);
    }
    Ok(read)
}

/// Reads the text of the file of evidence `id`, with a progress bar on a terminal for pages read by
/// OCR; a file that cannot be read is said on stderr (the evidence stays as it is).
pub fn read_text(store: &mut Store, out: &Out, id: &str) -> Result<evidence::Evidence> {
    let bar = indicatif::ProgressBar::new(0).with_message("reading pages by OCR");
    let e = evidence::read_text(store, id, &mut |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
        true
    });
    bar.finish_and_clear();
    let e = e?;
    // A failure, or a reading that kept only part of the text (its OCR budget spent), is said.
    if let Some(text) = e.text.as_ref().filter(|t| t.state == TextState::Failed || !t.error.is_empty()) {
        eprintln!("dossier: note: {}: {}", e.title, text_state(text, out));
    }
    Ok(e)
}

/// Where the reading of a file's text stands, in a sentence.
fn text_state(text: &FileText, out: &Out) -> String {
    let lang = out.language();
    match (text.state, text.method) {
        (TextState::Done, Some(method)) => {
            let pages = if text.pages == 1 { "1 page".to_string() } else { format!("{} pages", text.pages) };
            let problem = if text.error.is_empty() { String::new() } else { format!(" — {}", text.error) };
            format!("text: {pages} extracted ({}){problem}", method.word(lang))
        }
        (TextState::Failed | TextState::Stopped, _) => format!("text: {} — {}", text.state.word(lang), text.error),
        (state, _) => format!("text: {}", state.word(lang)),
    }
}
