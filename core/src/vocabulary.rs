//! The closed vocabularies of the record — case and allegation statuses, roles, party kinds, channels,
//! stances, certainties, evidence kinds, timeline and record kinds, file formats — each as one enum that
//! carries, for every value, its stored form and its words in English and French.
//!
//! This is the one place they are listed. The nouns validate input against these enums; clap offers
//! their values; the reports word them with [`Vocabulary::word`]; the desktop UI gets the same words
//! from `ui/src/lib/vocabulary.ts`, which the bindings test generates from [`groups`]; and a test
//! checks that the schema's `CHECK (… IN (…))` lists, which shipped migrations keep, still match.
//!
//! Words are lower case, as they read inside a sentence ("status: under review"); a front end that
//! shows one as a label capitalises it. French words agree with the noun they qualify: an allegation
//! is « contestée », a case « close ».

use std::fmt;

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::Serialize;

use crate::date::Lang;

/// How strictly [`Vocabulary::parse`] reads a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spelling {
    /// What a person types: any case, spaces or dashes for underscores ("In litigation").
    Lenient,
    /// What a program wrote (a bundle): the stored form only.
    Exact,
}

/// What every closed vocabulary can do.
pub trait Vocabulary: Copy + Sized + 'static {
    /// The vocabulary's name, as the UI's word table and error messages know it ("channel").
    const NAME: &'static str;
    /// Every value, in the order forms and reports list them.
    const ALL: &'static [Self];
    /// The value as stored and serialized ("press_statement").
    fn as_str(self) -> &'static str;
    /// The value in words ("press statement", « communiqué de presse »).
    fn word(self, lang: Lang) -> &'static str;

    /// The value `text` stands for, or `None` when it is not one.
    fn parse(text: &str, spelling: Spelling) -> Option<Self> {
        let wanted = match spelling {
            Spelling::Exact => text.to_string(),
            Spelling::Lenient => text.trim().to_lowercase().replace([' ', '-'], "_"),
        };
        Self::ALL.iter().copied().find(|v| v.as_str() == wanted)
    }

    /// Every value's stored form, for messages and clap's possible values.
    fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|v| v.as_str()).collect()
    }
}

macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident = $group:literal {
            $($variant:ident = $value:literal: $en:literal, $fr:literal;)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        pub enum $name {
            $(#[serde(rename = $value)] $variant,)+
        }

        impl $name {
            /// The value as stored and serialized.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $value,)+
                }
            }

            /// The value in words, in `lang`.
            pub fn word(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(($name::$variant, Lang::En) => $en, ($name::$variant, Lang::Fr) => $fr,)+
                }
            }
        }

        impl Vocabulary for $name {
            const NAME: &'static str = $group;
            const ALL: &'static [Self] = &[$($name::$variant),+];

            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }

            fn word(self, lang: Lang) -> &'static str {
                $name::word(self, lang)
            }
        }

        /// A value compares equal to its stored form, as the JSON and the database hold it.
        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.as_str()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.as_str()))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let text = value.as_str()?;
                <$name as Vocabulary>::parse(text, Spelling::Exact).ok_or_else(|| {
                    FromSqlError::Other(format!("'{text}' is not a {} value", $group).into())
                })
            }
        }
    };
}

vocabulary! {
    /// Where a case stands.
    CaseStatus = "case_status" {
        Open = "open": "open", "ouverte";
        InLitigation = "in_litigation": "in litigation", "en contentieux";
        Dormant = "dormant": "dormant", "en sommeil";
        Settled = "settled": "settled", "réglée";
        Closed = "closed": "closed", "close";
    }
}

vocabulary! {
    /// Where an allegation stands; the latest entry of its status history.
    AllegationStatus = "allegation_status" {
        Alleged = "alleged": "alleged", "alléguée";
        UnderReview = "under_review": "under review", "en cours d’examen";
        Disputed = "disputed": "disputed", "contestée";
        Admitted = "admitted": "admitted", "reconnue";
        Withdrawn = "withdrawn": "withdrawn", "retirée";
        Upheld = "upheld": "upheld", "retenue";
        Dismissed = "dismissed": "dismissed", "rejetée";
    }
}

