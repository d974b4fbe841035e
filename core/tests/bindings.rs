//! Guards that `ui/src/lib/bindings.ts`, the TypeScript types of everything that crosses the desktop
//! app's IPC, is what the Rust types generate today. Regenerate it with
//! `DOSSIER_UPDATE_BINDINGS=1 cargo test -p dossier-core --test bindings`.

use ts_rs::{Config, TS};

use dossier_core::record::{agreement, allegation, attribution, case, event, evidence, letter, party, response, role, PartyRef};
use dossier_core::transfer;
use dossier_core::transfer::import;
use dossier_core::view::{calendar, overview, search, timeline};

fn generate() -> String {
    let cfg = Config::new().with_large_int("number");
    let decls = [
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
        letter::Letter::decl(&cfg),
        letter::Deadline::decl(&cfg),
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
        evidence::Link::decl(&cfg),
        attribution::AttributionInput::decl(&cfg),
        attribution::Attribution::decl(&cfg),
        timeline::Filter::decl(&cfg),
        timeline::Entry::decl(&cfg),
        timeline::Page::decl(&cfg),
        calendar::DateInfo::decl(&cfg),
        calendar::Group::decl(&cfg),
        calendar::Tick::decl(&cfg),
        search::Hit::decl(&cfg),
        import::ImportReport::decl(&cfg),
        transfer::ExportRequest::decl(&cfg),
        transfer::ImportRequest::decl(&cfg),
        transfer::TransferReport::decl(&cfg),
    ];
    let mut out = String::from("// Generated from the Rust types by core/tests/bindings.rs. Do not edit.\n");
    for d in decls {
        out.push('\n');
        out.push_str("export ");
        out.push_str(d.trim());
        out.push('\n');
    }
    out
}

#[test]
fn typescript_bindings_are_up_to_date() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/lib/bindings.ts");
    let fresh = generate();
    if std::env::var_os("DOSSIER_UPDATE_BINDINGS").is_some() {
        std::fs::write(path, &fresh).expect("write bindings");
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == fresh,
        "ui/src/lib/bindings.ts is stale: run DOSSIER_UPDATE_BINDINGS=1 cargo test -p dossier-core --test bindings"
    );
}
