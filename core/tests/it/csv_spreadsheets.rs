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

/// A zip archive of `parts` (name, text), as a workbook is.
fn zipped(parts: &[(&str, String)]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in parts {
        zip.start_file(*name, zip::write::SimpleFileOptions::default()).expect("entry");
        zip.write_all(text.as_bytes()).expect("write");
    }
    zip.finish().expect("zip").into_inner()
}

/// An Excel workbook of two sheets, "Notes" then "Chronologie", whose rows are (cells, each a text or,
/// with a leading `#`, a day number styled as a date, as Excel stores a date cell).
fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    const PKG: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
    let cell = |text: &str| match text.strip_prefix('#') {
        Some(days) => format!("<c s=\"1\"><v>{days}</v></c>"),
        None => format!("<c t=\"inlineStr\"><is><t>{text}</t></is></c>"),
    };
    let sheet = |rows: &[&[&str]]| {
        let rows: String =
            rows.iter().map(|r| format!("<row>{}</row>", r.iter().map(|c| cell(c)).collect::<String>())).collect();
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"{MAIN}\"><sheetData>{rows}</sheetData></worksheet>")
    };
    let sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
    zipped(&[
        ("[Content_Types].xml", format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
             <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
             <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
             <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
             <Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"{sheet_type}\"/>\
             <Override PartName=\"/xl/worksheets/sheet2.xml\" ContentType=\"{sheet_type}\"/>\
             <Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/></Types>"
        )),
        ("_rels/.rels", format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"{PKG}\"><Relationship Id=\"rId1\" \
             Type=\"{REL}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"
        )),
        ("xl/workbook.xml", format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"{MAIN}\" xmlns:r=\"{REL}\"><sheets>\
             <sheet name=\"Notes\" sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"Chronologie\" sheetId=\"2\" r:id=\"rId2\"/>\
             </sheets></workbook>"
        )),
        ("xl/_rels/workbook.xml.rels", format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"{PKG}\">\
             <Relationship Id=\"rId1\" Type=\"{REL}/worksheet\" Target=\"worksheets/sheet1.xml\"/>\
             <Relationship Id=\"rId2\" Type=\"{REL}/worksheet\" Target=\"worksheets/sheet2.xml\"/>\
             <Relationship Id=\"rId3\" Type=\"{REL}/styles\" Target=\"styles.xml\"/></Relationships>"
        )),
        ("xl/styles.xml", format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><styleSheet xmlns=\"{MAIN}\"><cellXfs count=\"2\">\
             <xf numFmtId=\"0\"/><xf numFmtId=\"14\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>"
        )),
        ("xl/worksheets/sheet1.xml", sheet(&[&["Rien à importer ici"]])),
        ("xl/worksheets/sheet2.xml", sheet(rows)),
    ])
}

#[test]
fn a_chronology_in_an_excel_workbook_imports_from_the_sheet_named() {
    let mut fx = crate::common::with_case("");
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("chronologie.xlsx");
    let rows: &[&[&str]] = &[
        &["date", "titre", "parties"],
        &["#44943", "Mise en demeure", "Getty Images, Stability AI"],
        &["17/06/2023", "Réponse", "Stability AI"],
        &["18 mai 2023", "Communiqué", "Getty Images"],
    ];
    std::fs::write(&file, xlsx(rows)).expect("write");
    for name in ["Getty Images", "Stability AI"] {
        let input = dossier_core::record::party::PartyInput {
            name: name.into(),
            kind: "organisation".into(),
            ..Default::default()
        };
        dossier_core::record::party::create(&mut fx.store, &input).expect("party");
    }
    let request = |sheet: &str| dossier_core::transfer::ImportRequest {
        path: file.clone(),
        case: "innocent".into(),
        sheet: sheet.into(),
        ..Default::default()
    };
    // The first sheet holds no chronology: refused, naming what it lacks, and nothing written.
    let err = crate::common::refused(&mut fx.store, |s| dossier_core::transfer::import(s, &request("")));
    assert!(err.to_string().contains("date"), "{err}");
    let err = crate::common::refused(&mut fx.store, |s| dossier_core::transfer::import(s, &request("Feuille 9")));
    assert!(err.to_string().contains("Chronologie"), "the sheets it has are named: {err}");
    let report = dossier_core::transfer::import(&mut fx.store, &request("chronologie")).expect("imports");
    assert_eq!(report.count, 3, "{:?}", report.messages);
    assert_eq!(
        dates_of(&fx.store, "innocent"),
        [
            ("Communiqué".to_string(), "2023-05-18".to_string()),
            // Excel's date cell (day 44943), and a date typed as text, as French Excel writes it.
            ("Mise en demeure".to_string(), "2023-01-17".to_string()),
            ("Réponse".to_string(), "2023-06-17".to_string()),
        ]
    );
}

#[test]
fn a_workbook_that_is_not_one_or_unpacks_to_too_much_is_refused() {
    let mut fx = crate::common::with_case("");
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("broken.xlsx");
    std::fs::write(&file, b"not a zip at all").expect("write");
    let request =
        dossier_core::transfer::ImportRequest { path: file.clone(), case: "innocent".into(), ..Default::default() };
    let err = crate::common::refused(&mut fx.store, |s| dossier_core::transfer::import(s, &request));
    assert!(err.to_string().contains("broken.xlsx"), "{err}");
    // 300 MiB of zeros packs into well under a megabyte.
    std::fs::write(&file, zipped(&[("xl/worksheets/sheet1.xml", "\0".repeat(300 << 20))])).expect("write");
    assert!(std::fs::metadata(&file).expect("size").len() < 2 << 20);
    let err = crate::common::refused(&mut fx.store, |s| dossier_core::transfer::import(s, &request));
    assert!(err.to_string().contains("unpacks to more than"), "{err}");
}

#[test]
fn a_chronology_in_an_opendocument_workbook_imports_from_its_first_sheet() {
    let mut fx = crate::common::with_case("");
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("chronologie.ods");
    let cell = |text: &str| {
        match text.strip_prefix('#') {
        Some(day) => format!(
            "<table:table-cell office:value-type=\"date\" office:date-value=\"{day}\"><text:p>{day}</text:p></table:table-cell>"
        ),
        None => format!("<table:table-cell office:value-type=\"string\"><text:p>{text}</text:p></table:table-cell>"),
    }
    };
    let rows: String = [["date", "titre"], ["#2023-01-17", "Mise en demeure"], ["vers avril 2023", "Rumeur"]]
        .iter()
        .map(|r| format!("<table:table-row>{}</table:table-row>", r.iter().map(|c| cell(c)).collect::<String>()))
        .collect();
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content \
         xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\"><office:body>\
         <office:spreadsheet><table:table table:name=\"Feuille1\">{rows}</table:table></office:spreadsheet>\
         </office:body></office:document-content>"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest \
        xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\
        <manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
        <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>";
    std::fs::write(
        &file,
        zipped(&[
            ("mimetype", "application/vnd.oasis.opendocument.spreadsheet".to_string()),
            ("META-INF/manifest.xml", manifest.to_string()),
            ("content.xml", content),
        ]),
    )
    .expect("write");
    let request = dossier_core::transfer::ImportRequest { path: file, case: "innocent".into(), ..Default::default() };
    let report = dossier_core::transfer::import(&mut fx.store, &request).expect("imports");
    assert_eq!(report.count, 2, "{:?}", report.messages);
    assert_eq!(
        dates_of(&fx.store, "innocent"),
        [("Mise en demeure".to_string(), "2023-01-17".to_string()), ("Rumeur".to_string(), "~2023-04".to_string())]
    );
}
