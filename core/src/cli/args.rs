//! Argument definitions and the dispatch from each subcommand to the one core function it wraps.
//! Edits start from the record as stored (`to_input`) and override only the flags given.

use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};

use super::output::Out;
use crate::demo;
use crate::error::{Error, Result};
use crate::record::agreement::{self, ClauseInput};
use crate::record::allegation::{self, StatusInput};
use crate::record::attribution::AttributionInput;
use crate::record::case::{self, CaseInput};
use crate::record::evidence::{self, EvidenceInput, FileInput, LinkInput};
use crate::record::party::{self, AffiliationInput, PartyInput};
use crate::record::{event, letter, response};
use crate::record::{role, PartyRef};
use crate::store::Store;
use crate::transfer::{self, ExportRequest, ImportRequest};
use crate::view::timeline::{self, Filter};

#[derive(Parser)]
#[command(
    name = "dossier",
    version,
    about = "Keep the record of a dispute: parties, letters, allegations, responses, events, evidence, timeline"
)]
pub struct Cli {
    /// Database file (default: the desktop app's, in the per-user data directory).
    #[arg(long, global = true, env = "DOSSIER_DB")]
    pub db: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// Language of dates and labels in text output.
    #[arg(long, global = true, default_value = "en", value_parser = ["en", "fr"])]
    pub lang: String,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Load the demo cases (skips those already present).
    Demo,
    /// Cases: list, show, add, edit, delete.
    #[command(subcommand)]
    Case(CaseCmd),
    /// Parties (shared by all cases) and their roles in a case.
    #[command(subcommand)]
    Party(PartyCmd),
    /// Agreements and their clauses.
    #[command(subcommand)]
    Agreement(AgreementCmd),
    /// Letters and other correspondence.
    #[command(subcommand)]
    Letter(LetterCmd),
    /// Allegations and their status history.
    #[command(subcommand)]
    Allegation(AllegationCmd),
    /// Responses to allegations.
    #[command(subcommand)]
    Response(ResponseCmd),
    /// Events.
    #[command(subcommand)]
    Event(EventCmd),
    /// Evidence: files, URLs, publications, and links to records.
    #[command(subcommand)]
    Evidence(EvidenceCmd),
    /// Print a case's timeline.
    Timeline(TimelineArgs),
    /// Search every text of the record: words, "exact phrases", prefix*, -excluded.
    Search {
        query: String,
        /// Only this case.
        #[arg(long)]
        case: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Export a case: md (summary), html (report), csv (chronology), json (bundle), ics (deadlines).
    Export {
        case: String,
        #[arg(long, value_parser = ["md", "html", "csv", "json", "ics"])]
        format: String,
        /// Output file (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// For json with -o: also copy the evidence files into files/ beside the bundle.
        #[arg(long)]
        with_files: bool,
    },
    /// Import a JSON bundle, a CSV chronology or an .eml e-mail. Nothing is written unless all of it imports.
    Import {
        file: PathBuf,
        /// json, csv or eml (default: from the file's extension).
        #[arg(long, default_value = "")]
        format: String,
        /// The case a CSV or e-mail goes into.
        #[arg(long = "case", default_value = "")]
        case: String,
        /// For a bundle whose case exists: add what is missing instead of refusing.
        #[arg(long)]
        merge: bool,
    },
    /// Show how a date is understood (no database needed).
    Date { text: String },
    /// Check the change log's hash chain.
    Verify,
}

#[derive(Subcommand)]
pub enum CaseCmd {
    List,
    Show {
        case: String,
    },
    Add(CaseFields),
    Edit {
        case: String,
        #[command(flatten)]
        fields: CaseFields,
    },
    Delete {
        case: String,
    },
}

#[derive(Args)]
pub struct CaseFields {
    #[arg(long)]
    title: Option<String>,
    #[arg(long)]
    slug: Option<String>,
    /// open, in_litigation, dormant, settled or closed.
    #[arg(long)]
    status: Option<String>,
    /// Markdown.
    #[arg(long)]
    summary: Option<String>,
    /// Repeat for several; replaces the tags on edit.
    #[arg(long = "tag")]
    tags: Option<Vec<String>>,
}

#[derive(Subcommand)]
pub enum PartyCmd {
    /// Every party, or those with a role in --case.
    List {
        #[arg(long)]
        case: Option<String>,
    },
    Show {
        party: String,
    },
    Add(PartyFields),
    Edit {
        party: String,
        #[command(flatten)]
        fields: PartyFields,
    },
    Delete {
        party: String,
    },
    /// Give a party a role in a case.
    Role {
        case: String,
        party: String,
        /// claimant, respondent, counsel, third_party, regulator, court, reporter, source, witness, other.
        role: String,
        /// For counsel: the party represented.
        #[arg(long = "for")]
        on_behalf_of: Option<String>,
    },
    /// Take a role away.
    Unrole {
        case: String,
        party: String,
        role: String,
    },
}

#[derive(Args)]
pub struct PartyFields {
    #[arg(long)]
    name: Option<String>,
    /// organisation, person, public_body, court or media.
    #[arg(long)]
    kind: Option<String>,
    #[arg(long)]
    description: Option<String>,
    #[arg(long = "alias")]
    aliases: Option<Vec<String>>,
    /// ORGANISATION=ROLE, e.g. "Microsoft=spokesperson".
    #[arg(long = "affiliation")]
    affiliations: Option<Vec<String>>,
}

#[derive(Subcommand)]
pub enum AgreementCmd {
    List {
        case: String,
    },
    Show {
        id: String,
    },
    Add {
        case: String,
        #[command(flatten)]
        fields: AgreementFields,
    },
    Edit {
        id: String,
        #[command(flatten)]
        fields: AgreementFields,
    },
    Delete {
        id: String,
    },
    /// Add a clause to an agreement.
    ClauseAdd {
        agreement: String,
        #[arg(long = "ref")]
        reference: String,
        #[arg(long, default_value = "")]
        text: String,
    },
    ClauseEdit {
        clause: String,
        #[arg(long = "ref")]
        reference: Option<String>,
        #[arg(long)]
        text: Option<String>,
    },
    ClauseDelete {
        clause: String,
    },
}

#[derive(Args)]
pub struct AgreementFields {
    #[arg(long)]
    title: Option<String>,
    #[arg(long)]
    kind: Option<String>,
    #[arg(long = "party")]
    parties: Option<Vec<String>>,
    #[arg(long)]
    effective: Option<String>,
    #[arg(long)]
    terminated: Option<String>,
    #[arg(long)]
    terms: Option<String>,
}

#[derive(Subcommand)]
pub enum LetterCmd {
    List {
        case: String,
    },
    Show {
        id: String,
    },
    Add {
        case: String,
        #[command(flatten)]
        fields: LetterFields,
    },
    Edit {
        id: String,
        #[command(flatten)]
        fields: LetterFields,
    },
    Delete {
        id: String,
    },
}

#[derive(Args)]
pub struct LetterFields {
    /// letter, email, press_statement, social_media, court_filing, call, meeting, other.
    #[arg(long)]
    channel: Option<String>,
    /// Sending party.
    #[arg(long = "from")]
    sender: Option<String>,
    /// The person who signed or spoke.
    #[arg(long = "person")]
    sender_person: Option<String>,
    #[arg(long)]
    to: Option<Vec<String>>,
    #[arg(long)]
    cc: Option<Vec<String>>,
    #[arg(long)]
    subject: Option<String>,
    #[arg(long)]
    body: Option<String>,
    #[arg(long)]
    date: Option<String>,
    /// When an answer is due ("" to clear).
    #[arg(long)]
    deadline: Option<String>,
    /// Id of the letter this one answers.
    #[arg(long = "reply-to")]
    in_reply_to: Option<String>,
    #[arg(long = "tag")]
    tags: Option<Vec<String>>,
    /// Order among items of the same date.
    #[arg(long)]
    position: Option<i64>,
}

#[derive(Args, Default)]
pub struct AttributionFlags {
    /// Who asserts it (party).
    #[arg(long)]
    asserted_by: Option<String>,
    /// Which source reports it (party).
    #[arg(long)]
    reported_by: Option<String>,
    /// How it was reported ("statement to Reuters").
    #[arg(long)]
    how: Option<String>,
    /// confirmed, reported, alleged or rumoured.
    #[arg(long)]
    certainty: Option<String>,
}

impl AttributionFlags {
    /// The attribution the flags describe, if any flag was given.
    fn to_input(&self, default_certainty: &str) -> Option<AttributionInput> {
        if self.asserted_by.is_none() && self.reported_by.is_none() && self.how.is_none() && self.certainty.is_none() {
            return None;
        }
        Some(AttributionInput {
            asserted_by: self.asserted_by.clone().unwrap_or_default(),
            reported_by: self.reported_by.clone().unwrap_or_default(),
            how: self.how.clone().unwrap_or_default(),
            certainty: self.certainty.clone().unwrap_or_else(|| default_certainty.to_string()),
        })
    }
}

#[derive(Subcommand)]
pub enum AllegationCmd {
    List {
        case: String,
    },
    Show {
        id: String,
    },
    Add {
        case: String,
        #[command(flatten)]
        fields: AllegationFields,
    },
    Edit {
        id: String,
        #[command(flatten)]
        fields: AllegationFields,
    },
    Delete {
        id: String,
    },
    /// Record a change of status.
    Status {
        id: String,
        /// alleged, under_review, disputed, admitted, withdrawn, upheld, dismissed.
        status: String,
        #[arg(long)]
        date: String,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long, default_value_t = 0)]
        position: i64,
    },
}

