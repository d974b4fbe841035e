//! `dossier evidence`: Evidence: files, URLs, publications, and their links to records.

use std::path::PathBuf;

use clap::Subcommand;
use dossier_core::record::evidence::{self, EvidenceInput, FileInput, LinkInput};
use dossier_core::vocabulary::EvidenceKind;
use dossier_core::{Result, Store};

use crate::fields::{edit, set, PrivateFlag};
use crate::output::Out;

#[derive(Subcommand)]
pub enum EvidenceCmd {
    List {
        case: String,
    },
    Show {
        id: String,
    },
    /// Copy a file into the evidence store.
    AddFile {
        case: String,
        path: PathBuf,
        #[arg(long, default_value = "")]
        title: String,
        #[arg(long, default_value = "")]
        date: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    AddUrl {
        case: String,
        url: String,
        #[arg(long)]
        title: String,
        #[arg(long, default_value = "")]
        publisher: String,
        #[arg(long, default_value = "")]
        date: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    AddPublication {
        case: String,
        #[arg(long)]
        title: String,
        #[arg(long)]
        publisher: String,
        #[arg(long, default_value = "")]
        date: String,
        #[arg(long, default_value = "")]
        url: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    Edit {
        id: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        url: Option<String>,
        #[arg(long)]
        publisher: Option<String>,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        note: Option<String>,
        #[command(flatten)]
        private: PrivateFlag,
    },
    Delete {
        id: String,
    },
    /// Link evidence to any record.
    Link {
        evidence: String,
        record: String,
        /// "p. 2", "§ 4", "¶ 3".
        #[arg(long, default_value = "")]
        pinpoint: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    Unlink {
        evidence: String,
        record: String,
        #[arg(long, default_value = "")]
        pinpoint: String,
    },
    /// Print where a stored file is.
    Path {
        id: String,
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
        EvidenceCmd::Show { id } => out.show(&evidence::get(store.reader(), &id)?),
        EvidenceCmd::AddFile { case, path, title, date, note } => {
            let e = evidence::add_file(store, &FileInput { case, path, title, date, note })?;
            out.created(&e.id, &e)
        }
        EvidenceCmd::AddUrl { case, url, title, publisher, date, note } => {
            let e = evidence::create(
                store,
                &EvidenceInput { case, kind: EvidenceKind::Url.to_string(), title, url, publisher, date, note },
            )?;
            out.created(&e.id, &e)
        }
        EvidenceCmd::AddPublication { case, title, publisher, date, url, note } => {
            let input =
                EvidenceInput { case, kind: EvidenceKind::Publication.to_string(), title, url, publisher, date, note };
            let e = evidence::create(store, &input)?;
            out.created(&e.id, &e)
        }
        EvidenceCmd::Edit { id, title, url, publisher, date, note, private } => {
            let current = evidence::get(store.reader(), &id)?;
            let mut input = current.to_input();
            set(&mut input.title, title);
            set(&mut input.url, url);
            set(&mut input.publisher, publisher);
            set(&mut input.date, date);
            set(&mut input.note, note);
            let ids = (current.id.as_str(), current.updated_at.as_str());
            let e = edit(store, ids, (&current.to_input(), &input), &private, evidence::update, evidence::get)?;
            out.updated(&e.id, &e)
        }
        EvidenceCmd::Delete { id } => {
            evidence::delete(store, &id)?;
            out.deleted(&id)
        }
        EvidenceCmd::Link { evidence: e, record, pinpoint, note } => {
            let link = evidence::link(store, &LinkInput { evidence: e, record, pinpoint, note })?;
            out.show(&link)
        }
        EvidenceCmd::Unlink { evidence: e, record, pinpoint } => {
            evidence::unlink(store, &e, &record, &pinpoint)?;
            out.message("unlinked")
        }
        EvidenceCmd::Path { id } => out.message(&evidence::file_path(store, &id)?.display().to_string()),
    }
}
