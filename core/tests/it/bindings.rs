//! Guards that `ui/src/lib/bindings.ts`, the TypeScript types of everything that crosses the desktop
//! app's IPC, is what the Rust types generate today. Regenerate it with
//! `DOSSIER_UPDATE_BINDINGS=1 cargo test -p dossier-core --test it bindings`. The same test writes
//! `ui/src/lib/vocabulary.ts`, the word table of every closed vocabulary, and the list of error codes in
//! ARCHITECTURE.md.

use ts_rs::{Config, TS};

use dossier_core::vocabulary::{self, *};

use dossier_core::care::{backup, check, encryption};
use dossier_core::record::{
    agreement, allegation, attribution, case, event, evidence, letter, party, privilege, production, response, role,
    PartyRef,
};
use dossier_core::store::{anchor, companions, log_key, text};
use dossier_core::transfer;
use dossier_core::transfer::import;
use dossier_core::transfer::produce::{self, hearing};
use dossier_core::view::{calendar, history, overview, search, timeline};

fn generate() -> String {
    let cfg = Config::new().with_large_int("number");
    let decls = [
        dossier_core::ErrorCode::decl(&cfg),
        CaseStatus::decl(&cfg),
        AllegationStatus::decl(&cfg),
        Role::decl(&cfg),
        PartyKind::decl(&cfg),
        Channel::decl(&cfg),
        Recipient::decl(&cfg),
        Stance::decl(&cfg),
        Certainty::decl(&cfg),
        DeadlineState::decl(&cfg),
        EvidenceKind::decl(&cfg),
        EntryKind::decl(&cfg),
        RecordKind::decl(&cfg),
        Format::decl(&cfg),
        TextMethod::decl(&cfg),
        TextState::decl(&cfg),
        ErasureReason::decl(&cfg),
        PrivilegeBasis::decl(&cfg),
        RedactionReason::decl(&cfg),
        case::CaseInput::decl(&cfg),
        case::Case::decl(&cfg),
        overview::CaseSummary::decl(&cfg),
        overview::Overview::decl(&cfg),
        overview::AllegationBrief::decl(&cfg),
        overview::StatusCount::decl(&cfg),
        overview::Counts::decl(&cfg),
        party::PartyInput::decl(&cfg),
        party::AffiliationInput::decl(&cfg),
        party::Party::decl(&cfg),
        party::Affiliation::decl(&cfg),
        role::CaseRole::decl(&cfg),
        agreement::AgreementInput::decl(&cfg),
        agreement::ClauseInput::decl(&cfg),
        agreement::Agreement::decl(&cfg),
        agreement::Clause::decl(&cfg),
        letter::LetterInput::decl(&cfg),
        letter::Address::decl(&cfg),
        letter::Letter::decl(&cfg),
        letter::Deadline::decl(&cfg),
        letter::Upcoming::decl(&cfg),
        letter::CountedFrom::decl(&cfg),
        privilege::PrivilegeInput::decl(&cfg),
        privilege::Privilege::decl(&cfg),
        letter::ThreadItem::decl(&cfg),
        allegation::AllegationInput::decl(&cfg),
        allegation::StatusInput::decl(&cfg),
        allegation::Allegation::decl(&cfg),
        allegation::RaisedIn::decl(&cfg),
        allegation::StatusEntry::decl(&cfg),
        response::ResponseInput::decl(&cfg),
        response::Response::decl(&cfg),
        event::EventInput::decl(&cfg),
        event::Event::decl(&cfg),
        PartyRef::decl(&cfg),
        evidence::EvidenceInput::decl(&cfg),
        evidence::FileInput::decl(&cfg),
        evidence::LinkInput::decl(&cfg),
        evidence::Evidence::decl(&cfg),
        evidence::capture::Capture::decl(&cfg),
        evidence::capture::CapturePart::decl(&cfg),
        evidence::RedactedFrom::decl(&cfg),
        evidence::RedactedCopy::decl(&cfg),
        evidence::redact::RedactedBox::decl(&cfg),
        evidence::redact::RedactInput::decl(&cfg),
        evidence::redact::BoxInput::decl(&cfg),
        evidence::redact::FindInput::decl(&cfg),
        evidence::redact::Hit::decl(&cfg),
        evidence::Link::decl(&cfg),
        evidence::QuoteInput::decl(&cfg),
        evidence::Quote::decl(&cfg),
        evidence::QuoteCheck::decl(&cfg),
        text::FileText::decl(&cfg),
        text::PageText::decl(&cfg),
        attribution::AttributionInput::decl(&cfg),
        attribution::Attribution::decl(&cfg),
        attribution::Worded::decl(&cfg),
        timeline::Filter::decl(&cfg),
        timeline::Entry::decl(&cfg),
        timeline::Page::decl(&cfg),
        timeline::Outline::decl(&cfg),
        dossier_core::record::Listed::<()>::decl(&cfg),
        dossier_core::store::Upgrade::decl(&cfg),
        dossier_core::view::linkable::Linkable::decl(&cfg),
        dossier_core::view::allegations::AllegationItem::decl(&cfg),
        timeline::MonthCount::decl(&cfg),
        calendar::DateInfo::decl(&cfg),
        calendar::Group::decl(&cfg),
        calendar::Tick::decl(&cfg),
        search::Hit::decl(&cfg),
        search::Piece::decl(&cfg),
        import::ImportReport::decl(&cfg),
        transfer::ExportRequest::decl(&cfg),
        transfer::export::ReportOptions::decl(&cfg),
        transfer::ImportRequest::decl(&cfg),
        transfer::TransferReport::decl(&cfg),
        transfer::PublishCheck::decl(&cfg),
        transfer::export::PrivateName::decl(&cfg),
        transfer::export::PublishedText::decl(&cfg),
        anchor::Anchor::decl(&cfg),
        check::CheckReport::decl(&cfg),
        check::Problem::decl(&cfg),
        check::Seals::decl(&cfg),
        dossier_core::care::erase::EraseInput::decl(&cfg),
        dossier_core::care::erase::EraseReport::decl(&cfg),
        dossier_core::care::erase::Elsewhere::decl(&cfg),
        dossier_core::care::erase::ErasureNote::decl(&cfg),
        log_key::Kept::decl(&cfg),
        backup::BackupReport::decl(&cfg),
        backup::RestoreReport::decl(&cfg),
        companions::Kind::decl(&cfg),
        companions::Companion::decl(&cfg),
        companions::Done::decl(&cfg),
        companions::Outcome::decl(&cfg),
        encryption::EncryptReport::decl(&cfg),
        history::Change::decl(&cfg),
        history::ErasedBy::decl(&cfg),
        ProductionDisposition::decl(&cfg),
        produce::Selection::decl(&cfg),
        produce::ProduceInput::decl(&cfg),
        produce::Produced::decl(&cfg),
        produce::preview::ProducePreview::decl(&cfg),
        produce::preview::CaseDocument::decl(&cfg),
        production::Production::decl(&cfg),
        production::ProducedDocument::decl(&cfg),
        production::ProductionEntry::decl(&cfg),
        hearing::HearingInput::decl(&cfg),
        hearing::SectionInput::decl(&cfg),
        hearing::HearingBundle::decl(&cfg),
        hearing::BundledSection::decl(&cfg),
        hearing::BundledDocument::decl(&cfg),
    ];
    let mut out = String::from("// Generated from the Rust types by core/tests/it/bindings.rs. Do not edit.\n");
    for d in decls {
        out.push('\n');
        out.push_str("export ");
        out.push_str(d.trim());
        out.push('\n');
    }
    out
}