impl AllegationStatus {
    /// Whether an allegation in this status still waits for an outcome.
    pub fn is_open(self) -> bool {
        matches!(self, AllegationStatus::Alleged | AllegationStatus::UnderReview | AllegationStatus::Disputed)
    }
}

vocabulary! {
    /// The part a party plays in a case.
    Role = "role" {
        Claimant = "claimant": "claimant", "demandeur";
        Respondent = "respondent": "respondent", "défendeur";
        Counsel = "counsel": "counsel", "conseil";
        ThirdParty = "third_party": "third party", "tiers";
        Regulator = "regulator": "regulator", "régulateur";
        Court = "court": "court", "juridiction";
        Reporter = "reporter": "reporter", "média";
        Source = "source": "source", "source";
        Witness = "witness": "witness", "témoin";
        Other = "other": "other", "autre";
    }
}

vocabulary! {
    /// What a party is.
    PartyKind = "party_kind" {
        Organisation = "organisation": "organisation", "organisation";
        Person = "person": "person", "personne";
        PublicBody = "public_body": "public body", "organisme public";
        Court = "court": "court", "juridiction";
        Media = "media": "media outlet", "média";
    }
}

vocabulary! {
    /// How a piece of correspondence was sent or made.
    Channel = "channel" {
        Letter = "letter": "letter", "lettre";
        Email = "email": "e-mail", "courriel";
        PressStatement = "press_statement": "press statement", "communiqué de presse";
        SocialMedia = "social_media": "social-media post", "publication sur un réseau social";
        CourtFiling = "court_filing": "court filing", "acte de procédure";
        Call = "call": "call", "appel";
        Meeting = "meeting": "meeting", "réunion";
        Other = "other": "other", "autre";
    }
}

vocabulary! {
    /// How a letter reaches a party.
    Recipient = "recipient" {
        To = "to": "to", "à";
        Cc = "cc": "cc", "cc";
    }
}

vocabulary! {
    /// What a response says to the allegations it answers.
    Stance = "stance" {
        Denies = "denies": "denies", "conteste";
        Admits = "admits": "admits", "reconnaît";
        PartlyAdmits = "partly_admits": "partly admits", "reconnaît en partie";
        WillReview = "will_review": "will review", "examinera";
        NoComment = "no_comment": "no comment", "sans commentaire";
    }
}

vocabulary! {
    /// How sure the record is of an attributed statement.
    Certainty = "certainty" {
        Confirmed = "confirmed": "confirmed", "confirmé";
        Reported = "reported": "reported", "rapporté";
        Alleged = "alleged": "alleged", "allégué";
        Rumoured = "rumoured": "rumoured", "rumeur";
    }
}

vocabulary! {
    /// Where a response deadline stands.
    DeadlineState = "deadline_state" {
        Open = "open": "open", "en attente";
        Answered = "answered": "answered", "répondu";
        Overdue = "overdue": "overdue", "en retard";
    }
}

vocabulary! {
    /// The sections of a case report (Markdown, HTML, Word), in the order they appear.
    ReportSection = "report_section" {
        Summary = "summary": "summary", "résumé";
        Parties = "parties": "cast of characters", "intervenants";
        Chronology = "chronology": "chronology", "chronologie";
        Agreements = "agreements": "agreements", "accords";
        Allegations = "allegations": "allegations", "allégations";
        Correspondence = "correspondence": "correspondence", "correspondance";
        Evidence = "evidence": "evidence index", "index des pièces";
    }
}

vocabulary! {
    /// What a piece of evidence is.
    EvidenceKind = "evidence_kind" {
        File = "file": "file", "fichier";
        Url = "url": "web page", "page web";
        Publication = "publication": "publication", "publication";
    }
}

vocabulary! {
    /// How the text of an evidence file was read.
    TextMethod = "text_method" {
        Plain = "plain": "text of the file", "texte du fichier";
        Pdf = "pdf": "PDF text layer", "couche texte du PDF";
        Ocr = "ocr": "character recognition", "reconnaissance de caractères";
        PdfOcr = "pdf_ocr": "PDF text layer and character recognition", "couche texte du PDF et reconnaissance de caractères";
        Docx = "docx": "Word document", "document Word";
        Odt = "odt": "OpenDocument text", "texte OpenDocument";
    }
}

