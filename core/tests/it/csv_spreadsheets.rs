//! CSV chronologies as spreadsheets save them: numeric dates in the order the file shows (day first or
//! month first, decided once for the whole file), Excel's serial numbers, and parties separated by
//! commas when each piece is a known party.

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

#[test]
fn excel_serial_numbers_and_comma_separated_parties_read_as_a_spreadsheet_user_means() {
    let mut fx = crate::common::with_case("");
    for name in ["Getty Images", "Stability AI", "Twitter, Inc."] {
        let input = dossier_core::record::party::PartyInput {
            name: name.into(),
            kind: "organisation".into(),
            ..Default::default()
        };
        dossier_core::record::party::create(&mut fx.store, &input).expect("party");
    }
    let file = "date;title;parties\n45000;Serial;Getty Images, Stability AI\n2023;A year;Twitter, Inc.\n";
    dossier_core::transfer::import::csv_chronology(&mut fx.store, "innocent", file.as_bytes()).expect("imports");
    let events = dossier_core::record::event::list(fx.store.reader(), "innocent").expect("events");
    let shown = |title: &str| {
        let e = events.iter().find(|e| e.title == title).expect("the event");
        let mut names: Vec<String> = e.parties.iter().map(|p| p.name.clone()).collect();
        names.sort();
        (e.date.clone(), names)
    };
    // Excel's day 45000 is 15 March 2023; four digits stay a year.
    assert_eq!(
        shown("Serial"),
        ("2023-03-15".to_string(), vec!["Getty Images".to_string(), "Stability AI".to_string()])
    );
    // The whole cell names a party first: "Twitter, Inc." is one.
    assert_eq!(shown("A year"), ("2023".to_string(), vec!["Twitter, Inc.".to_string()]));
    // A comma-separated cell whose pieces are not all known parties is one unknown name, as before.
    let file = "date;title;parties\n2023-01-02;X;Getty Images, Nobody Known\n";
    let err = crate::common::refused(&mut fx.store, |s| {
        dossier_core::transfer::import::csv_chronology(s, "innocent", file.as_bytes())
    });
    assert!(err.to_string().contains("Getty Images, Nobody Known"), "{err}");
}