#[derive(Args)]
pub struct AllegationFields {
    /// Who alleges it.
    #[arg(long = "by")]
    made_by: Option<String>,
    #[arg(long)]
    against: Option<String>,
    /// Id of the letter or event it was raised in.
    #[arg(long)]
    raised_in: Option<String>,
    /// Id of the agreement it invokes.
    #[arg(long)]
    agreement: Option<String>,
    /// Id of a clause it cites (repeat).
    #[arg(long = "clause")]
    clauses: Option<Vec<String>>,
    #[arg(long)]
    summary: Option<String>,
    #[arg(long)]
    detail: Option<String>,
    /// When raised (default: the date of the letter or event).
    #[arg(long)]
    date: Option<String>,
    #[arg(long = "tag")]
    tags: Option<Vec<String>>,
    #[arg(long)]
    position: Option<i64>,
    #[command(flatten)]
    attribution: AttributionFlags,
}

#[derive(Subcommand)]
pub enum ResponseCmd {
    List {
        case: String,
    },
    Show {
        id: String,
    },
    Add(ResponseFields),
    Edit {
        id: String,
        #[command(flatten)]
        fields: ResponseFields,
    },
    Delete {
        id: String,
    },
}

#[derive(Args)]
pub struct ResponseFields {
    /// Id of an allegation answered (repeat).
    #[arg(long = "to")]
    allegations: Option<Vec<String>>,
    #[arg(long)]
    by: Option<String>,
    /// Id of the letter or statement carrying the answer.
    #[arg(long)]
    letter: Option<String>,
    /// denies, admits, partly_admits, will_review, no_comment.
    #[arg(long)]
    stance: Option<String>,
    #[arg(long)]
    text: Option<String>,
    #[arg(long)]
    date: Option<String>,
    #[arg(long = "tag")]
    tags: Option<Vec<String>>,
    #[arg(long)]
    position: Option<i64>,
    #[command(flatten)]
    attribution: AttributionFlags,
}