vocabulary! {
    /// Where the extraction of an evidence file's text stands.
    TextState = "text_state" {
        Pending = "pending": "waiting to be read", "en attente de lecture";
        Done = "done": "text extracted", "texte extrait";
        Failed = "failed": "could not be read", "illisible";
        Unsupported = "unsupported": "no text to extract from this kind of file", "pas de texte à extraire de ce type de fichier";
        Stopped = "stopped": "reading stopped", "lecture arrêtée";
    }
}

vocabulary! {
    /// What a timeline entry shows. A record gives one entry or several (a letter and its deadline).
    EntryKind = "entry_kind" {
        AgreementEffective = "agreement_effective": "agreement takes effect", "entrée en vigueur";
        AgreementTerminated = "agreement_terminated": "agreement ends", "fin de l’accord";
        Event = "event": "event", "événement";
        Letter = "letter": "letter", "lettre";
        Allegation = "allegation": "allegation", "allégation";
        Response = "response": "response", "réponse";
        StatusChange = "status_change": "status change", "changement de statut";
        Deadline = "deadline": "deadline", "échéance";
        Evidence = "evidence": "evidence", "pièce";
    }
}

impl EntryKind {
    /// The kind of the record an entry of this kind opens.
    pub fn record_kind(self) -> RecordKind {
        match self {
            EntryKind::AgreementEffective | EntryKind::AgreementTerminated => RecordKind::Agreement,
            EntryKind::Event => RecordKind::Event,
            EntryKind::Letter | EntryKind::Deadline => RecordKind::Letter,
            EntryKind::Allegation | EntryKind::StatusChange => RecordKind::Allegation,
            EntryKind::Response => RecordKind::Response,
            EntryKind::Evidence => RecordKind::Evidence,
        }
    }
}

vocabulary! {
    /// The kinds of record: every row of the `record` registry is one of them.
    RecordKind = "record_kind" {
        Case = "case": "case", "affaire";
        Party = "party": "party", "partie";
        Agreement = "agreement": "agreement", "accord";
        Clause = "clause": "clause", "clause";
        Letter = "letter": "letter", "lettre";
        Allegation = "allegation": "allegation", "allégation";
        Response = "response": "response", "réponse";
        Event = "event": "event", "événement";
        Evidence = "evidence": "evidence", "pièce";
    }
}

vocabulary! {
    /// The files a case is exported to or imported from.
    Format = "format" {
        Md = "md": "Markdown summary", "synthèse Markdown";
        Html = "html": "HTML report (print-ready)", "rapport HTML (prêt à imprimer)";
        Docx = "docx": "Word document (summary)", "document Word (synthèse)";
        Pdf = "pdf": "PDF (print-ready summary)", "PDF (synthèse prête à imprimer)";
        Csv = "csv": "CSV chronology", "chronologie CSV";
        Json = "json": "JSON bundle (whole case)", "lot JSON (affaire complète)";
        Ics = "ics": "calendar of deadlines (ICS)", "calendrier des échéances (ICS)";
        Site = "site": "published timeline (static site, no private records)", "chronologie publiée (site statique, sans éléments privés)";
        Timelinejs = "timelinejs": "TimelineJS JSON (published, no private records)", "JSON TimelineJS (publié, sans éléments privés)";
        Eml = "eml": "e-mail (.eml)", "courriel (.eml)";
        Mbox = "mbox": "mailbox (.mbox)", "boîte aux lettres (.mbox)";
        Xlsx = "xlsx": "chronology in an Excel workbook (.xlsx)", "chronologie dans un classeur Excel (.xlsx)";
        Ods = "ods": "chronology in an OpenDocument workbook (.ods)", "chronologie dans un classeur OpenDocument (.ods)";
        Msg = "msg": "Outlook e-mail (.msg)", "courriel Outlook (.msg)";
        Pst = "pst": "Outlook mailbox archive (.pst)", "archive de messagerie Outlook (.pst)";
        Warc = "warc": "captured web page (.warc)", "page web capturée (.warc)";
        Mhtml = "mhtml": "web page saved by a browser (.mhtml)", "page web enregistrée par un navigateur (.mhtml)";
        PrivilegeLog = "privilege-log": "privilege log (CSV, or Word for a .docx file)", "journal des pièces couvertes (CSV, ou Word pour un fichier .docx)";
        RedactionLog = "redaction-log": "redaction log (CSV, or Word for a .docx file)", "journal des occultations (CSV, ou Word pour un fichier .docx)";
    }
}

