//! The residuals the second review found in old findings it otherwise called fixed (its "Old
//! findings" table, rows 1, 13 and 15): each test runs the residual's reproduction.

use crate::common::*;
use dossier_core::record::case::{self, CaseInput};
use dossier_core::transfer::import;

fn with_case(summary: &str) -> Fixture {
    let mut fx = fresh();
    case::create(
        &mut fx.store,
        &CaseInput { title: "Innocent".into(), slug: "innocent".into(), summary: summary.into(), ..Default::default() },
    )
    .expect("case");
    fx
}

/// Old 1: a file picked by mistake for a CSV import (say, a file of keys) is refused without its
/// first line being quoted back: the message counts the columns and names the missing ones.
#[test]
fn old_1_a_csv_refusal_quotes_no_cell_of_the_first_line() {
    let mut fx = with_case("");
    let keys = b"AKIAIOSFODNN7EXAMPLE,wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nAKIA2,secret2\n";
    let err = refused(&mut fx.store, |s| import::csv_chronology(s, "innocent", keys));
    assert_eq!(err.code(), "invalid_input");
    says(&err, &["no 'date' column", "no 'title' column", "the first line has 2 columns, none of them one Dossier reads"]);
    let message = err.to_string();
    assert!(!message.contains("AKIA") && !message.contains("wJal"), "{message}");

    let half = b"date,password\n2023,hunter2\n";
    let err = refused(&mut fx.store, |s| import::csv_chronology(s, "innocent", half));
    says(&err, &["no 'title' column", "2 columns, 1 of them recognised (date)"]);
    assert!(!err.to_string().contains("password"), "{err}");
}