#[derive(Subcommand)]
pub enum EventCmd {
    List {
        case: String,
    },
    Show {
        id: String,
    },
    Add {
        case: String,
        #[command(flatten)]
        fields: EventFields,
    },
    Edit {
        id: String,
        #[command(flatten)]
        fields: EventFields,
    },
    Delete {
        id: String,
    },
}

#[derive(Args)]
pub struct EventFields {
    #[arg(long)]
    title: Option<String>,
    #[arg(long)]
    date: Option<String>,
    #[arg(long)]
    description: Option<String>,
    #[arg(long = "party")]
    parties: Option<Vec<String>>,
    #[arg(long = "tag")]
    tags: Option<Vec<String>>,
    #[arg(long)]
    position: Option<i64>,
    #[command(flatten)]
    attribution: AttributionFlags,
}

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

#[derive(Args)]
pub struct TimelineArgs {
    case: String,
    /// Only these kinds (repeat or comma-separate): event, letter, allegation, response, status_change,
    /// deadline, agreement, evidence.
    #[arg(long = "kind")]
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

fn set<T>(target: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *target = v;
    }
}

fn attribution_list(current: &mut Vec<AttributionInput>, flags: &AttributionFlags, default_certainty: &str) {
    if let Some(a) = flags.to_input(default_certainty) {
        *current = vec![a];
    }
}

