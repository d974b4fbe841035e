//! Case summaries for people outside Dossier: a Markdown summary, one self-contained HTML report a
//! paralegal can send or print, the chronology as a CSV spreadsheet, and the response deadlines as an
//! iCalendar file. Every function only reads (`&Connection`); nothing here writes.
//!
//! # What each format does with the record
//!
//! - **Dates** are shown as recorded, in words ("about April 2023"), next to the recorded form
//!   (`~2023-04`), so no export invents a precision the record does not have.
//! - **Evidence** is numbered E1, E2, … in the evidence index (ordered by title, as
//!   [`evidence::list`] gives it); the chronology, allegations and letters cite it by that number with
//!   the pinpoint of each link ("E1 (¶ 5)").
//! - **Markdown** ([`markdown`]): user text that sits inside the structure (titles, names, table cells,
//!   headings) has the characters Markdown reads as syntax backslash-escaped (`|`, `*`, `_`, `[`, `` ` ``,
//!   `<`, `#`, …) and line breaks folded to spaces. Multi-line Markdown the user wrote (letter bodies,
//!   agreement terms, clause texts, allegation details, notes) is included as written inside a
//!   blockquote, so an unclosed code fence or a heading in it cannot swallow the sections that follow.
//!   The case summary is the case's own Markdown and is included as written.
//! - **HTML** ([`html`]): every piece of user text is HTML-escaped; every Markdown field goes through
//!   [`crate::markdown::to_safe_html`] (ammonia). The document adds no script, no event-handler
//!   attribute and no URL of its own other than `#anchors` and the http(s) URLs of evidence, and is not
//!   post-processed by anything that could put one back. The CSS is embedded (one file to send), with
//!   A4 page margins and a page break before each section when printed.
//! - **CSV** ([`csv()`]): one row per timeline entry, UTF-8 with a byte-order mark and CRLF line ends (what
//!   Excel needs to read UTF-8; LibreOffice accepts it too), comma-separated, quoted by the csv crate.
//!   Formula injection: a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
//!   leading apostrophe, so a spreadsheet shows it as text instead of running it. The `date`, `from`, `to`
//!   and `evidence_count` columns are written by Dossier itself (a fuzzy date starts with a digit, `~`, `<`
//!   or `>`; bounds are ISO dates; the count is a number), never start with one of those characters and
//!   are left untouched, so `date` always reads back with [`crate::date::FuzzyDate::parse`].
//!   [`crate::transfer::import::csv_chronology`] removes the apostrophe again when it reads such a file.
//! - **ICS** ([`ics`]): one all-day VEVENT per response deadline; see [`ics`] for fuzzy deadlines.

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, Utc};
use icalendar::{Component as _, EventLike as _};
use rusqlite::Connection;

use crate::date::{FuzzyDate, Lang, Point, Qualifier};
use crate::error::{Error, Result};
use crate::markdown::to_safe_html;
use crate::record::attribution::Attribution;
use crate::record::{agreement, allegation, case, event, evidence, letter, party, response};
use crate::record::{role, PartyRef};
use crate::view::timeline;

/// Appends one formatted line to a `String`. Writing to a `String` cannot fail, so the `fmt::Result`
/// is dropped here once rather than at every line.
macro_rules! put {
    ($out:expr) => {
        $out.push('\n')
    };
    ($out:expr, $($arg:tt)*) => {{
        let _ = writeln!($out, $($arg)*);
    }};
}

/// Everything a summary shows, read once.
struct Record {
    case: case::Case,
    /// Parties with a role in the case, in role order, each once, with all their roles.
    cast: Vec<(party::Party, Vec<role::CaseRole>)>,
    roles: Vec<role::CaseRole>,
    entries: Vec<timeline::Entry>,
    agreements: Vec<agreement::Agreement>,
    allegations: Vec<allegation::Allegation>,
    responses: HashMap<String, response::Response>,
    threads: Vec<letter::ThreadItem>,
    deadlines: Vec<letter::Deadline>,
    evidence: Vec<evidence::Evidence>,
    /// For each record id, the evidence that supports it: (evidence number, pinpoint).
    sources: HashMap<String, Vec<(usize, String)>>,
    /// Event descriptions by event id (the chronology shows them under the title).
    descriptions: HashMap<String, String>,
}

impl Record {
    fn read(conn: &Connection, key: &str) -> Result<Record> {
        let case = case::get(conn, key)?;
        let roles = role::roles(conn, &case.id)?;
        let mut cast: Vec<(party::Party, Vec<role::CaseRole>)> = Vec::new();
        for role in &roles {
            match cast.iter_mut().find(|(p, _)| p.id == role.party_id) {
                Some((_, rs)) => rs.push(role.clone()),
                None => cast.push((party::get(conn, &role.party_id)?, vec![role.clone()])),
            }
        }
        let evidence = evidence::list(conn, &case.id)?;
        let mut sources: HashMap<String, Vec<(usize, String)>> = HashMap::new();
        for (i, e) in evidence.iter().enumerate() {
            for l in &e.links {
                sources.entry(l.record_id.clone()).or_default().push((i + 1, l.pinpoint.clone()));
            }
        }
        for list in sources.values_mut() {
            list.sort();
        }
        let descriptions = event::list(conn, &case.id)?
            .into_iter()
            .filter(|e| !e.description.trim().is_empty())
            .map(|e| (e.id, e.description))
            .collect();
        let responses = response::list(conn, &case.id)?.into_iter().map(|r| (r.id.clone(), r)).collect();
        Ok(Record {
            entries: timeline::all(conn, &case.id, &timeline::Filter::default())?,
            agreements: agreement::list(conn, &case.id)?,
            allegations: allegation::list(conn, &case.id)?,
            threads: letter::threads(conn, &case.id)?,
            deadlines: letter::deadlines(conn, &case.id)?,
            responses,
            cast,
            roles,
            evidence,
            sources,
            descriptions,
            case,
        })
    }

