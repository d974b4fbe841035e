//! The records of a generated case as they are drawn, and how the write of the case makes each one:
//! through the record modules' in-write functions, so that each is checked as when it is typed in.

use crate::error::{Error, Result};
use crate::record::agreement::{self, AgreementInput, ClauseInput};
use crate::record::allegation::{self, AllegationInput, StatusInput};
use crate::record::case::{self, CaseInput};
use crate::record::event::{self, EventInput};
use crate::record::evidence::{self, EvidenceInput, FileInput, LinkInput, Staged};
use crate::record::letter::{self, LetterInput};
use crate::record::party::{self, LookAlikes, PartyInput};
use crate::record::response::{self, ResponseInput};
use crate::record::role;
use crate::store::{registry, Writer};

/// One record drawn, naming the records it refers to by the ids their own making returned.
pub(super) enum Drawn<'a> {
    /// The case, with the id it is made with.
    Case(&'a str, &'a CaseInput),
    Party(&'a PartyInput),
    /// A role in a case (case, party, role).
    Role(&'a str, &'a str, &'static str),
    Event(&'a EventInput),
    Letter(&'a LetterInput),
    /// A text file, with its text.
    File(&'a FileInput, &'a str),
    Url(&'a EvidenceInput),
    Link(&'a LinkInput),
    Allegation(&'a AllegationInput),
    /// A change of status of an allegation, by id.
    Status(&'a str, &'a StatusInput),
    Response(&'a ResponseInput),
    Agreement(&'a AgreementInput),
    /// A clause of an agreement, by id.
    Clause(&'a str, &'a ClauseInput),
}

/// Makes `record` inside the write of the case, taking a file's content from `files`, the files
/// staged in the order they were drawn; returns the id of what it made (none for a role, a link or a
/// change of status, which are not records of their own).
pub(super) fn write(w: &Writer<'_>, record: Drawn<'_>, files: &mut impl Iterator<Item = Staged>) -> Result<String> {
    let none = |()| String::new();
    match record {
        Drawn::Case(id, input) => case::create_in(w, id, input).map(|()| id.to_string()),
        Drawn::Party(input) => {
            let id = registry::new_id();
            party::create_in(w, &id, input, LookAlikes::Refuse)?;
            Ok(id)
        }
        Drawn::Role(case, party, role) => role::add_role_in(w, case, party, role, None).map(none),
        Drawn::Event(input) => event::create_in(w, input),
        Drawn::Letter(input) => letter::create_in(w, input),
        Drawn::File(input, _) => {
            let unstaged = || Error::internal(format!("the file {} was not staged", input.path.display()));
            let staged = files.next().ok_or_else(unstaged)?;
            let id = registry::new_id();
            evidence::insert_staged(w, &id, &staged)?;
            Ok(id)
        }
        Drawn::Url(input) => evidence::create_in(w, input),
        Drawn::Link(input) => evidence::link_in(w, input).map(none),
        Drawn::Allegation(input) => allegation::create_in(w, input),
        Drawn::Status(id, input) => allegation::set_status_in(w, id, input).map(none),
        Drawn::Response(input) => response::create_in(w, input),
        Drawn::Agreement(input) => agreement::create_in(w, input),
        Drawn::Clause(id, input) => agreement::add_clause_in(w, id, input),
    }
}
