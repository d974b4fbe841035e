//! The fixed words of the reports in English and French, and the small pieces of wording the
//! formats share. The words of the closed vocabularies (statuses, roles, kinds…) are not here: they
//! come from `crate::vocabulary`, as in the app.

use crate::date::{FuzzyDate, Lang};
use crate::record::attribution::Attribution;
use crate::record::evidence::{Quote, QuoteCheck};
use crate::record::{letter, party, role, PartyRef};
use crate::view::timeline;

// ---------------------------------------------------------------------------------------------
// Labels

/// The fixed words of the reports, in one language.
pub(super) struct Labels {
    pub(super) report: &'static str,
    pub(super) contents: &'static str,
    pub(super) summary: &'static str,
    pub(super) parties: &'static str,
    pub(super) signatories: &'static str,
    pub(super) chronology: &'static str,
    pub(super) agreements: &'static str,
    pub(super) allegations: &'static str,
    pub(super) correspondence: &'static str,
    pub(super) evidence: &'static str,
    pub(super) status: &'static str,
    pub(super) tags: &'static str,
    pub(super) generated_on: &'static str,
    pub(super) date: &'static str,
    pub(super) what: &'static str,
    pub(super) who: &'static str,
    pub(super) attribution: &'static str,
    pub(super) sources: &'static str,
    pub(super) name: &'static str,
    pub(super) kind: &'static str,
    pub(super) roles: &'static str,
    pub(super) affiliations: &'static str,
    pub(super) aliases: &'static str,
    pub(super) on_behalf_of: &'static str,
    pub(super) effective: &'static str,
    pub(super) terminated: &'static str,
    pub(super) terms: &'static str,
    pub(super) clauses: &'static str,
    pub(super) reference: &'static str,
    pub(super) text: &'static str,
    pub(super) made_by: &'static str,
    pub(super) against: &'static str,
    pub(super) raised_in: &'static str,
    pub(super) raised_on: &'static str,
    pub(super) agreement: &'static str,
    pub(super) current_status: &'static str,
    pub(super) history: &'static str,
    pub(super) responses: &'static str,
    pub(super) no_response: &'static str,
    pub(super) note: &'static str,
    pub(super) stance: &'static str,
    pub(super) in_letter: &'static str,
    pub(super) deadlines: &'static str,
    pub(super) deadline: &'static str,
    pub(super) state: &'static str,
    pub(super) letters: &'static str,
    pub(super) from: &'static str,
    pub(super) to: &'static str,
    pub(super) cc: &'static str,
    pub(super) channel: &'static str,
    pub(super) subject: &'static str,
    pub(super) in_reply_to: &'static str,
    pub(super) title: &'static str,
    pub(super) sha256: &'static str,
    pub(super) size: &'static str,
    pub(super) bytes: &'static str,
    pub(super) original_name: &'static str,
    pub(super) publisher: &'static str,
    /// A captured web page's kind label, and the words of its three files and facts.
    pub(super) capture: &'static str,
    pub(super) captured: &'static str,
    pub(super) asked_for: &'static str,
    pub(super) http_status: &'static str,
    pub(super) archive: &'static str,
    pub(super) screenshot: &'static str,
    pub(super) page_text: &'static str,
    pub(super) supports: &'static str,
    pub(super) none: &'static str,
    pub(super) dates_note: &'static str,
    pub(super) attribution_note: &'static str,
    pub(super) evidence_note: &'static str,
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
    publisher: "Publisher",
    capture: "web page capture",
    captured: "Captured",
    asked_for: "Address asked for",
    http_status: "HTTP status",
    archive: "Page as fetched",
    screenshot: "Screenshot (PNG)",
    page_text: "Text of the page",
    supports: "Supports",
    none: "None recorded.",
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
    publisher: "Éditeur",
    capture: "capture de page web",
    captured: "Capturée le",
    asked_for: "Adresse demandée",
    http_status: "Statut HTTP",
    archive: "Page telle que reçue",
    screenshot: "Capture d’écran (PNG)",
    page_text: "Texte de la page",
    supports: "Étaye",
    none: "Aucun élément enregistré.",
    dates_note: "Les dates sont aussi précises que le dossier : « vers », « avant », « après » et « entre » disent ce qui est connu ; la forme enregistrée figure à côté.",
    attribution_note: "Chaque déclaration est attribuée à qui l’affirme et à qui la rapporte ; une allégation n’est pas un fait établi.",
    evidence_note: "Les fichiers sont identifiés par leur empreinte SHA-256 : une copie de même empreinte est le même fichier, octet pour octet.",
};

pub(super) fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    }
}

/// What a report says of a quote, after its words: its page, and, unless its words were found in the
/// document's text, that they are not known to be the document's own ([`quote_caveat`]).
pub(super) fn quote_tail(page: Option<i64>, caveat: &str) -> String {
    let page = page.map(|p| format!(" (p. {p})")).unwrap_or_default();
    match caveat {
        "" => page,
        caveat => format!("{page} — {caveat}"),
    }
}

/// Why a quote may not be the document's own words, or "" when they were found on its page. One
/// function, so the HTML, the Markdown and the Word reports say the same thing.
pub(super) fn quote_caveat(q: &Quote, lang: Lang) -> &'static str {
    match (q.check, lang) {
        (QuoteCheck::Found, _) => "",
        (QuoteCheck::Unchecked, Lang::En) => "not checked against the document",
        (QuoteCheck::Unchecked, Lang::Fr) => "non vérifiée dans le document",
        (QuoteCheck::NotFound, Lang::En) => "not found in the document’s text",
        (QuoteCheck::NotFound, Lang::Fr) => "introuvable dans le texte du document",
    }
}

/// A stored date in words ("about April 2023"); a text that does not parse is shown as stored.
pub(super) fn date_in_words(lang: Lang, date: &str) -> String {
    FuzzyDate::parse(date).map(|d| d.display(lang)).unwrap_or_else(|_| date.to_string())
}

pub(super) fn attributions_text(list: &[Attribution], lang: Lang) -> String {
    list.iter().map(|a| a.describe(lang)).collect::<Vec<_>>().join("; ")
}

/// What a chronology entry says, in words: the title, with the new status for a status change.
pub(super) fn entry_what(e: &timeline::Entry, lang: Lang) -> String {
    match e.status {
        Some(status) => format!("{} → {}", e.title, status.word(lang)),
        None => e.title.clone(),
    }
}

pub(super) fn roles_text(roles: &[role::CaseRole], lang: Lang) -> String {
    roles
        .iter()
        .map(|r| match &r.on_behalf_of {
            Some(b) => format!("{} {} {b}", r.role.word(lang), labels(lang).on_behalf_of),
            None => r.role.word(lang).to_string(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub(super) fn affiliations_text(p: &party::Party) -> String {
    p.affiliations.iter().map(|a| format!("{}, {}", a.role, a.organisation)).collect::<Vec<_>>().join("; ")
}

pub(super) fn names(list: &[PartyRef]) -> String {
    list.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
}

pub(super) fn sender_text(l: &letter::Letter) -> String {
    match &l.sender_person {
        Some(p) => format!("{} ({})", l.sender.name, p.name),
        None => l.sender.name.clone(),
    }
}

/// "1,234" in English, "1 234" in French.
pub(super) fn thousands(n: i64, lang: Lang) -> String {
    let digits = n.unsigned_abs().to_string();
    let sep = match lang {
        Lang::En => ",",
        Lang::Fr => "\u{202f}",
    };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
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

/// The first letter in capitals, for a word that starts a label.
pub(super) fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