    /// "E1 (¶ 2; ¶ 5), E3" for a record, or "" when no evidence supports it.
    fn sources_text(&self, record_id: &str) -> String {
        group_sources(self.sources.get(record_id).map(Vec::as_slice).unwrap_or_default())
            .into_iter()
            .map(|(n, pins)| if pins.is_empty() { format!("E{n}") } else { format!("E{n} ({})", pins.join("; ")) })
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn letter_subject(&self, id: &str) -> Option<&str> {
        self.threads.iter().find(|t| t.letter.id == id).map(|t| t.letter.subject.as_str())
    }
}

/// Groups (evidence number, pinpoint) pairs by evidence number, dropping empty pinpoints.
fn group_sources(list: &[(usize, String)]) -> Vec<(usize, Vec<String>)> {
    let mut out: Vec<(usize, Vec<String>)> = Vec::new();
    for (n, pin) in list {
        if out.last().map_or(true, |(last, _)| last != n) {
            out.push((*n, Vec::new()));
        }
        if let Some((_, pins)) = out.last_mut() {
            if !pin.is_empty() {
                pins.push(pin.clone());
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Labels

/// The fixed words of the reports, in one language.
struct Labels {
    report: &'static str,
    contents: &'static str,
    summary: &'static str,
    parties: &'static str,
    signatories: &'static str,
    chronology: &'static str,
    agreements: &'static str,
    allegations: &'static str,
    correspondence: &'static str,
    evidence: &'static str,
    status: &'static str,
    tags: &'static str,
    generated_on: &'static str,
    date: &'static str,
    what: &'static str,
    who: &'static str,
    attribution: &'static str,
    sources: &'static str,
    name: &'static str,
    kind: &'static str,
    roles: &'static str,
    affiliations: &'static str,
    aliases: &'static str,
    on_behalf_of: &'static str,
    effective: &'static str,
    terminated: &'static str,
    terms: &'static str,
    clauses: &'static str,
    reference: &'static str,
    text: &'static str,
    made_by: &'static str,
    against: &'static str,
    raised_in: &'static str,
    raised_on: &'static str,
    agreement: &'static str,
    current_status: &'static str,
    history: &'static str,
    responses: &'static str,
    no_response: &'static str,
    note: &'static str,
    stance: &'static str,
    in_letter: &'static str,
    deadlines: &'static str,
    deadline: &'static str,
    state: &'static str,
    answered: &'static str,
    overdue: &'static str,
    pending: &'static str,
    letters: &'static str,
    from: &'static str,
    to: &'static str,
    cc: &'static str,
    channel: &'static str,
    subject: &'static str,
    in_reply_to: &'static str,
    title: &'static str,
    sha256: &'static str,
    size: &'static str,
    bytes: &'static str,
    original_name: &'static str,
    url: &'static str,
    publisher: &'static str,
    supports: &'static str,
    none: &'static str,
    reported_by: &'static str,
    dates_note: &'static str,
    attribution_note: &'static str,
    evidence_note: &'static str,
}

const EN: Labels = Labels {
    report: "Case summary",
    contents: "Contents",
    summary: "Summary",
    parties: "Cast of characters",
    signatories: "Parties",
    chronology: "Chronology",
    agreements: "Agreements and clauses",
    allegations: "Allegations",
    correspondence: "Correspondence",
    evidence: "Evidence index",
    status: "Status",
    tags: "Tags",
    generated_on: "Generated on",
    date: "Date",
    what: "What",
    who: "Who",
    attribution: "Attribution",
    sources: "Sources",
    name: "Name",
    kind: "Kind",
    roles: "Role in the case",
    affiliations: "Affiliations",
    aliases: "Also known as",
    on_behalf_of: "for",
    effective: "In effect from",
    terminated: "Ended",
    terms: "Terms",
    clauses: "Clauses",
    reference: "Reference",
    text: "Text",
    made_by: "Made by",
    against: "Against",
    raised_in: "Raised in",
    raised_on: "Raised",
    agreement: "Agreement",
    current_status: "Current status",
    history: "Status history",
    responses: "Responses",
    no_response: "No response recorded.",
    note: "Note",
    stance: "Stance",
    in_letter: "In",
    deadlines: "Response deadlines",
    deadline: "Reply due",
    state: "State",
    answered: "answered",
    overdue: "overdue",
    pending: "open",
    letters: "Letters and statements",
    from: "From",
    to: "To",
    cc: "Cc",
    channel: "Channel",
    subject: "Subject",
    in_reply_to: "In reply to",
    title: "Title",
    sha256: "SHA-256",
    size: "Size",
    bytes: "bytes",
    original_name: "File name",
    url: "URL",
    publisher: "Publisher",
    supports: "Supports",
    none: "None recorded.",
    reported_by: "reported by",
    dates_note: "Dates are as precise as the record: “about”, “before”, “after” and “between” say how much is known; the recorded form is shown beside the words.",
    attribution_note: "Statements are attributed to who asserts them and who reports them; an allegation is not a finding.",
    evidence_note: "Files are identified by their SHA-256 digest: a copy with the same digest is the same file, byte for byte.",
};

const FR: Labels = Labels {
    report: "Synthèse du dossier",
    contents: "Sommaire",
    summary: "Résumé",
    parties: "Intervenants",
    signatories: "Parties",
    chronology: "Chronologie",
    agreements: "Accords et clauses",
    allegations: "Allégations",
    correspondence: "Correspondance",
    evidence: "Index des pièces",
    status: "Statut",
    tags: "Étiquettes",
    generated_on: "Généré le",
    date: "Date",
    what: "Quoi",
    who: "Qui",
    attribution: "Attribution",
    sources: "Sources",
    name: "Nom",
    kind: "Nature",
    roles: "Rôle dans le dossier",
    affiliations: "Rattachements",
    aliases: "Autres noms",
    on_behalf_of: "pour le compte de",
    effective: "En vigueur depuis",
    terminated: "Fin",
    terms: "Conditions",
    clauses: "Clauses",
    reference: "Référence",
    text: "Texte",
    made_by: "Formulée par",
    against: "Contre",
    raised_in: "Formulée dans",
    raised_on: "Date",
    agreement: "Accord",
    current_status: "Statut actuel",
    history: "Historique du statut",
    responses: "Réponses",
    no_response: "Aucune réponse enregistrée.",
    note: "Note",
    stance: "Position",
    in_letter: "Dans",
    deadlines: "Échéances de réponse",
    deadline: "Réponse attendue",
    state: "État",
    answered: "répondu",
    overdue: "en retard",
    pending: "en attente",
    letters: "Courriers et déclarations",
    from: "De",
    to: "À",
    cc: "Cc",
    channel: "Canal",
    subject: "Objet",
    in_reply_to: "En réponse à",
    title: "Titre",
    sha256: "SHA-256",
    size: "Taille",
    bytes: "octets",
    original_name: "Nom du fichier",
    url: "URL",
    publisher: "Éditeur",
    supports: "Étaye",
    none: "Aucun élément enregistré.",
    reported_by: "rapporté par",
    dates_note: "Les dates sont aussi précises que le dossier : « vers », « avant », « après » et « entre » disent ce qui est connu ; la forme enregistrée figure à côté.",
    attribution_note: "Chaque déclaration est attribuée à qui l’affirme et à qui la rapporte ; une allégation n’est pas un fait établi.",
    evidence_note: "Les fichiers sont identifiés par leur empreinte SHA-256 : une copie de même empreinte est le même fichier, octet pour octet.",
};

fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    }
}

/// The words for the closed vocabularies (statuses, roles, kinds, stances, channels, certainties).
const VOCABULARY: &[(&str, &str, &str)] = &[
    // Case statuses.
    ("open", "open", "ouvert"),
    ("in_litigation", "in litigation", "en contentieux"),
    ("dormant", "dormant", "en sommeil"),
    ("settled", "settled", "réglé"),
    ("closed", "closed", "clos"),
    // Allegation statuses.
    ("alleged", "alleged", "allégué"),
    ("under_review", "under review", "en cours d’examen"),
    ("disputed", "disputed", "contesté"),
    ("admitted", "admitted", "reconnu"),
    ("withdrawn", "withdrawn", "retiré"),
    ("upheld", "upheld", "retenu"),
    ("dismissed", "dismissed", "rejeté"),
    // Roles.
    ("claimant", "claimant", "demandeur"),
    ("respondent", "respondent", "défendeur"),
    ("counsel", "counsel", "conseil"),
    ("third_party", "third party", "tiers"),
    ("regulator", "regulator", "régulateur"),
    ("court", "court", "juridiction"),
    ("reporter", "reporter", "média"),
    ("source", "source", "source"),
    ("witness", "witness", "témoin"),
    ("other", "other", "autre"),
    // Party kinds.
    ("organisation", "organisation", "organisation"),
    ("person", "person", "personne"),
    ("public_body", "public body", "organisme public"),
    ("media", "media", "média"),
    // Stances.
    ("denies", "denies", "conteste"),
    ("admits", "admits", "reconnaît"),
    ("partly_admits", "partly admits", "reconnaît en partie"),
    ("will_review", "will review", "va examiner"),
    ("no_comment", "no comment", "sans commentaire"),
    // Channels.
    ("letter", "letter", "courrier"),
    ("email", "e-mail", "courriel"),
    ("press_statement", "press statement", "communiqué de presse"),
    ("social_media", "social media", "réseaux sociaux"),
    ("court_filing", "court filing", "acte de procédure"),
    ("call", "call", "appel"),
    ("meeting", "meeting", "réunion"),
    // Certainties.
    ("confirmed", "confirmed", "confirmé"),
    ("reported", "reported", "rapporté"),
    ("rumoured", "rumoured", "rumeur"),
    // Evidence kinds.
    ("file", "file", "fichier"),
    ("url", "web page", "page web"),
    ("publication", "publication", "publication"),
    // Timeline kinds.
    ("agreement_effective", "agreement takes effect", "entrée en vigueur"),
    ("agreement_terminated", "agreement ends", "fin de l’accord"),
    ("event", "event", "événement"),
    ("allegation", "allegation", "allégation"),
    ("response", "response", "réponse"),
    ("status_change", "status change", "changement de statut"),
    ("deadline", "reply due", "réponse attendue"),
    ("evidence", "evidence", "pièce"),
];

/// A vocabulary value in words; an unknown value is shown with its underscores as spaces.
fn word(lang: Lang, value: &str) -> String {
    match VOCABULARY.iter().find(|(k, _, _)| *k == value) {
        Some((_, en, fr)) => match lang {
            Lang::En => en.to_string(),
            Lang::Fr => fr.to_string(),
        },
        None => value.replace('_', " "),
    }
}

/// A stored date in words ("about April 2023"); a text that does not parse is shown as stored.
fn words(date: &str, lang: Lang) -> String {
    FuzzyDate::parse(date).map(|d| d.display(lang)).unwrap_or_else(|_| date.to_string())
}

fn attribution_text(a: &Attribution, lang: Lang) -> String {
    let l = labels(lang);
    let certainty = word(lang, &a.certainty);
    let mut s = match (&a.asserted_by, &a.reported_by) {
        (Some(who), Some(by)) => format!("{who} ({certainty}), {} {by}", l.reported_by),
        (Some(who), None) => format!("{who} ({certainty})"),
        (None, Some(by)) => format!("{} {by} ({certainty})", l.reported_by),
        (None, None) => certainty,
    };
    if !a.how.is_empty() {
        s.push_str(" — ");
        s.push_str(&a.how);
    }
    s
}

fn attributions_text(list: &[Attribution], lang: Lang) -> String {
    list.iter().map(|a| attribution_text(a, lang)).collect::<Vec<_>>().join("; ")
}

/// What a chronology entry says, in words: the title, with the new status for a status change.
fn entry_what(e: &timeline::Entry, lang: Lang) -> String {
    match (&e.status, e.kind.as_str()) {
        (Some(status), _) => format!("{} → {}", e.title, word(lang, status)),
        _ => e.title.clone(),
    }
}

fn roles_text(roles: &[role::CaseRole], lang: Lang) -> String {
    roles
        .iter()
        .map(|r| match &r.on_behalf_of {
            Some(b) => format!("{} {} {b}", word(lang, &r.role), labels(lang).on_behalf_of),
            None => word(lang, &r.role),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn affiliations_text(p: &party::Party) -> String {
    p.affiliations.iter().map(|a| format!("{}, {}", a.role, a.organisation)).collect::<Vec<_>>().join("; ")
}

fn names(list: &[PartyRef]) -> String {
    list.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
}

fn sender_text(l: &letter::Letter) -> String {
    match &l.sender_person {
        Some(p) => format!("{} ({})", l.sender.name, p.name),
        None => l.sender.name.clone(),
    }
}

fn deadline_state(d: &letter::Deadline, lang: Lang) -> &'static str {
    let l = labels(lang);
    if d.answered {
        l.answered
    } else if d.overdue {
        l.overdue
    } else {
        l.pending
    }
}

/// "1,234" in English, "1 234" in French.
fn thousands(n: i64, lang: Lang) -> String {
    let digits = n.unsigned_abs().to_string();
    let sep = match lang {
        Lang::En => ",",
        Lang::Fr => "\u{202f}",
    };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push_str(sep);
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

// ---------------------------------------------------------------------------------------------
// Markdown

/// Escapes user text placed inside Markdown structure (a heading, a list item, a table cell): the
/// characters Markdown could read as syntax are backslash-escaped and line breaks become spaces.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut last_space = false;
    for c in text.chars() {
        match c {
            '\r' | '\n' | '\t' => {
                if !last_space {
                    out.push(' ');
                }
                last_space = true;
                continue;
            }
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '&' | '!' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
        last_space = c == ' ';
    }
    out.trim().to_string()
}

/// User Markdown kept as written, inside a blockquote so that it cannot break the report around it.
fn md_quote(out: &mut String, markdown: &str) {
    let text = markdown.trim();
    if text.is_empty() {
        return;
    }
    for l in text.lines() {
        if l.trim().is_empty() {
            put!(out, ">");
        } else {
            put!(out, "> {l}");
        }
    }
    put!(out);
}

/// A stored date for Markdown: words and the recorded form.
fn md_date(date: &str, lang: Lang) -> String {
    format!("{} (`{}`)", md(&words(date, lang)), date.replace('`', ""))
}

/// The case as a Markdown document: title, status, summary, parties by role, chronology, agreements,
/// allegations with their status history and responses, correspondence and the evidence index.
pub fn markdown(conn: &Connection, case: &str, lang: Lang) -> Result<String> {
    let r = Record::read(conn, case)?;
    let l = labels(lang);
    let mut out = String::new();

    put!(out, "# {}", md(&r.case.title));
    put!(out);
    let mut meta = format!("**{}:** {}", l.status, md(&word(lang, &r.case.status)));
    if !r.case.tags.is_empty() {
        let _ = write!(meta, " · **{}:** {}", l.tags, md(&r.case.tags.join(", ")));
    }
    put!(out, "{meta}");
    put!(out);

    put!(out, "## {}", l.summary);
    put!(out);
    if r.case.summary.trim().is_empty() {
        put!(out, "{}", l.none);
    } else {
        put!(out, "{}", r.case.summary.trim());
    }
    put!(out);

    put!(out, "## {}", l.parties);
    put!(out);
    if r.roles.is_empty() {
        put!(out, "{}", l.none);
    }
    for role in &r.roles {
        let mut item = format!(
            "- **{}:** {} ({})",
            md(&capitalise(&word(lang, &role.role))),
            md(&role.name),
            md(&word(lang, &role.kind))
        );
        if let Some(b) = &role.on_behalf_of {
            let _ = write!(item, ", {} {}", l.on_behalf_of, md(b));
        }
        if let Some((p, _)) = r.cast.iter().find(|(p, _)| p.id == role.party_id) {
            if !p.affiliations.is_empty() {
                let _ = write!(item, " — {}", md(&affiliations_text(p)));
            }
        }
        put!(out, "{item}");
    }
    put!(out);

    put!(out, "## {}", l.chronology);
    put!(out);
    put!(out, "_{}_", md(l.dates_note));
    put!(out);
    if r.entries.is_empty() {
        put!(out, "{}", l.none);
    } else {
        put!(out, "| {} | {} | {} | {} | {} | {} |", l.date, l.kind, l.what, l.who, l.attribution, l.sources);
        put!(out, "|---|---|---|---|---|---|");
        for e in &r.entries {
            let mut what = md(&entry_what(e, lang));
            if e.kind == "event" {
                if let Some(d) = r.descriptions.get(&e.record_id) {
                    let _ = write!(what, " — {}", md(d));
                }
            }
            put!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                md_date(&e.date, lang),
                md(&word(lang, &e.kind)),
                what,
                md(&e.parties.join(", ")),
                md(&attributions_text(&e.attribution, lang)),
                md(&r.sources_text(&e.record_id)),
            );
        }
    }
    put!(out);

    put!(out, "## {}", l.agreements);
    put!(out);
    if r.agreements.is_empty() {
        put!(out, "{}", l.none);
        put!(out);
    }
    for a in &r.agreements {
        put!(out, "### {}", md(&a.title));
        put!(out);
        if !a.kind.is_empty() {
            put!(out, "- **{}:** {}", l.kind, md(&a.kind));
        }
        if !a.parties.is_empty() {
            put!(out, "- **{}:** {}", l.signatories, md(&names(&a.parties)));
        }
        if let Some(d) = &a.effective {
            put!(out, "- **{}:** {}", l.effective, md_date(d, lang));
        }
        if let Some(d) = &a.terminated {
            put!(out, "- **{}:** {}", l.terminated, md_date(d, lang));
        }
        let sources = r.sources_text(&a.id);
        if !sources.is_empty() {
            put!(out, "- **{}:** {}", l.sources, md(&sources));
        }
        put!(out);
        if !a.terms.trim().is_empty() {
            put!(out, "**{}:**", l.terms);
            put!(out);
            md_quote(&mut out, &a.terms);
        }
        for c in &a.clauses {
            put!(out, "**{} {}**", l.reference, md(&c.reference));
            put!(out);
            md_quote(&mut out, &c.text);
        }
    }

    put!(out, "## {}", l.allegations);
    put!(out);
    put!(out, "_{}_", md(l.attribution_note));
    put!(out);
    if r.allegations.is_empty() {
        put!(out, "{}", l.none);
        put!(out);
    }
    for (i, a) in r.allegations.iter().enumerate() {
        put!(out, "### A{}. {}", i + 1, md(&a.summary));
        put!(out);
        put!(out, "- **{}:** {}", l.current_status, md(&word(lang, &a.status)));
        put!(out, "- **{}:** {} — **{}:** {}", l.made_by, md(&a.made_by.name), l.against, md(&a.against.name));
        put!(out, "- **{}:** {}", l.raised_on, md_date(&a.date, lang));
        if let Some(raised) = &a.raised_in {
            put!(out, "- **{}:** {} ({})", l.raised_in, md(&raised.title), md(&word(lang, &raised.kind)));
        }
        if let Some(ag) = a.agreement_id.as_deref().and_then(|id| r.agreements.iter().find(|x| x.id == id)) {
            put!(out, "- **{}:** {}", l.agreement, md(&ag.title));
        }
        if !a.clauses.is_empty() {
            let refs: Vec<&str> = a.clauses.iter().map(|c| c.reference.as_str()).collect();
            put!(out, "- **{}:** {}", l.clauses, md(&refs.join(", ")));
        }
        if !a.attributions.is_empty() {
            put!(out, "- **{}:** {}", l.attribution, md(&attributions_text(&a.attributions, lang)));
        }
        let sources = r.sources_text(&a.id);
        if !sources.is_empty() {
            put!(out, "- **{}:** {}", l.sources, md(&sources));
        }
        put!(out, "- **{}:**", l.history);
        for h in &a.history {
            let mut item = format!("  - {} — {}", md_date(&h.date, lang), md(&word(lang, &h.status)));
            if !h.note.trim().is_empty() {
                let _ = write!(item, ": {}", md(&h.note));
            }
            put!(out, "{item}");
        }
        put!(out, "- **{}:**", l.responses);
        if a.responses.is_empty() {
            put!(out, "  - {}", l.no_response);
        }
        for resp in a.responses.iter().filter_map(|id| r.responses.get(id)) {
            let mut item =
                format!("  - {} — {}: {}", md_date(&resp.date, lang), md(&resp.by.name), md(&word(lang, &resp.stance)));
            if let Some(subject) = resp.letter_id.as_deref().and_then(|id| r.letter_subject(id)) {
                let _ = write!(item, " ({} {})", l.in_letter.to_lowercase(), md(subject));
            }
            if !resp.text.trim().is_empty() {
                let _ = write!(item, " — {}", md(&resp.text));
            }
            if !resp.attributions.is_empty() {
                let _ = write!(item, " [{}]", md(&attributions_text(&resp.attributions, lang)));
            }
            let sources = r.sources_text(&resp.id);
            if !sources.is_empty() {
                let _ = write!(item, " — {}: {}", l.sources, md(&sources));
            }
            put!(out, "{item}");
        }
        put!(out);
        if !a.detail.trim().is_empty() {
            md_quote(&mut out, &a.detail);
        }
    }

    put!(out, "## {}", l.correspondence);
    put!(out);
    put!(out, "### {}", l.deadlines);
    put!(out);
    if r.deadlines.is_empty() {
        put!(out, "{}", l.none);
    } else {
        put!(out, "| {} | {} | {} | {} |", l.deadline, l.subject, l.from, l.state);
        put!(out, "|---|---|---|---|");
        for d in &r.deadlines {
            put!(
                out,
                "| {} | {} | {} | {} |",
                md_date(&d.deadline, lang),
                md(&d.subject),
                md(&d.sender),
                deadline_state(d, lang)
            );
        }
    }
    put!(out);
    put!(out, "### {}", l.letters);
    put!(out);
    if r.threads.is_empty() {
        put!(out, "{}", l.none);
        put!(out);
    }
    for t in &r.threads {
        let lt = &t.letter;
        let arrow = if t.depth > 0 { format!("{} ", "↳".repeat(t.depth as usize)) } else { String::new() };
        put!(out, "#### {arrow}{} — {}", md(&words(&lt.date, lang)), md(&lt.subject));
        put!(out);
        put!(out, "- **{}:** {} (`{}`)", l.date, md(&words(&lt.date, lang)), lt.date.replace('`', ""));
        put!(out, "- **{}:** {}", l.channel, md(&word(lang, &lt.channel)));
        put!(out, "- **{}:** {}", l.from, md(&sender_text(lt)));
        if !lt.to.is_empty() {
            put!(out, "- **{}:** {}", l.to, md(&names(&lt.to)));
        }
        if !lt.cc.is_empty() {
            put!(out, "- **{}:** {}", l.cc, md(&names(&lt.cc)));
        }
        if let Some(d) = &lt.deadline {
            put!(out, "- **{}:** {}", l.deadline, md_date(d, lang));
        }
        if let Some(subject) = lt.in_reply_to.as_deref().and_then(|id| r.letter_subject(id)) {
            put!(out, "- **{}:** {}", l.in_reply_to, md(subject));
        }
        let sources = r.sources_text(&lt.id);
        if !sources.is_empty() {
            put!(out, "- **{}:** {}", l.sources, md(&sources));
        }
        put!(out);
        md_quote(&mut out, &lt.body);
    }

    put!(out, "## {}", l.evidence);
    put!(out);
    put!(out, "_{}_", md(l.evidence_note));
    put!(out);
    if r.evidence.is_empty() {
        put!(out, "{}", l.none);
        put!(out);
    }
    for (i, e) in r.evidence.iter().enumerate() {
        put!(out, "### E{}. {}", i + 1, md(&e.title));
        put!(out);
        let mut kind = md(&word(lang, &e.kind));
        if let Some(t) = &e.media_type {
            let _ = write!(kind, " ({})", md(t));
        }
        put!(out, "- **{}:** {}", l.kind, kind);
        if let Some(name) = &e.original_name {
            put!(out, "- **{}:** {}", l.original_name, md(name));
        }
        if let Some(sha) = &e.sha256 {
            put!(out, "- **{}:** `{}`", l.sha256, sha.replace('`', ""));
        }
        if let Some(size) = e.size {
            put!(out, "- **{}:** {} {}", l.size, thousands(size, lang), l.bytes);
        }
        if let Some(url) = &e.url {
            put!(out, "- **{}:** <{}>", l.url, url.replace(['<', '>', ' ', '\n', '\r'], ""));
        }
        if let Some(p) = &e.publisher {
            put!(out, "- **{}:** {}", l.publisher, md(p));
        }
        if let Some(d) = &e.date {
            put!(out, "- **{}:** {}", l.date, md_date(d, lang));
        }
        put!(out, "- **{}:**", l.supports);
        if e.links.is_empty() {
            put!(out, "  - {}", l.none);
        }
        for link in &e.links {
            let mut item = format!("  - {} ({})", md(&link.record_title), md(&word(lang, &link.record_kind)));
            if !link.pinpoint.is_empty() {
                let _ = write!(item, " — {}", md(&link.pinpoint));
            }
            if !link.note.trim().is_empty() {
                let _ = write!(item, " — {}", md(&link.note));
            }
            put!(out, "{item}");
        }
        put!(out);
        md_quote(&mut out, &e.note);
    }
    Ok(out.trim_end().to_string() + "\n")
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// HTML

/// Escapes text for HTML (see `markdown::escape_html`).
fn esc(text: &str) -> String {
    crate::markdown::escape_html(text)
}

/// A stored date for HTML: words, with the recorded form beneath.
fn html_date(date: &str, lang: Lang) -> String {
    format!("{}<br><code class=\"recorded\">{}</code>", esc(&words(date, lang)), esc(date))
}

/// Evidence citations of a record as links into the evidence index.
fn html_sources(r: &Record, record_id: &str) -> String {
    group_sources(r.sources.get(record_id).map(Vec::as_slice).unwrap_or_default())
        .into_iter()
        .map(|(n, pins)| {
            let pins = if pins.is_empty() { String::new() } else { format!(" ({})", esc(&pins.join("; "))) };
            format!("<a href=\"#evidence-{n}\">E{n}</a>{pins}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Only http(s) addresses become links; anything else is shown as text.
fn is_web_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")) && !url.contains(['"', '\'', '<', '>', ' '])
}

const CSS: &str = r#"
:root { color-scheme: light; }
body { font-family: Georgia, "Times New Roman", "DejaVu Serif", serif; font-size: 11pt; line-height: 1.45;
       color: #111; background: #fff; max-width: 62rem; margin: 2rem auto; padding: 0 1.5rem; }
h1, h2, h3, h4, nav, th, .meta, .kind, .generated, dt, caption {
       font-family: "Helvetica Neue", Helvetica, Arial, "DejaVu Sans", sans-serif; }
h1 { font-size: 20pt; margin: 0 0 .3em; }
h2 { font-size: 15pt; border-bottom: 1px solid #999; padding-bottom: .15em; margin-top: 2em; }
h3 { font-size: 12pt; margin: 1.4em 0 .4em; }
.meta, .generated { color: #444; font-size: 10pt; margin: .2em 0; }
.intro { color: #444; font-style: italic; font-size: 10pt; }
nav ol { padding-left: 1.4em; }
nav a { color: inherit; }
table { border-collapse: collapse; width: 100%; margin: .6em 0 1em; font-size: 9.5pt; }
th, td { border: 1px solid #bbb; padding: 4px 6px; vertical-align: top; text-align: left; }
th { background: #eee; font-size: 9pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
code, .hash { font-family: "DejaVu Sans Mono", Consolas, "Courier New", monospace; font-size: 8.5pt; }
.hash { word-break: break-all; }
code.recorded { color: #555; }
.kind { display: block; color: #555; font-size: 8pt; text-transform: uppercase; letter-spacing: .04em; }
.desc { color: #333; font-size: 9pt; margin-top: .3em; }
.desc p, td p { margin: .2em 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .15em 1em; margin: .4em 0 .8em; }
dt { font-weight: bold; font-size: 9.5pt; }
dd { margin: 0; }
article { margin-bottom: 1.2em; }
article.depth-1 { margin-left: 1.5em; border-left: 3px solid #ccc; padding-left: .8em; }
article.depth-2 { margin-left: 3em; border-left: 3px solid #ccc; padding-left: .8em; }
article.depth-3 { margin-left: 4.5em; border-left: 3px solid #ccc; padding-left: .8em; }
blockquote, .body { border-left: 3px solid #ddd; margin: .5em 0; padding: .1em .8em; }
.state-overdue { font-weight: bold; }
footer { margin-top: 3em; color: #666; font-size: 9pt; }
@page { size: A4; margin: 20mm 18mm 22mm 18mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
  nav { break-after: page; page-break-after: always; }
  section { break-before: page; page-break-before: always; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  a { color: inherit; text-decoration: none; }
  article { break-inside: avoid-page; }
}
"#;

/// The sections of the report, in order: (anchor, title).
fn html_sections(l: &Labels) -> [(&'static str, &'static str); 7] {
    [
        ("summary", l.summary),
        ("parties", l.parties),
        ("chronology", l.chronology),
        ("agreements", l.agreements),
        ("allegations", l.allegations),
        ("correspondence", l.correspondence),
        ("evidence", l.evidence),
    ]
}

/// The case as one self-contained HTML file to send or print: embedded print CSS, a table of
/// contents, cast of characters, chronology, agreements, allegations with their status history and
/// responses, correspondence with deadlines, and the evidence index. `generated_on` is shown as given
/// (e.g. "2024-05-02"), so the caller decides the date and the output stays reproducible.
pub fn html(conn: &Connection, case: &str, lang: Lang, generated_on: &str) -> Result<String> {
    let r = Record::read(conn, case)?;
    let l = labels(lang);
    let mut out = String::with_capacity(64 * 1024);
    let sections = html_sections(l);

    put!(out, "<!DOCTYPE html>");
    put!(out, "<html lang=\"{}\">", lang.as_str());
    put!(out, "<head>");
    put!(out, "<meta charset=\"utf-8\">");
    // The report fetches nothing when opened: no script, no remote image, no outside style.
    put!(out, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">");
    put!(out, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    put!(out, "<meta name=\"generator\" content=\"Dossier\">");
    put!(out, "<title>{} — {}</title>", esc(&r.case.title), l.report);
    put!(out, "<style>{CSS}</style>");
    put!(out, "</head>");
    put!(out, "<body>");
    put!(out, "<header>");
    put!(out, "<p class=\"meta\">{}</p>", l.report);
    put!(out, "<h1>{}</h1>", esc(&r.case.title));
    let mut meta = format!("{}: {}", l.status, esc(&word(lang, &r.case.status)));
    if !r.case.tags.is_empty() {
        let _ = write!(meta, " · {}: {}", l.tags, esc(&r.case.tags.join(", ")));
    }
    put!(out, "<p class=\"meta\">{meta}</p>");
    put!(out, "<p class=\"generated\">{} {} — Dossier</p>", l.generated_on, esc(generated_on));
    put!(out, "</header>");

    put!(out, "<nav id=\"contents\">");
    put!(out, "<h2>{}</h2>", l.contents);
    put!(out, "<ol>");
    for (id, title) in &sections {
        put!(out, "<li><a href=\"#{id}\">{title}</a></li>");
    }
    put!(out, "</ol>");
    put!(out, "</nav>");

    // Summary.
    put!(out, "<section id=\"summary\">");
    put!(out, "<h2>{}</h2>", l.summary);
    if r.case.summary.trim().is_empty() {
        put!(out, "<p>{}</p>", l.none);
    } else {
        put!(out, "{}", to_safe_html(&r.case.summary));
    }
    put!(out, "</section>");

    // Cast of characters.
    put!(out, "<section id=\"parties\">");
    put!(out, "<h2>{}</h2>", l.parties);
    if r.cast.is_empty() {
        put!(out, "<p>{}</p>", l.none);
    } else {
        put!(out, "<table>");
        put!(
            out,
            "<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
            l.name,
            l.kind,
            l.roles,
            l.affiliations,
            l.aliases
        );
        put!(out, "<tbody>");
        for (p, roles) in &r.cast {
            put!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&p.name),
                esc(&word(lang, &p.kind)),
                esc(&roles_text(roles, lang)),
                esc(&affiliations_text(p)),
                esc(&p.aliases.join(", ")),
            );
        }
        put!(out, "</tbody>");
        put!(out, "</table>");
        for (p, _) in r.cast.iter().filter(|(p, _)| !p.description.trim().is_empty()) {
            put!(out, "<h3>{}</h3>", esc(&p.name));
            put!(out, "<div class=\"desc\">{}</div>", to_safe_html(&p.description));
        }
    }
    put!(out, "</section>");

    // Chronology.
    put!(out, "<section id=\"chronology\">");
    put!(out, "<h2>{}</h2>", l.chronology);
    put!(out, "<p class=\"intro\">{}</p>", esc(l.dates_note));
    if r.entries.is_empty() {
        put!(out, "<p>{}</p>", l.none);
    } else {
        put!(out, "<table class=\"chronology\">");
        put!(
            out,
            "<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
            l.date,
            l.what,
            l.who,
            l.attribution,
            l.sources
        );
        put!(out, "<tbody>");
        for e in &r.entries {
            let mut what =
                format!("<span class=\"kind\">{}</span>{}", esc(&word(lang, &e.kind)), esc(&entry_what(e, lang)));
            if e.kind == "event" {
                if let Some(d) = r.descriptions.get(&e.record_id) {
                    let _ = write!(what, "<div class=\"desc\">{}</div>", to_safe_html(d));
                }
            }
            put!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                html_date(&e.date, lang),
                what,
                esc(&e.parties.join(", ")),
                esc(&attributions_text(&e.attribution, lang)),
                html_sources(&r, &e.record_id),
            );
        }
        put!(out, "</tbody>");
        put!(out, "</table>");
    }
    put!(out, "</section>");

    // Agreements.
    put!(out, "<section id=\"agreements\">");
    put!(out, "<h2>{}</h2>", l.agreements);
    if r.agreements.is_empty() {
        put!(out, "<p>{}</p>", l.none);
    }
    for a in &r.agreements {
        put!(out, "<article>");
        put!(out, "<h3>{}</h3>", esc(&a.title));
        put!(out, "<dl>");
        if !a.kind.is_empty() {
            put!(out, "<dt>{}</dt><dd>{}</dd>", l.kind, esc(&a.kind));
        }
        if !a.parties.is_empty() {
            put!(out, "<dt>{}</dt><dd>{}</dd>", l.signatories, esc(&names(&a.parties)));
        }
        if let Some(d) = &a.effective {
            put!(out, "<dt>{}</dt><dd>{}</dd>", l.effective, html_date(d, lang));
        }
        if let Some(d) = &a.terminated {
            put!(out, "<dt>{}</dt><dd>{}</dd>", l.terminated, html_date(d, lang));
        }
        let sources = html_sources(&r, &a.id);
        if !sources.is_empty() {
            put!(out, "<dt>{}</dt><dd>{sources}</dd>", l.sources);
        }
        put!(out, "</dl>");
        if !a.terms.trim().is_empty() {
            put!(out, "<h4>{}</h4>", l.terms);
            put!(out, "<div class=\"body\">{}</div>", to_safe_html(&a.terms));
        }
        if !a.clauses.is_empty() {
            put!(out, "<table>");
            put!(out, "<thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>", l.reference, l.text, l.sources);
            put!(out, "<tbody>");
            for c in &a.clauses {
                put!(
                    out,
                    "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&c.reference),
                    to_safe_html(&c.text),
                    html_sources(&r, &c.id)
                );
            }
            put!(out, "</tbody>");
            put!(out, "</table>");
        }
        put!(out, "</article>");
    }
    put!(out, "</section>");

    // Allegations.
    put!(out, "<section id=\"allegations\">");
    put!(out, "<h2>{}</h2>", l.allegations);
    put!(out, "<p class=\"intro\">{}</p>", esc(l.attribution_note));
    if r.allegations.is_empty() {
        put!(out, "<p>{}</p>", l.none);
    }
    for (i, a) in r.allegations.iter().enumerate() {
        put!(out, "<article>");
        put!(out, "<h3>A{}. {}</h3>", i + 1, esc(&a.summary));
        put!(out, "<dl>");
        put!(out, "<dt>{}</dt><dd><strong>{}</strong></dd>", l.current_status, esc(&word(lang, &a.status)));
        put!(out, "<dt>{}</dt><dd>{}</dd>", l.made_by, esc(&a.made_by.name));
        put!(out, "<dt>{}</dt><dd>{}</dd>", l.against, esc(&a.against.name));
        put!(out, "<dt>{}</dt><dd>{}</dd>", l.raised_on, html_date(&a.date, lang));
        if let Some(raised) = &a.raised_in {
            put!(out, "<dt>{}</dt><dd>{} ({})</dd>", l.raised_in, esc(&raised.title), esc(&word(lang, &raised.kind)));
        }
        if let Some(ag) = a.agreement_id.as_deref().and_then(|id| r.agreements.iter().find(|x| x.id == id)) {
            put!(out, "<dt>{}</dt><dd>{}</dd>", l.agreement, esc(&ag.title));
        }
        if !a.clauses.is_empty() {
            let refs: Vec<&str> = a.clauses.iter().map(|c| c.reference.as_str()).collect();
            put!(out, "<dt>{}</dt><dd>{}</dd>", l.clauses, esc(&refs.join(", ")));
        }
        if !a.attributions.is_empty() {
            put!(out, "<dt>{}</dt><dd>{}</dd>", l.attribution, esc(&attributions_text(&a.attributions, lang)));
        }
        let sources = html_sources(&r, &a.id);
        if !sources.is_empty() {
            put!(out, "<dt>{}</dt><dd>{sources}</dd>", l.sources);
        }
        put!(out, "</dl>");
        if !a.detail.trim().is_empty() {
            put!(out, "<div class=\"body\">{}</div>", to_safe_html(&a.detail));
        }
        put!(out, "<h4>{}</h4>", l.history);
        put!(out, "<table>");
        put!(out, "<thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>", l.date, l.status, l.note);
        put!(out, "<tbody>");
        for h in &a.history {
            put!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                html_date(&h.date, lang),
                esc(&word(lang, &h.status)),
                to_safe_html(&h.note)
            );
        }
        put!(out, "</tbody>");
        put!(out, "</table>");
        put!(out, "<h4>{}</h4>", l.responses);
        if a.responses.is_empty() {
            put!(out, "<p>{}</p>", l.no_response);
        } else {
            put!(out, "<table>");
            put!(
                out,
                "<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
                l.date,
                l.who,
                l.stance,
                l.text,
                l.sources
            );
            put!(out, "<tbody>");
            for resp in a.responses.iter().filter_map(|id| r.responses.get(id)) {
                let mut text = to_safe_html(&resp.text);
                if let Some(subject) = resp.letter_id.as_deref().and_then(|id| r.letter_subject(id)) {
                    let _ = write!(text, "<div class=\"desc\">{}: {}</div>", l.in_letter, esc(subject));
                }
                if !resp.attributions.is_empty() {
                    let _ =
                        write!(text, "<div class=\"desc\">{}</div>", esc(&attributions_text(&resp.attributions, lang)));
                }
                put!(
                    out,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    html_date(&resp.date, lang),
                    esc(&resp.by.name),
                    esc(&word(lang, &resp.stance)),
                    text,
                    html_sources(&r, &resp.id),
                );
            }
            put!(out, "</tbody>");
            put!(out, "</table>");
        }
        put!(out, "</article>");
    }
    put!(out, "</section>");

    // Correspondence.
    put!(out, "<section id=\"correspondence\">");
    put!(out, "<h2>{}</h2>", l.correspondence);
    put!(out, "<h3>{}</h3>", l.deadlines);
    if r.deadlines.is_empty() {
        put!(out, "<p>{}</p>", l.none);
    } else {
        put!(out, "<table>");
        put!(
            out,
            "<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
            l.deadline,
            l.subject,
            l.from,
            l.state
        );
        put!(out, "<tbody>");
        for d in &r.deadlines {
            let n = letter_number(&r, &d.letter_id);
            let subject = match n {
                Some(n) => format!("<a href=\"#letter-{n}\">{}</a>", esc(&d.subject)),
                None => esc(&d.subject),
            };
            let state = deadline_state(d, lang);
            let class = if d.overdue { " class=\"state-overdue\"" } else { "" };
            put!(
                out,
                "<tr><td>{}</td><td>{subject}</td><td>{}</td><td{class}>{state}</td></tr>",
                html_date(&d.deadline, lang),
                esc(&d.sender)
            );
        }
        put!(out, "</tbody>");
        put!(out, "</table>");
    }
    put!(out, "<h3>{}</h3>", l.letters);
    if r.threads.is_empty() {
        put!(out, "<p>{}</p>", l.none);
    }
    for (i, t) in r.threads.iter().enumerate() {
        let lt = &t.letter;
        put!(out, "<article id=\"letter-{}\" class=\"depth-{}\">", i + 1, t.depth.min(3));
        put!(out, "<h4>{} — {}</h4>", esc(&words(&lt.date, lang)), esc(&lt.subject));
        put!(out, "<dl>");
        put!(out, "<dt>{}</dt><dd>{}</dd>", l.date, html_date(&lt.date, lang));
        put!(out, "<dt>{}</dt><dd>{}</dd>", l.channel, esc(&word(lang, &lt.channel)));
        put!(out, "<dt>{}</dt><dd>{}</dd>", l.from, esc(&sender_text(lt)));
        if !lt.to.is_empty() {
            put!(out, "<dt>{}</dt><dd>{}</dd>", l.to, esc(&names(&lt.to)));
        }
        if !lt.cc.is_empty() {
            put!(out, "<dt>{}</dt><dd>{}</dd>", l.cc, esc(&names(&lt.cc)));
        }
        if let Some(d) = &lt.deadline {
            put!(out, "<dt>{}</dt><dd>{}</dd>", l.deadline, html_date(d, lang));
        }
        if let Some(parent) = lt.in_reply_to.as_deref() {
            if let (Some(n), Some(subject)) = (letter_number(&r, parent), r.letter_subject(parent)) {
                put!(out, "<dt>{}</dt><dd><a href=\"#letter-{n}\">{}</a></dd>", l.in_reply_to, esc(subject));
            }
        }
        let sources = html_sources(&r, &lt.id);
        if !sources.is_empty() {
            put!(out, "<dt>{}</dt><dd>{sources}</dd>", l.sources);
        }
        put!(out, "</dl>");
        if !lt.body.trim().is_empty() {
            put!(out, "<div class=\"body\">{}</div>", to_safe_html(&lt.body));
        }
        put!(out, "</article>");
    }
    put!(out, "</section>");

    // Evidence index.
    put!(out, "<section id=\"evidence\">");
    put!(out, "<h2>{}</h2>", l.evidence);
    put!(out, "<p class=\"intro\">{}</p>", esc(l.evidence_note));
    if r.evidence.is_empty() {
        put!(out, "<p>{}</p>", l.none);
    } else {
        put!(out, "<table>");
        put!(
            out,
            "<thead><tr><th>#</th><th>{}</th><th>{} / {}</th><th>{}</th><th>{}</th></tr></thead>",
            l.title,
            l.sha256,
            l.size,
            l.sources,
            l.supports
        );
        put!(out, "<tbody>");
        for (i, e) in r.evidence.iter().enumerate() {
            let mut title = format!("{}<span class=\"kind\">{}", esc(&e.title), esc(&word(lang, &e.kind)));
            if let Some(t) = &e.media_type {
                let _ = write!(title, " · {}", esc(t));
            }
            title.push_str("</span>");
            if !e.note.trim().is_empty() {
                let _ = write!(title, "<div class=\"desc\">{}</div>", to_safe_html(&e.note));
            }
            let mut digest = String::new();
            if let Some(sha) = &e.sha256 {
                let _ = write!(digest, "<span class=\"hash\">{}</span>", esc(sha));
            }
            if let Some(size) = e.size {
                let _ = write!(digest, "<br>{} {}", thousands(size, lang), l.bytes);
            }
            let mut origin: Vec<String> = Vec::new();
            if let Some(name) = &e.original_name {
                origin.push(format!("{}: {}", l.original_name, esc(name)));
            }
            if let Some(url) = &e.url {
                if is_web_url(url) {
                    origin.push(format!("<a href=\"{0}\">{0}</a>", esc(url)));
                } else {
                    origin.push(esc(url));
                }
            }
            if let Some(p) = &e.publisher {
                origin.push(format!("{}: {}", l.publisher, esc(p)));
            }
            if let Some(d) = &e.date {
                origin.push(html_date(d, lang));
            }
            let supports = if e.links.is_empty() {
                esc(l.none)
            } else {
                let items: Vec<String> = e
                    .links
                    .iter()
                    .map(|link| {
                        let mut item = format!(
                            "{} <span class=\"kind\">{}</span>",
                            esc(&link.record_title),
                            esc(&word(lang, &link.record_kind))
                        );
                        if !link.pinpoint.is_empty() {
                            let _ = write!(item, " — <strong>{}</strong>", esc(&link.pinpoint));
                        }
                        if !link.note.trim().is_empty() {
                            let _ = write!(item, " — {}", esc(&link.note));
                        }
                        format!("<li>{item}</li>")
                    })
                    .collect();
                format!("<ul>{}</ul>", items.concat())
            };
            put!(
                out,
                "<tr id=\"evidence-{n}\"><td>E{n}</td><td>{title}</td><td>{digest}</td><td>{}</td><td>{supports}</td></tr>",
                origin.join("<br>"),
                n = i + 1,
            );
        }
        put!(out, "</tbody>");
        put!(out, "</table>");
    }
    put!(out, "</section>");

    put!(
        out,
        "<footer><p class=\"generated\">{} — {} {} — Dossier</p></footer>",
        esc(&r.case.title),
        l.generated_on,
        esc(generated_on)
    );
    put!(out, "</body>");
    put!(out, "</html>");
    Ok(out)
}

/// The 1-based position of a letter in the correspondence log (its `#letter-N` anchor).
fn letter_number(r: &Record, id: &str) -> Option<usize> {
    r.threads.iter().position(|t| t.letter.id == id).map(|i| i + 1)
}

// ---------------------------------------------------------------------------------------------
// CSV

/// The columns of [`csv()`], in order.
pub const CSV_COLUMNS: &[&str] = &[
    "date",
    "date_text",
    "from",
    "to",
    "kind",
    "title",
    "status",
    "parties",
    "attribution",
    "evidence_count",
    "record_id",
];

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Makes a text cell safe to open in a spreadsheet: a leading `=`, `+`, `-`, `@`, tab or carriage
/// return would make Excel or LibreOffice read it as a formula, so it gets a leading apostrophe.
pub(crate) fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// A bound in Unix seconds as an ISO day (UTC, as fuzzy dates without a time are).
fn iso_day(secs: i64) -> String {
    DateTime::from_timestamp(secs, 0).map(|t| t.date_naive().format("%Y-%m-%d").to_string()).unwrap_or_default()
}

/// The chronology as a spreadsheet: one row per timeline entry, in timeline order, with the columns
/// of [`CSV_COLUMNS`]. `date` is the date as recorded (`~2023-04`), `date_text` the same in English
/// words; `from` and `to` are the first and last day the date can mean (ISO dates, UTC; `to` is
/// inclusive), empty when the date is open on that side. Lists (parties, attributions) are joined with
/// "; ". UTF-8 with a byte-order mark, CRLF line ends, comma-separated; see the module docs for the
/// formula-injection guard.
pub fn csv(conn: &Connection, case: &str) -> Result<Vec<u8>> {
    let entries = timeline::all(conn, case, &timeline::Filter::default())?;
    let mut writer = ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(BOM.to_vec());
    let fail = |e: ::csv::Error| Error::invalid("csv", e.to_string());
    writer.write_record(CSV_COLUMNS).map_err(fail)?;
    for e in &entries {
        let attribution: Vec<String> = e.attribution.iter().map(Attribution::describe).collect();
        let row = [
            e.date.clone(),
            neutralise(&e.date_en),
            e.lo.map(iso_day).unwrap_or_default(),
            e.hi.map(|hi| iso_day(hi - 1)).unwrap_or_default(),
            neutralise(&e.kind),
            neutralise(&e.title),
            neutralise(e.status.as_deref().unwrap_or_default()),
            neutralise(&e.parties.join("; ")),
            neutralise(&attribution.join("; ")),
            e.evidence_count.to_string(),
            neutralise(&e.record_id),
        ];
        writer.write_record(&row).map_err(fail)?;
    }
    writer.into_inner().map_err(|e| Error::invalid("csv", e.to_string()))
}

// ---------------------------------------------------------------------------------------------
// ICS

/// Where [`ics`] puts a deadline: on a day (all-day event) or at an instant.
enum DueOn {
    Day(NaiveDate),
    Instant(DateTime<Utc>),
}

fn due_on(deadline: &FuzzyDate) -> Option<DueOn> {
    const DAY: i64 = 86_400;
    if let FuzzyDate::Exact(Point::Instant(moment)) = deadline {
        return Some(DueOn::Instant(moment.with_timezone(&Utc)));
    }
    let secs = match deadline.qualifier() {
        Qualifier::Before => deadline.sort_key() - DAY,
        _ => deadline.sort_key(),
    };
    DateTime::from_timestamp(secs.div_euclid(DAY) * DAY, 0).map(|t| DueOn::Day(t.date_naive()))
}

/// iCalendar TEXT cannot hold a carriage return (the crate escapes newlines, commas and semicolons).
fn ics_text(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// The response deadlines of the case (letters with a deadline) as an iCalendar file: one VEVENT per
/// deadline, with UID `<letter id>@dossier` (importing the file again updates the same events),
/// SUMMARY "Reply due: …" with the subject, DESCRIPTION with the sender and the deadline as recorded and in
/// words, and DTSTAMP the time the letter was last changed, which keeps the file reproducible (RFC 5545
/// gives DTSTAMP that meaning in a calendar without METHOD, which is why none is set: METHOD is for
/// scheduling messages, not files). Lines end in CRLF and are folded at 75 octets by the icalendar crate.
///
/// A deadline recorded to the minute is a timed event at that instant (in UTC). Any other deadline is an
/// all-day event on the earliest day it can be said to fall on, so the reminder never comes late:
///
/// - a day: that day; a month or a year (`2023-06`, `2023`): its first day;
/// - about X (`~2023-06`): the first day of X (where the chronology places it, not its widened bounds);
/// - before X (`<2023-06-07`): the last day before X (6 June), since the reply must be in by then;
/// - after X (`>2023-06`): the first day after X (1 July);
/// - between A and B (`2023-06-01..2023-06-15`): the first day of A.
///
/// A case without deadlines gives a calendar without events, which calendar applications import as
/// empty (RFC 5545's grammar asks for one component at least; an invented placeholder would be worse).
pub fn ics(conn: &Connection, case: &str) -> Result<String> {
    let c = case::get(conn, case)?;
    let mut calendar = icalendar::Calendar::empty();
    calendar.append_property(icalendar::Property::new("VERSION", "2.0"));
    calendar.append_property(icalendar::Property::new("PRODID", "-//Dossier//Dossier//EN"));
    calendar.append_property(icalendar::Property::new("CALSCALE", "GREGORIAN"));
    calendar.name(&ics_text(&format!("{} — deadlines", c.title)));
    for d in letter::deadlines(conn, &c.id)? {
        let deadline = crate::input::date("deadline", &d.deadline)?;
        let l = letter::get(conn, &d.letter_id)?;
        let stamp =
            DateTime::parse_from_rfc3339(&l.updated_at).map(|t| t.with_timezone(&Utc)).unwrap_or_else(|_| Utc::now());
        let mut description =
            format!("From: {}\nDeadline as recorded: {} ({})", sender_text(&l), d.deadline, d.deadline_en);
        if d.answered {
            description.push_str("\nAnswered.");
        }
        let _ = write!(description, "\nCase: {}", c.title);
        let mut ev = icalendar::Event::new();
        ev.uid(&format!("{}@dossier", d.letter_id))
            .timestamp(stamp)
            .summary(&ics_text(&format!("Reply due: {}", d.subject)))
            .description(&ics_text(&description))
            .add_property("TRANSP", "TRANSPARENT");
        match due_on(&deadline) {
            Some(DueOn::Day(day)) => {
                ev.starts(day);
                if let Some(next) = day.succ_opt() {
                    ev.ends(next);
                }
            }
            Some(DueOn::Instant(at)) => {
                ev.starts(at);
            }
            None => continue,
        }
        calendar.push(ev.done());
    }
    Ok(calendar.to_string())
}
