//! The `dossier` command line: create, read, list, edit and delete every kind of record, add and link
//! evidence, print a case's timeline, search, export and import, and load the demo cases, without a
//! window. It parses arguments (clap), calls one `dossier_core` function per command and prints the
//! result as text or JSON. Errors go to stderr as one line and set a non-zero exit code that tells
//! their category.
//!
//! One file per subcommand family (`case.rs`, `party.rs`, …), each with its clap definitions and its
//! dispatch; `output.rs` prints; `fields.rs` holds what the record subcommands share.

mod agreement;
mod allegation;
mod capture;
mod case;
mod deadline;
mod docs;
mod erase;
mod event;
mod evidence;
mod fields;
mod help;
mod interrupt;
mod letter;
mod lock;
mod log_key;
mod output;
mod party;
mod privilege;
mod produce;
mod proof;
mod redact;
mod response;
mod team;
mod timeline;

use std::path::{Path, PathBuf};

use clap::{FromArgMatches, Parser, Subcommand};
use dossier_core::store::{is_encrypted, DB_ENV};
use dossier_core::transfer::export::ReportOptions;
use dossier_core::transfer::{self, ExportRequest, ImportRequest};
use dossier_core::view::search;
use dossier_core::vocabulary::Format;
use dossier_core::{demo, Error, ErrorCode, Result, Store};

use fields::{one_of, ReportFlags};
use output::Out;

#[derive(Parser)]
#[command(
    name = "dossier",
    version,
    about = "Keep the record of a dispute: parties, letters, allegations, responses, events, evidence, timeline"
)]
struct Cli {
    /// Database file (default: the desktop app's, in the per-user data directory).
    #[arg(long, global = true, env = DB_ENV)]
    db: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// Language of dates and labels in text output.
    #[arg(long, global = true, default_value = "en", value_parser = ["en", "fr"])]
    lang: String,
    /// File holding the passphrase of an encrypted database (else DOSSIER_PASSPHRASE, else a prompt on a
    /// terminal). For `encrypt`, the passphrase to encrypt with.
    #[arg(long, global = true)]
    passphrase_file: Option<PathBuf>,
    /// Open the database read-only: read, check and export, change nothing (a database this user
    /// cannot write is always opened so).
    #[arg(long, global = true)]
    read_only: bool,
    #[command(subcommand)]
    command: Command,
}

// The command line is parsed once per process: the size of the enum does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Show how a date is understood (no database needed).
    #[command(long_about = crate::help::DATES)]
    Date {
        /// The date as typed (see --help for every form).
        text: String,
    },
    /// Deadlines counted by rule in a court's calendar: `deadline compute` (no database needed).
    Deadline {
        #[command(subcommand)]
        command: deadline::DeadlineCommand,
    },
    /// Where this installation's change-log key is kept (the keyring or a file) and its id; move it
    /// (no database needed).
    #[command(long_about = crate::help::LOG_KEY)]
    LogKey(log_key::LogKeyArgs),
    #[command(flatten)]
    Stored(Stored),
}