impl Format {
    /// What a case can be exported to.
    pub const EXPORTS: &'static [Format] = &[
        Format::Md,
        Format::Html,
        Format::Docx,
        Format::Pdf,
        Format::Csv,
        Format::Json,
        Format::Ics,
        Format::Site,
        Format::Timelinejs,
        Format::PrivilegeLog,
        Format::RedactionLog,
    ];
    /// What can be imported.
    pub const IMPORTS: &'static [Format] = &[
        Format::Json,
        Format::Csv,
        Format::Xlsx,
        Format::Ods,
        Format::Eml,
        Format::Mbox,
        Format::Msg,
        Format::Pst,
        Format::Warc,
        Format::Mhtml,
    ];
}

vocabulary! {
    /// Why a record was erased (really removed, from the tables, the change log and the evidence
    /// store), as the erasure's change-log entry keeps it.
    ErasureReason = "erasure_reason" {
        Clawback = "clawback": "clawback of privileged material", "restitution d’une pièce couverte par le secret";
        SourceProtection = "source_protection": "source protection", "protection des sources";
        ErasureRequest = "erasure_request": "erasure request", "demande d’effacement";
        ReceivedInError = "received_in_error": "received in error", "reçu par erreur";
        Other = "other": "other reason", "autre motif";
    }
}

vocabulary! {
    /// Why a record is withheld as privileged, as the privilege log states it.
    PrivilegeBasis = "privilege_basis" {
        LegalAdvice = "legal_advice": "legal advice privilege", "consultation juridique (secret professionnel)";
        Litigation = "litigation": "litigation privilege", "préparation d’un contentieux";
        WorkProduct = "work_product": "attorney work product", "travail préparatoire de l’avocat";
        ProfessionalSecrecy = "professional_secrecy": "lawyer’s professional secrecy (secret professionnel de l’avocat)", "secret professionnel de l’avocat";
        Other = "other": "other basis", "autre fondement";
    }
}

vocabulary! {
    /// Why a passage is redacted, as the box's label and the redaction log say it.
    RedactionReason = "redaction_reason" {
        PersonalData = "personal_data": "personal data", "données personnelles";
        Privilege = "privilege": "privilege", "secret professionnel";
        ThirdParty = "third_party": "third party", "tiers";
        Commercial = "commercial": "commercially sensitive", "secret des affaires";
        Other = "other": "other", "autre motif";
    }
}

vocabulary! {
    /// How a document went into a production.
    ProductionDisposition = "production_disposition" {
        Produced = "produced": "produced", "produit";
        Redacted = "redacted": "produced redacted", "produit occulté";
        Withheld = "withheld": "withheld as privileged", "retenu (secret professionnel)";
        Native = "native": "produced in native form", "produit en format natif";
    }
}

/// One value of a vocabulary with its words, as the UI's generated word table lists it.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub value: &'static str,
    pub en: &'static str,
    pub fr: &'static str,
}

fn entries<V: Vocabulary>() -> (&'static str, Vec<Entry>) {
    let list = V::ALL.iter().map(|v| Entry { value: v.as_str(), en: v.word(Lang::En), fr: v.word(Lang::Fr) }).collect();
    (V::NAME, list)
}

/// Every vocabulary by name, each with its values in order: the source of the UI's word table.
pub fn groups() -> Vec<(&'static str, Vec<Entry>)> {
    vec![
        entries::<CaseStatus>(),
        entries::<AllegationStatus>(),
        entries::<Role>(),
        entries::<PartyKind>(),
        entries::<Channel>(),
        entries::<Recipient>(),
        entries::<Stance>(),
        entries::<Certainty>(),
        entries::<DeadlineState>(),
        entries::<EvidenceKind>(),
        entries::<EntryKind>(),
        entries::<RecordKind>(),
        entries::<Format>(),
        entries::<ReportSection>(),
        entries::<TextMethod>(),
        entries::<TextState>(),
        entries::<ErasureReason>(),
        entries::<PrivilegeBasis>(),
        entries::<RedactionReason>(),
        entries::<ProductionDisposition>(),
    ]
}
