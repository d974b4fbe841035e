//! Numeric dates in a CSV chronology, as spreadsheets save them: their order (day first or month
//! first) decided once for the whole file by the rows that can only be read one way.

/// The dates of a chronology's events, by title.
fn dates_of(store: &dossier_core::Store, case: &str) -> Vec<(String, String)> {
    let mut events: Vec<(String, String)> = dossier_core::record::event::list(store.reader(), case)
        .expect("events")
        .into_iter()
        .map(|e| (e.title, e.date))
        .collect();
    events.sort();
    events
}

#[test]
fn a_french_spreadsheet_chronology_reads_its_dates_day_first() {
    let mut fx = crate::common::with_case("");
    let file =
        "\u{feff}date;titre;parties\r\n17/01/2023;Mise en demeure;Getty Images\r\n05/06/2023;Réponse;Stability AI\r\n\
                18 mai 2023;Communiqué;Getty Images\r\nvers avril 2023;Rumeur;Stability AI\r\n";
    let report = dossier_core::transfer::import::csv_chronology_with(&mut fx.store, "innocent", file.as_bytes(), true)
        .expect("the file imports");
    assert_eq!(report.events, 4);
    assert_eq!(
        dates_of(&fx.store, "innocent"),
        [
            ("Communiqué".to_string(), "2023-05-18".to_string()),
            ("Mise en demeure".to_string(), "2023-01-17".to_string()),
            ("Rumeur".to_string(), "~2023-04".to_string()),
            // Row 2 can only be read day first, so the whole file is.
            ("Réponse".to_string(), "2023-06-05".to_string()),
        ]
    );
}

#[test]
fn a_chronology_written_month_first_reads_month_first() {
    let mut fx = crate::common::with_case("");
    let file = "date,title\n01/17/2023,Demand letter\n05/06/2023,Reply\n";
    dossier_core::transfer::import::csv_chronology(&mut fx.store, "innocent", file.as_bytes()).expect("imports");
    assert_eq!(
        dates_of(&fx.store, "innocent"),
        [("Demand letter".to_string(), "2023-01-17".to_string()), ("Reply".to_string(), "2023-05-06".to_string())]
    );
}

#[test]
fn a_chronology_that_writes_its_dates_both_ways_is_refused_naming_both_rows() {
    let mut fx = crate::common::with_case("");
    let file = "date,title\n2023-01-02,Fine\n13/01/2023,Day first\n01/13/2023,Month first\n";
    let err = crate::common::refused(&mut fx.store, |s| {
        dossier_core::transfer::import::csv_chronology(s, "innocent", file.as_bytes())
    });
    let said = err.to_string();
    assert!(said.contains("row 3") && said.contains("13/01/2023"), "{said}");
    assert!(said.contains("row 4") && said.contains("01/13/2023"), "{said}");
    // A file whose every numeric date reads both ways says which row, with both readings.
    let file = "date,title\n05/06/2023,Either\n";
    let err = crate::common::refused(&mut fx.store, |s| {
        dossier_core::transfer::import::csv_chronology(s, "innocent", file.as_bytes())
    });
    let said = err.to_string();
    assert!(said.contains("row 2") && said.contains("2023-06-05") && said.contains("2023-05-06"), "{said}");
}