/// The commands that work on a database.
#[derive(Subcommand)]
enum Stored {
    /// Load the demo cases (skips those already present).
    Demo,
    /// Build a synthetic case of N items in one bulk write (parties, agreements with
    /// clauses, letters in reply chains with deadlines, allegations with status histories, responses,
    /// events, evidence files and links; French and English; every date precision). Same seed, same case.
    Gen {
        /// The new case's slug.
        #[arg(long = "case")]
        case: String,
        /// How many items the case gets (events, letters, allegations, evidence… in proportion).
        #[arg(long)]
        items: usize,
        /// The seed of the random choices: the same seed gives the same case.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Cases: list, show, add, edit, delete.
    #[command(subcommand)]
    Case(case::CaseCmd),
    /// Parties (shared by all cases) and their roles in a case.
    #[command(subcommand)]
    Party(party::PartyCmd),
    /// Agreements and their clauses.
    #[command(subcommand)]
    Agreement(agreement::AgreementCmd),
    /// Letters and other correspondence.
    #[command(subcommand)]
    Letter(letter::LetterCmd),
    /// Allegations and their status history.
    #[command(subcommand)]
    Allegation(allegation::AllegationCmd),
    /// Responses to allegations.
    #[command(subcommand)]
    Response(response::ResponseCmd),
    /// Events.
    #[command(subcommand)]
    Event(event::EventCmd),
    /// Evidence: files, URLs, publications, and links to records.
    #[command(subcommand)]
    Evidence(evidence::EvidenceCmd),
    /// Capture a web page as evidence: the page as fetched (WARC, with every redirect and header),
    /// a screenshot of the whole page and its text, each hashed, with the capture time; prints the
    /// new evidence's id last.
    Capture(capture::CaptureArgs),
    /// Print a case's timeline.
    Timeline(timeline::TimelineArgs),
    /// The unanswered response deadlines of every case still being worked, overdue ones first.
    Upcoming {
        /// How many days ahead to look.
        #[arg(long, default_value_t = 14)]
        days: u32,
    },
    /// Search every text of the record: words, "exact phrases", prefix*, -excluded.
    Search {
        /// Words to find: "an exact phrase", prefix*, -excluded; other forms of a word match too.
        query: String,
        /// Only this case.
        #[arg(long)]
        case: Option<String>,
        /// The most hits to list (the best first).
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Export a case: md (summary), html (report), docx (Word), pdf, csv (chronology), json (bundle), ics (deadlines);
    /// to publish, without private records: site (a folder: -o DIR), timelinejs (TimelineJS JSON).
    Export {
        /// The case, by its slug or id.
        case: String,
        /// What to write.
        #[arg(long, value_parser = one_of(Format::EXPORTS))]
        format: String,
        /// Output file, or folder for a site (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// For json with -o: also copy the evidence files into files/ beside the bundle.
        #[arg(long)]
        with_files: bool,
        /// For json: also every record's history, with its earlier versions (text an edit removed
        /// included). Without it the bundle holds the records as they are now.
        #[arg(long)]
        with_history: bool,
        /// For json with --with-history: who made each change, with the system user's name; without
        /// it, only "cli" or "app".
        #[arg(long, requires = "with_history")]
        with_actors: bool,
        /// The case as it stood at the end of this date (2023-04-20, 2023-04, 2023), rebuilt from the
        /// change log.
        #[arg(long)]
        as_of: Option<String>,
        /// For site and timelinejs: refuse to publish when a published text names a private party
        /// (each is always reported on stderr).
        #[arg(long)]
        strict: bool,
        #[command(flatten)]
        report: ReportFlags,
    },
    /// Import a JSON bundle, a chronology (CSV, .xlsx, .ods) or e-mail. Nothing is written unless all of it imports.
    Import {
        /// The file to import: a .json bundle, a .csv chronology or one in an .xlsx or .ods workbook,
        /// an .eml e-mail, an .mbox mailbox, a folder of .eml files, an Outlook .msg message or .pst
        /// archive.
        file: PathBuf,
        /// Default: from the file's extension.
        #[arg(long, default_value = "", value_parser = one_of(Format::IMPORTS))]
        format: String,
        /// The case a CSV or e-mail goes into.
        #[arg(long = "case", default_value = "")]
        case: String,
        /// For a bundle whose case exists: add what is missing instead of refusing.
        #[arg(long)]
        merge: bool,
        /// For a CSV chronology: create the parties it names that do not exist yet (as organisations).
        #[arg(long)]
        create_parties: bool,
        /// For a workbook (.xlsx, .ods): the sheet the chronology is on (default: the first).
        #[arg(long, default_value = "")]
        sheet: String,
    },
    /// Check only that the change log's entries are chained to each other (`check` checks everything).
    ///
    /// A log cut short is still a chain: this cannot tell whether entries were removed from the end of
    /// the log, nor whether the records still match what it logged. `dossier check` does both, against
    /// the anchor kept beside the database (or the head it printed before).
    Verify,
    /// Check that the record is as Dossier wrote it: the database file, the change log's chain and its
    /// head against an anchor, every record against its last logged image, every evidence file
    /// against its SHA-256. Exit code 7 names each problem.
    Check {
        /// The head to compare the log with (ENTRY:HASH, as `check` printed it before); default: the
        /// anchor kept beside the database.
        #[arg(long)]
        anchor: Option<String>,
    },
    /// Erase a record, a piece of evidence, a party or a whole case for real: its content leaves the
    /// tables, every change-log entry that held it, the search index, the evidence store and the
    /// copies beside the database, and one logged entry says what was erased and why (never what it
    /// held). The change log still verifies. Unlike delete, it cannot be undone.
    Erase(erase::EraseArgs),
    /// Mark a record privileged (withheld from productions and publication, listed in the privilege
    /// log: `export SLUG --format privilege-log`), or clear the mark with --clear.
    Privilege(privilege::PrivilegeArgs),
    /// Make a redacted copy of a document (a PDF; a picture as a PDF of itself, its words read by OCR;
    /// a Word, OpenDocument or e-mail file as a PDF of its text): what lies under each box, or what --find, --party and --pattern find, is gone from the
    /// copy (its text and its drawing), which is kept as new evidence beside the unchanged original;
    /// prints the copy's id last. --dry-run lists what would be redacted and writes nothing.
    Redact(redact::RedactArgs),
    /// Produce a case's documents as a numbered volume in a new folder of --out: every page stamped
    /// with its Bates number (continuing from the case's last production), redacted copies in place
    /// of their originals, privileged documents withheld behind a slip sheet, other files as natives;
    /// with the .dat/.opt load files, each document's text, an index and the privilege log.
    Produce(produce::ProduceArgs),
    /// Share this database with a team through a PostgreSQL server, end to end sealed: start or join a
    /// space, add and remove members, see and settle conflicts (`dossier team --help`).
    #[command(subcommand)]
    Team(team::TeamCmd),
    /// Send this database's writes to its team space and take in the others' (`--watch`: as they come).
    Sync(team::SyncArgs),
    /// Make a hearing bundle: one PDF of the chosen documents in sections, with an index linking each
    /// to its page, a bookmark per section and document, and every page numbered from 1.
    BundlePdf(produce::BundleArgs),
    /// What each write changed in one record: when, by whom, before → after.
    History {
        /// The record's id (any kind).
        id: String,
    },
    /// Replace the whole database with a backup (checked first; the current one is kept beside it).
    Restore {
        /// The backup's database file (its .files/ and .key beside it).
        path: PathBuf,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Copy the whole database, its evidence files and its key file to a new PATH (PATH.files/,
    /// PATH.key): a backup of an encrypted database is encrypted and opens with the same passphrase.
    Backup {
        /// A new file for the copy (nothing is overwritten).
        path: PathBuf,
    },
    /// Encrypt the database and its evidence files under a passphrase (SQLCipher, XChaCha20-Poly1305).
    Encrypt,
    /// Turn an encrypted database back into a plaintext one.
    Decrypt,
    /// Change the passphrase of an encrypted database (the record is not rewritten).
    Passphrase {
        /// File holding the new passphrase (else DOSSIER_NEW_PASSPHRASE, else a prompt on a terminal).
        #[arg(long)]
        new_passphrase_file: Option<PathBuf>,
    },
}

fn main() {
    // Before anything else, and before any thread starts (see the function).
    lock::take_from_environment();
    // Before clap: the package's step is no subcommand, so no page or completion names it.
    if let Some(dir) = docs::requested() {
        std::process::exit(docs::run(&dir));
    }
    let cli = Cli::from_arg_matches(&help::command().get_matches()).unwrap_or_else(|e| e.exit());
    interrupt::handle();
    let result = run(cli);
    // Stopped by a signal: its thread says what was saved and exits; this one must not beat it to it.
    interrupt::wait_if_requested();
    let code = match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("dossier: {}", output::visible(&one_line(&e.to_string())));
            exit_code(&e)
        }
    };
    std::process::exit(code);
}

/// Exit codes: 2 invalid input (as clap's own usage errors), 3 not found, 4 conflict, 5 database
/// written by a newer version, 6 a key not at hand (an encrypted database without its passphrase, or
/// this installation's log key in a locked or unreachable keyring), 7
/// `check` found problems, 8 the database was busy (another window or command writing), 9 an import
/// or an export was stopped (`cancelled`), 10 the team server cannot be reached (`offline`), 11 the team
/// server or the team's rules refused (`rejected`), 12 the change log or the team's log was altered
/// (`tampered`), 13 this device was removed from the team (`revoked`), 14 the team server was restored
/// from an older backup (`rolled_back`), 1 anything else.
fn exit_code(e: &Error) -> i32 {
    match e.code() {
        ErrorCode::InvalidInput => 2,
        ErrorCode::NotFound => 3,
        ErrorCode::Conflict => 4,
        ErrorCode::SchemaTooNew => 5,
        ErrorCode::Locked => 6,
        ErrorCode::Busy => 8,
        ErrorCode::Cancelled => 9,
        ErrorCode::Offline => 10,
        ErrorCode::Rejected => 11,
        ErrorCode::Tampered => 12,
        ErrorCode::Revoked => 13,
        ErrorCode::RolledBack => 14,
        ErrorCode::Io | ErrorCode::Database | ErrorCode::Internal => 1,
    }
}

fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn run(cli: Cli) -> Result<i32> {
    let out = Out::new(cli.json, &cli.lang)?;
    let command = match cli.command {
        Command::Date { text } => return out.date(&text).map(|()| 0),
        Command::Deadline { command } => return deadline::run(&out, command).map(|()| 0),
        Command::LogKey(args) => return log_key::run(&out, args).map(|()| 0),
        Command::Stored(command) => command,
    };
    let (path, is_default) = match cli.db {
        Some(p) => (p, false),
        None => (
            Store::default_path().ok_or_else(|| {
                Error::rule("database", "no_data_dir", None, "no per-user data directory; pass --db PATH")
            })?,
            true,
        ),
    };
    let passphrase_file = cli.passphrase_file.as_deref();
    match &command {
        Stored::Encrypt => return lock::encrypt(&out, &path, passphrase_file).map(|()| 0),
        Stored::Decrypt => return lock::decrypt(&out, &path, passphrase_file).map(|()| 0),
        Stored::Passphrase { new_passphrase_file } => {
            return lock::change(&out, &path, passphrase_file, new_passphrase_file.as_deref()).map(|()| 0)
        }
        Stored::Team(team::TeamCmd::ServerSql { role }) => return team::server_sql(role.as_deref()).map(|()| 0),
        Stored::Restore { path: source, yes } => {
            let given = if passphrase_file.is_some() { lock::passphrase(passphrase_file)? } else { None };
            return proof::restore(&out, &path, source, *yes, given.as_ref()).map(|()| 0);
        }
        _ => {}
    }
    let fresh = !path.exists();
    let passphrase = if is_encrypted(&path) { lock::passphrase(passphrase_file)? } else { None };
    let mut store = if cli.read_only {
        Store::open_read_only(&path, passphrase.as_ref())?
    } else {
        Store::open_with(&path, passphrase.as_ref())?
    };
    // The embedded default database starts with the demo cases, as the desktop app does.
    store.set_actor("cli");
    if is_default && fresh {
        demo::load_if_empty(&mut store)?;
    }
    if let Stored::Check { anchor } = &command {
        return proof::check(&out, &store, anchor.as_deref());
    }
    let done = dispatch(&mut store, &out, command, &path).map(|()| 0);
    for warning in store.take_warnings() {
        eprintln!("dossier: warning: {}", output::visible(&one_line(&warning)));
    }
    done
}

/// How far a long import or export is, as a bar on stderr when it is a terminal (indicatif draws
/// nothing otherwise).
fn progress_bar() -> Result<indicatif::ProgressBar> {
    let style =
        indicatif::ProgressStyle::with_template("{wide_bar} {percent:>3}%  {elapsed} elapsed, about {eta} left")
            .map_err(|e| Error::internal(format!("progress bar: {e}")))?;
    Ok(indicatif::ProgressBar::new(0).with_style(style))
}

fn dispatch(store: &mut Store, out: &Out, command: Stored, db: &Path) -> Result<()> {
    match command {
        Stored::Demo => {
            let loaded = demo::load(store)?;
            out.loaded(&loaded, &demo::slugs(), db)
        }
        Stored::Gen { case, items, seed } => {
            let started = std::time::Instant::now();
            let made = dossier_core::generate::generate(store, &case, items, seed)?;
            if out.is_json() {
                return out.show(&made);
            }
            out.message(&format!(
                "generated '{}' in {:.1} s: {} events, {} letters, {} evidence ({} links), {} allegations ({} status changes), {} responses, {} agreements ({} clauses), {} parties",
                made.case_slug,
                started.elapsed().as_secs_f64(),
                made.events,
                made.letters,
                made.evidence,
                made.links,
                made.allegations,
                made.status_changes,
                made.responses,
                made.agreements,
                made.clauses,
                made.parties
            ))
        }
        Stored::Case(cmd) => case::run(store, out, cmd),
        Stored::Party(cmd) => party::run(store, out, cmd),
        Stored::Agreement(cmd) => agreement::run(store, out, cmd),
        Stored::Letter(cmd) => letter::run(store, out, cmd),
        Stored::Allegation(cmd) => allegation::run(store, out, cmd),
        Stored::Response(cmd) => response::run(store, out, cmd),
        Stored::Event(cmd) => event::run(store, out, cmd),
        Stored::Evidence(cmd) => evidence::run(store, out, cmd),
        Stored::Capture(args) => capture::run(store, out, args),
        Stored::Timeline(args) => timeline::run(store, out, args),
        Stored::Upcoming { days } => deadline::upcoming(store, out, days),
        Stored::Search { query, case, limit } => {
            out.hits(&search::search(store.reader(), &query, case.as_deref(), limit)?)
        }
        Stored::Export { case, format, output, with_files, with_history, with_actors, as_of, strict, report } => {
            let options = ReportOptions { with_history, with_actors, ..report.options(out) };
            let past;
            let source = match &as_of {
                Some(when) => {
                    past = dossier_core::transfer::as_of::as_of(store, when)?;
                    if dossier_core::record::case::resolve(past.reader(), &case).is_err() {
                        return Err(Error::rule(
                            "as-of",
                            "not_yet",
                            case.clone(),
                            format!("the case '{case}' did not exist yet at the end of {when}"),
                        ));
                    }
                    &past
                }
                None => &*store,
            };
            // Private names in what is published are told before anything is written.
            for named in transfer::before_export(source, &case, &format, strict)? {
                eprintln!("dossier: warning: {}", output::visible(&one_line(&named.describe())));
            }
            let lang = out.lang_code();
            let bar = progress_bar()?;
            // Ctrl-C asks the export to stop: it then removes what it had written and fails with
            // `cancelled`, rather than the process ending with the file half written (`interrupt`).
            let _stops_itself = interrupt::stops_itself();
            let watch = |done: u64, total: u64| {
                bar.set_length(total);
                bar.set_position(done);
                !interrupt::requested()
            };
            let exported = match output {
                Some(path) => {
                    let request = ExportRequest { case, format, path, lang: lang.into(), with_files, options };
                    transfer::export_watched(source, &request, &watch).map(Some)
                }
                None if with_files => Err(Error::rule(
                    "with-files",
                    "needs_output",
                    None,
                    "needs an output file (-o) to put the files beside",
                )),
                None => {
                    if source.is_encrypted() {
                        eprintln!("dossier: note: this export is not encrypted");
                    }
                    let mut stdout = std::io::stdout().lock();
                    transfer::export_to(source, &case, &format, lang, &options, &mut stdout, &watch)
                        .and_then(|_| std::io::Write::flush(&mut stdout).map_err(|e| Error::io("stdout", e)))
                        .map(|()| None)
                }
            };
            bar.finish_and_clear();
            match exported? {
                Some(mut report) => {
                    transfer::note_export(store, &mut report);
                    out.transferred(&report)
                }
                None => Ok(()),
            }
        }
        Stored::Import { file, format, case, merge, create_parties, sheet } => {
            let request = ImportRequest { path: file, format, case, merge, create_parties, sheet };
            // Ctrl-C stops the import inside its transaction, so nothing of it is written (see
            // `interrupt`).
            let bar = progress_bar()?;
            let report = transfer::import_watched(store, &request, &|done: u64, total: u64| {
                bar.set_length(total);
                bar.set_position(done);
                !interrupt::requested()
            });
            bar.finish_and_clear();
            let report = report?;
            // Documents the import brought (attachments) are read now, as `evidence add-file` does. The
            // import has committed: a reading that fails leaves it done, and says so.
            if let Err(e) = evidence::read_waiting(store, out) {
                evidence::text_not_read("the import was saved", &e);
            }
            out.transferred(&report)
        }
        Stored::Verify => {
            // Worded so it cannot pass for a full check: a log cut at its end is still a valid chain.
            let n = store.verify_change_log()?;
            let remain = if n == 1 {
                "the 1 entry of the change log that remains is".to_string()
            } else {
                format!("the {n} entries of the change log that remain are")
            };
            out.message(&format!(
                "{remain} chained; this does not tell whether entries were removed from the end or the records changed: `dossier check` does"
            ))
        }
        Stored::Backup { path } => proof::backup(out, store, db, &path),
        Stored::History { id } => proof::history(out, store, &id),
        Stored::Erase(args) => erase::run(store, out, args),
        Stored::Privilege(args) => privilege::run(store, out, args),
        Stored::Redact(args) => redact::run(store, out, args),
        Stored::Produce(args) => produce::produce(store, out, args),
        Stored::BundlePdf(args) => produce::bundle(store, out, args),
        Stored::Team(cmd) => team::run(store, out, cmd),
        Stored::Sync(args) => team::sync(store, out, args),
        Stored::Encrypt
        | Stored::Decrypt
        | Stored::Passphrase { .. }
        | Stored::Restore { .. }
        | Stored::Check { .. } => Err(Error::internal("handled before the database is opened")),
    }
}