/// The UI's word table: every vocabulary's values in order, with their English and French words.
fn vocabulary_ts() -> String {
    let mut groups = serde_json::Map::new();
    for (name, entries) in vocabulary::groups() {
        groups.insert(name.to_string(), serde_json::to_value(entries).expect("vocabulary entries serialize"));
    }
    let json = serde_json::to_string_pretty(&groups).expect("vocabulary serializes");
    format!(
        "// Generated from core/src/vocabulary.rs by core/tests/it/bindings.rs. Do not edit.\n\n\
         /** Every closed vocabulary: its values in order, each with its words in English and French. */\n\
         export const VOCABULARY = {json} as const;\n\n\
         export type VocabularyName = keyof typeof VOCABULARY;\n"
    )
}

/// Compares a generated file with the committed one, rewriting it first when asked to.
fn check_fresh(relative: &str, fresh: &str) {
    let path = format!("{}/../{relative}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("DOSSIER_UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, fresh).unwrap_or_else(|e| panic!("write {relative}: {e}"));
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "{relative} is stale: run DOSSIER_UPDATE_BINDINGS=1 cargo test -p dossier-core --test it bindings"
    );
}

/// ARCHITECTURE.md with its list of error codes (between the `error-codes` markers) as the enum has them.
fn architecture_md() -> String {
    let path = format!("{}/../ARCHITECTURE.md", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let (open, close) = ("<!-- error-codes -->", "<!-- /error-codes -->");
    let start = text.find(open).expect("ARCHITECTURE.md marks its list of error codes") + open.len();
    let end = start + text[start..].find(close).expect("the end of the list of error codes");
    let codes: Vec<String> = dossier_core::ErrorCode::ALL.iter().map(|c| format!("`{c}`")).collect();
    format!("{}{}{}", &text[..start], codes.join(", "), &text[end..])
}

#[test]
fn architecture_lists_every_error_code() {
    check_fresh("ARCHITECTURE.md", &architecture_md());
}

#[test]
fn typescript_bindings_are_up_to_date() {
    check_fresh("ui/src/lib/bindings.ts", &generate());
}

#[test]
fn the_ui_word_table_is_up_to_date() {
    check_fresh("ui/src/lib/vocabulary.ts", &vocabulary_ts());
}
