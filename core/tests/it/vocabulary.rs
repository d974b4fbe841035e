//! The closed vocabularies: one list of values, with words in both languages, that the schema, the
//! reports, the CLI and the app all follow.

use crate::common::*;
use dossier_core::date::Lang;
use dossier_core::vocabulary::*;

/// The values of a column's `CHECK (column IN ('a', 'b', …))` in the live schema.
fn check_values(store: &dossier_core::Store, table: &str, column: &str) -> Vec<String> {
    let sql: String = store
        .reader()
        .one("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1", [table], |r| r.get(0))
        .unwrap_or_else(|e| panic!("schema of {table}: {e}"));
    let flat = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    let marker = format!("CHECK ({column} IN (");
    let start =
        flat.find(&marker).unwrap_or_else(|| panic!("{table}.{column} has no CHECK list: {flat}")) + marker.len();
    let end = start + flat[start..].find(')').expect("the list closes");
    flat[start..end].split(',').map(|v| v.trim().trim_matches('\'').to_string()).collect()
}

fn names<V: Vocabulary>() -> Vec<String> {
    V::ALL.iter().map(|v| v.as_str().to_string()).collect()
}

/// Guards: the schema's CHECK lists (kept by shipped migrations, which are never edited) allow exactly
/// the values of the Rust vocabularies, so a value added on one side only fails here, not in a user's
/// database.
#[test]
fn the_schema_checks_the_same_values_as_the_vocabularies() {
    let fx = fresh();
    let s = &fx.store;
    let pairs: [(&str, &str, Vec<String>); 10] = [
        ("record", "kind", names::<RecordKind>()),
        ("case_file", "status", names::<CaseStatus>()),
        ("party", "kind", names::<PartyKind>()),
        ("case_party", "role", names::<Role>()),
        ("letter", "channel", names::<Channel>()),
        ("letter_recipient", "kind", names::<Recipient>()),
        ("allegation_status", "status", names::<AllegationStatus>()),
        ("response", "stance", names::<Stance>()),
        ("evidence", "kind", names::<EvidenceKind>()),
        ("attribution", "certainty", names::<Certainty>()),
    ];
    for (table, column, values) in pairs {
        assert_eq!(check_values(s, table, column), values, "{table}.{column}");
    }
}

/// Guards: every value of every vocabulary has its words in English and in French, and a value two
/// vocabularies share (a letter as a record and as a timeline entry) reads the same in both.
#[test]
fn every_value_has_words_in_both_languages() {
    for (name, entries) in groups() {
        assert!(!entries.is_empty(), "{name} has values");
        for e in &entries {
            assert!(
                !e.en.trim().is_empty() && !e.fr.trim().is_empty(),
                "{name}.{} needs words in both languages",
                e.value
            );
            assert!(e.en == e.en.trim() && e.fr == e.fr.trim(), "{name}.{}: no stray spaces", e.value);
        }
        let mut values: Vec<&str> = entries.iter().map(|e| e.value).collect();
        values.sort_unstable();
        values.dedup();
        assert_eq!(values.len(), entries.len(), "{name} lists each value once");
    }
    for kind in RecordKind::ALL {
        if let Some(entry) = EntryKind::parse(kind.as_str(), Spelling::Exact) {
            for lang in [Lang::En, Lang::Fr] {
                assert_eq!(entry.word(lang), kind.word(lang), "{kind} as an entry and as a record, {lang:?}");
            }
        }
    }
}

/// Guards: a person may type a value as it reads ("In litigation", "under-review"); a file must spell
/// it as stored.
#[test]
fn values_are_read_leniently_from_people_and_exactly_from_files() {
    assert_eq!(CaseStatus::parse(" In litigation ", Spelling::Lenient), Some(CaseStatus::InLitigation));
    assert_eq!(AllegationStatus::parse("under-review", Spelling::Lenient), Some(AllegationStatus::UnderReview));
    assert_eq!(CaseStatus::parse("In litigation", Spelling::Exact), None);
    assert_eq!(CaseStatus::parse("in_litigation", Spelling::Exact), Some(CaseStatus::InLitigation));
    assert_eq!(Stance::parse("refuses", Spelling::Lenient), None);
}

/// Guards: every timeline entry kind opens the record it was made from.
#[test]
fn each_entry_kind_opens_its_record() {
    let cases = [
        (EntryKind::Deadline, RecordKind::Letter),
        (EntryKind::StatusChange, RecordKind::Allegation),
        (EntryKind::AgreementEffective, RecordKind::Agreement),
        (EntryKind::AgreementTerminated, RecordKind::Agreement),
        (EntryKind::Event, RecordKind::Event),
        (EntryKind::Response, RecordKind::Response),
        (EntryKind::Evidence, RecordKind::Evidence),
    ];
    for (entry, record) in cases {
        assert_eq!(entry.record_kind(), record, "{entry}");
    }
}