pub fn dispatch(store: &mut Store, cli: Cli, db: &Path) -> Result<()> {
    let out = Out::new(cli.json, &cli.lang)?;
    match cli.command {
        Command::Demo => {
            let loaded = demo::load(store)?;
            out.loaded(&loaded, &demo::slugs(), db)
        }
        Command::Case(cmd) => case_cmd(store, &out, cmd),
        Command::Party(cmd) => party_cmd(store, &out, cmd),
        Command::Agreement(cmd) => agreement_cmd(store, &out, cmd),
        Command::Letter(cmd) => letter_cmd(store, &out, cmd),
        Command::Allegation(cmd) => allegation_cmd(store, &out, cmd),
        Command::Response(cmd) => response_cmd(store, &out, cmd),
        Command::Event(cmd) => event_cmd(store, &out, cmd),
        Command::Evidence(cmd) => evidence_cmd(store, &out, cmd),
        Command::Timeline(t) => {
            let filter = Filter { kinds: t.kinds, party: t.party, tag: t.tag, from: t.from, to: t.to, text: None };
            let case = case::get(store.conn(), &t.case)?;
            match (t.limit, t.after) {
                (None, None) => out.timeline(&case, &timeline::all(store.conn(), &case.id, &filter)?, None),
                (limit, after) => {
                    let page = timeline::page(store.conn(), &case.id, &filter, after.as_deref(), limit.unwrap_or(100))?;
                    out.timeline(&case, &page.entries, page.next.as_deref())
                }
            }
        }
        Command::Search { query, case, limit } => {
            out.hits(&crate::view::search::search(store.conn(), &query, case.as_deref(), limit)?)
        }
        Command::Export { case, format, output, with_files } => {
            let lang = out.lang_code();
            match output {
                Some(path) => {
                    let request = ExportRequest { case, format, path, lang: lang.into(), with_files };
                    let report = transfer::export(store, &request)?;
                    out.transferred(&report)
                }
                None if with_files => {
                    Err(Error::invalid("with-files", "needs an output file (-o) to put the files beside"))
                }
                None => {
                    let bytes = transfer::export_bytes(store, &case, &format, lang)?;
                    std::io::Write::write_all(&mut std::io::stdout().lock(), &bytes).map_err(|e| Error::io("stdout", e))
                }
            }
        }
        Command::Import { file, format, case, merge } => {
            let report = transfer::import(store, &ImportRequest { path: file, format, case, merge })?;
            out.transferred(&report)
        }
        Command::Date { .. } => unreachable!("handled before the database is opened"),
        Command::Verify => {
            let n = store.verify_change_log()?;
            out.message(&format!("change log verified: {n} entries, chain intact"))
        }
    }
}

fn case_cmd(store: &mut Store, out: &Out, cmd: CaseCmd) -> Result<()> {
    match cmd {
        CaseCmd::List => out.cases(&case::list(store.conn())?),
        CaseCmd::Show { case } => {
            let c = case::get(store.conn(), &case)?;
            let roles = role::roles(store.conn(), &c.id)?;
            out.case(&c, &roles)
        }
        CaseCmd::Add(f) => {
            let input = CaseInput {
                slug: f.slug.unwrap_or_default(),
                title: f.title.unwrap_or_default(),
                status: f.status.unwrap_or_default(),
                summary: f.summary.unwrap_or_default(),
                tags: f.tags.unwrap_or_default(),
            };
            let c = case::create(store, &input)?;
            out.created(&c.slug, &c)
        }
        CaseCmd::Edit { case, fields: f } => {
            let mut input = case::get(store.conn(), &case)?.to_input();
            set(&mut input.title, f.title);
            set(&mut input.slug, f.slug);
            set(&mut input.status, f.status);
            set(&mut input.summary, f.summary);
            set(&mut input.tags, f.tags);
            let c = case::update(store, &case, &input)?;
            out.updated(&c.slug, &c)
        }
        CaseCmd::Delete { case } => {
            case::delete(store, &case)?;
            out.deleted(&case)
        }
    }
}

fn parse_affiliations(values: Vec<String>) -> Result<Vec<AffiliationInput>> {
    values
        .into_iter()
        .map(|v| match v.split_once('=') {
            Some((org, role)) => Ok(AffiliationInput { organisation: org.trim().into(), role: role.trim().into() }),
            None => Err(Error::invalid("affiliation", format!("'{v}' is not ORGANISATION=ROLE"))),
        })
        .collect()
}

fn party_cmd(store: &mut Store, out: &Out, cmd: PartyCmd) -> Result<()> {
    match cmd {
        PartyCmd::List { case: None } => out.parties(&party::list(store.conn())?),
        PartyCmd::List { case: Some(case) } => {
            let id = case::resolve(store.conn(), &case)?;
            out.roles(&role::roles(store.conn(), &id)?)
        }
        PartyCmd::Show { party } => out.show(&party::get(store.conn(), &party)?),
        PartyCmd::Add(f) => {
            let input = PartyInput {
                name: f.name.unwrap_or_default(),
                kind: f.kind.unwrap_or_default(),
                description: f.description.unwrap_or_default(),
                aliases: f.aliases.unwrap_or_default(),
                affiliations: parse_affiliations(f.affiliations.unwrap_or_default())?,
            };
            let p = party::create(store, &input)?;
            out.created(&p.id, &p)
        }
        PartyCmd::Edit { party, fields: f } => {
            let mut input = party::get(store.conn(), &party)?.to_input();
            set(&mut input.name, f.name);
            set(&mut input.kind, f.kind);
            set(&mut input.description, f.description);
            set(&mut input.aliases, f.aliases);
            set(&mut input.affiliations, f.affiliations.map(parse_affiliations).transpose()?);
            let p = party::update(store, &party, &input)?;
            out.updated(&p.id, &p)
        }
        PartyCmd::Delete { party } => {
            party::delete(store, &party)?;
            out.deleted(&party)
        }
        PartyCmd::Role { case, party, role, on_behalf_of } => {
            role::add_role(store, &case, &party, &role, on_behalf_of.as_deref())?;
            out.message(&format!("{party} is {role} in {case}"))
        }
        PartyCmd::Unrole { case, party, role } => {
            role::remove_role(store, &case, &party, &role)?;
            out.message(&format!("{party} is no longer {role} in {case}"))
        }
    }
}

fn agreement_cmd(store: &mut Store, out: &Out, cmd: AgreementCmd) -> Result<()> {
    match cmd {
        AgreementCmd::List { case } => out.list(&agreement::list(store.conn(), &case)?, |a| {
            format!("{}  {}  ({} clauses)", a.effective.as_deref().unwrap_or("undated"), a.title, a.clauses.len())
        }),
        AgreementCmd::Show { id } => out.show(&agreement::get(store.conn(), &id)?),
        AgreementCmd::Add { case, fields } => {
            let mut input = agreement::AgreementInput { case, ..Default::default() };
            apply_agreement(&mut input, fields);
            let a = agreement::create(store, &input)?;
            out.created(&a.id, &a)
        }
        AgreementCmd::Edit { id, fields } => {
            let mut input = agreement::get(store.conn(), &id)?.to_input();
            apply_agreement(&mut input, fields);
            let a = agreement::update(store, &id, &input)?;
            out.updated(&a.id, &a)
        }
        AgreementCmd::Delete { id } => {
            agreement::delete(store, &id)?;
            out.deleted(&id)
        }
        AgreementCmd::ClauseAdd { agreement: a, reference, text } => {
            let c = agreement::add_clause(store, &a, &ClauseInput { reference, text })?;
            out.created(&c.id, &c)
        }
        AgreementCmd::ClauseEdit { clause, reference, text } => {
            let current = agreement::get_clause(store.conn(), &clause)?;
            let input =
                ClauseInput { reference: reference.unwrap_or(current.reference), text: text.unwrap_or(current.text) };
            let c = agreement::update_clause(store, &clause, &input)?;
            out.updated(&c.id, &c)
        }
        AgreementCmd::ClauseDelete { clause } => {
            agreement::delete_clause(store, &clause)?;
            out.deleted(&clause)
        }
    }
}

fn apply_agreement(input: &mut agreement::AgreementInput, f: AgreementFields) {
    set(&mut input.title, f.title);
    set(&mut input.kind, f.kind);
    set(&mut input.parties, f.parties);
    set(&mut input.effective, f.effective);
    set(&mut input.terminated, f.terminated);
    set(&mut input.terms, f.terms);
}

fn letter_cmd(store: &mut Store, out: &Out, cmd: LetterCmd) -> Result<()> {
    match cmd {
        LetterCmd::List { case } => out.list(&letter::list(store.conn(), &case)?, |l| {
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
        LetterCmd::Show { id } => out.show(&letter::get(store.conn(), &id)?),
        LetterCmd::Add { case, fields } => {
            let mut input = letter::LetterInput { case, ..Default::default() };
            apply_letter(&mut input, fields);
            let l = letter::create(store, &input)?;
            out.created(&l.id, &l)
        }
        LetterCmd::Edit { id, fields } => {
            let mut input = letter::get(store.conn(), &id)?.to_input();
            apply_letter(&mut input, fields);
            let l = letter::update(store, &id, &input)?;
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

fn apply_letter(input: &mut letter::LetterInput, f: LetterFields) {
    set(&mut input.channel, f.channel);
    set(&mut input.sender, f.sender);
    set(&mut input.sender_person, f.sender_person);
    set(&mut input.to, f.to);
    set(&mut input.cc, f.cc);
    set(&mut input.subject, f.subject);
    set(&mut input.body, f.body);
    set(&mut input.date, f.date);
    set(&mut input.deadline, f.deadline);
    set(&mut input.in_reply_to, f.in_reply_to);
    set(&mut input.tags, f.tags);
    set(&mut input.position, f.position);
}

fn allegation_cmd(store: &mut Store, out: &Out, cmd: AllegationCmd) -> Result<()> {
    match cmd {
        AllegationCmd::List { case } => out.list(&allegation::list(store.conn(), &case)?, |a| {
            format!(
                "{}  [{}] {} alleges against {}: {}",
                out.date_label(&a.date),
                a.status,
                a.made_by.name,
                a.against.name,
                a.summary
            )
        }),
        AllegationCmd::Show { id } => out.show(&allegation::get(store.conn(), &id)?),
        AllegationCmd::Add { case, fields } => {
            let mut input = allegation::AllegationInput { case, ..Default::default() };
            apply_allegation(&mut input, fields);
            let a = allegation::create(store, &input)?;
            out.created(&a.id, &a)
        }
        AllegationCmd::Edit { id, fields } => {
            let mut input = allegation::get(store.conn(), &id)?.to_input();
            apply_allegation(&mut input, fields);
            let a = allegation::update(store, &id, &input)?;
            out.updated(&a.id, &a)
        }
        AllegationCmd::Delete { id } => {
            allegation::delete(store, &id)?;
            out.deleted(&id)
        }
        AllegationCmd::Status { id, status, date, note, position } => {
            let a = allegation::set_status(store, &id, &StatusInput { status, date, note, position })?;
            out.updated(&a.id, &a)
        }
    }
}

fn apply_allegation(input: &mut allegation::AllegationInput, f: AllegationFields) {
    set(&mut input.made_by, f.made_by);
    set(&mut input.against, f.against);
    set(&mut input.raised_in, f.raised_in);
    set(&mut input.agreement, f.agreement);
    set(&mut input.clauses, f.clauses);
    set(&mut input.summary, f.summary);
    set(&mut input.detail, f.detail);
    set(&mut input.date, f.date);
    set(&mut input.tags, f.tags);
    set(&mut input.position, f.position);
    attribution_list(&mut input.attributions, &f.attribution, "alleged");
}

fn response_cmd(store: &mut Store, out: &Out, cmd: ResponseCmd) -> Result<()> {
    match cmd {
        ResponseCmd::List { case } => out.list(&response::list(store.conn(), &case)?, |r| {
            format!(
                "{}  {} {} ({} allegations): {}",
                out.date_label(&r.date),
                r.by.name,
                r.stance,
                r.allegations.len(),
                r.text
            )
        }),
        ResponseCmd::Show { id } => out.show(&response::get(store.conn(), &id)?),
        ResponseCmd::Add(fields) => {
            let mut input = response::ResponseInput::default();
            apply_response(&mut input, fields);
            let r = response::create(store, &input)?;
            out.created(&r.id, &r)
        }
        ResponseCmd::Edit { id, fields } => {
            let mut input = response::get(store.conn(), &id)?.to_input();
            apply_response(&mut input, fields);
            let r = response::update(store, &id, &input)?;
            out.updated(&r.id, &r)
        }
        ResponseCmd::Delete { id } => {
            response::delete(store, &id)?;
            out.deleted(&id)
        }
    }
}

fn apply_response(input: &mut response::ResponseInput, f: ResponseFields) {
    set(&mut input.allegations, f.allegations);
    set(&mut input.by, f.by);
    set(&mut input.letter, f.letter);
    set(&mut input.stance, f.stance);
    set(&mut input.text, f.text);
    set(&mut input.date, f.date);
    set(&mut input.tags, f.tags);
    set(&mut input.position, f.position);
    attribution_list(&mut input.attributions, &f.attribution, "reported");
}

fn event_cmd(store: &mut Store, out: &Out, cmd: EventCmd) -> Result<()> {
    match cmd {
        EventCmd::List { case } => {
            out.list(&event::list(store.conn(), &case)?, |e| format!("{}  {}", out.date_label(&e.date), e.title))
        }
        EventCmd::Show { id } => out.show(&event::get(store.conn(), &id)?),
        EventCmd::Add { case, fields } => {
            let mut input = event::EventInput { case, ..Default::default() };
            apply_event(&mut input, fields);
            let e = event::create(store, &input)?;
            out.created(&e.id, &e)
        }
        EventCmd::Edit { id, fields } => {
            let mut input = event::get(store.conn(), &id)?.to_input();
            apply_event(&mut input, fields);
            let e = event::update(store, &id, &input)?;
            out.updated(&e.id, &e)
        }
        EventCmd::Delete { id } => {
            event::delete(store, &id)?;
            out.deleted(&id)
        }
    }
}

fn apply_event(input: &mut event::EventInput, f: EventFields) {
    set(&mut input.title, f.title);
    set(&mut input.date, f.date);
    set(&mut input.description, f.description);
    set(&mut input.parties, f.parties);
    set(&mut input.tags, f.tags);
    set(&mut input.position, f.position);
    attribution_list(&mut input.attributions, &f.attribution, "reported");
}

fn evidence_cmd(store: &mut Store, out: &Out, cmd: EvidenceCmd) -> Result<()> {
    match cmd {
        EvidenceCmd::List { case } => out.list(&evidence::list(store.conn(), &case)?, |e| {
            let what = match (&e.sha256, &e.url) {
                (Some(sha), _) => format!("{} bytes, sha256 {sha}", e.size.unwrap_or(0)),
                (None, Some(url)) => url.clone(),
                (None, None) => e.publisher.clone().unwrap_or_default(),
            };
            format!("[{}] {} — {what} — supports {} records", e.kind, e.title, e.links.len())
        }),
        EvidenceCmd::Show { id } => out.show(&evidence::get(store.conn(), &id)?),
        EvidenceCmd::AddFile { case, path, title, date, note } => {
            let e = evidence::add_file(store, &FileInput { case, path, title, date, note })?;
            out.created(&e.id, &e)
        }
        EvidenceCmd::AddUrl { case, url, title, publisher, date, note } => {
            let e = evidence::create(
                store,
                &EvidenceInput { case, kind: "url".into(), title, url, publisher, date, note },
            )?;
            out.created(&e.id, &e)
        }
        EvidenceCmd::AddPublication { case, title, publisher, date, url, note } => {
            let input = EvidenceInput { case, kind: "publication".into(), title, url, publisher, date, note };
            let e = evidence::create(store, &input)?;
            out.created(&e.id, &e)
        }
        EvidenceCmd::Edit { id, title, url, publisher, date, note } => {
            let mut input = evidence::get(store.conn(), &id)?.to_input();
            set(&mut input.title, title);
            set(&mut input.url, url);
            set(&mut input.publisher, publisher);
            set(&mut input.date, date);
            set(&mut input.note, note);
            let e = evidence::update(store, &id, &input)?;
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
        EvidenceCmd::Path { id } => {
            let e = evidence::get(store.conn(), &id)?;
            let sha = e.sha256.ok_or_else(|| Error::invalid("evidence", format!("'{}' is not a file", e.title)))?;
            out.message(&evidence::blob_path(store, &sha).display().to_string())
        }
    }
}
