//! Chronologies kept in a workbook (`.xlsx` from Excel, `.ods` from LibreOffice), read directly: one
//! sheet (the first, or the one named) is turned into the CSV text a spreadsheet would save, and
//! imported as a CSV chronology is, with the same checks, all-or-nothing write, progress and Stop.
//!
//! Cells are read by calamine: text as it is, whole numbers without a decimal point, and a cell
//! holding a date as that day (`2023-01-17`: a workbook's dates carry no time zone, so a time of day
//! in one is not kept). A workbook is a zip archive: what it unpacks to is bounded before anything is
//! read, so a small file that unpacks to gigabytes is refused.

use std::io::Cursor;

use calamine::{Data, Ods, Reader, Xlsx};

use crate::error::{Error, Result};
use crate::input;
use crate::vocabulary::Format;

/// Most bytes a workbook may unpack to.
const MAX_UNPACKED: u64 = 256 << 20;
/// Most entries its archive may hold.
const MAX_ENTRIES: usize = 10_000;

/// The sheet `sheet` (the first when empty) of the workbook `bytes`, as CSV text.
pub(crate) fn as_csv(bytes: &[u8], format: Format, sheet: &str, file: &str) -> Result<Vec<u8>> {
    refuse_bombs(bytes, file)?;
    let unreadable =
        |e: String| Error::rule("file", "bad_sheet", None, format!("'{file}' cannot be read as a workbook: {e}"));
    let rows = match format {
        Format::Ods => {
            let mut book: Ods<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
                .map_err(|e: calamine::OdsError| unreadable(e.to_string()))?;
            range(&mut book, sheet, file)?
        }
        _ => {
            let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
                .map_err(|e: calamine::XlsxError| unreadable(e.to_string()))?;
            range(&mut book, sheet, file)?
        }
    };
    let mut out = csv::Writer::from_writer(Vec::new());
    for row in rows.rows() {
        out.write_record(row.iter().map(cell)).map_err(|e| unreadable(e.to_string()))?;
    }
    out.into_inner().map_err(|e| unreadable(e.to_string()))
}

/// The cells of the sheet named `sheet` (case and surrounding spaces ignored), or of the first sheet.
fn range<RS, R>(book: &mut R, sheet: &str, file: &str) -> Result<calamine::Range<Data>>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
{
    let names = book.sheet_names();
    let wanted = sheet.trim();
    let name = if wanted.is_empty() {
        names.first().cloned()
    } else {
        names.iter().find(|n| n.trim().to_lowercase() == wanted.to_lowercase()).cloned()
    };
    let Some(name) = name else {
        let said =
            if wanted.is_empty() { "no sheet".to_string() } else { format!("no sheet '{}'", input::shorten(wanted)) };
        return Err(Error::rule(
            "sheet",
            "no_such_sheet",
            input::shorten(wanted),
            format!("'{file}' has {said}; its sheets: {}", names.join(", ")),
        ));
    };
    book.worksheet_range(&name)
        .map_err(|e| Error::rule("sheet", "bad_sheet", None, format!("sheet '{name}' of '{file}' cannot be read: {e}")))
}

/// A cell as the text a spreadsheet saves it as.
fn cell(data: &Data) -> String {
    match data {
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Int(n) => n.to_string(),
        Data::Float(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{x:.0}"),
        Data::Float(x) => x.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(moment) => moment.as_datetime().map(|d| d.date().to_string()).unwrap_or_default(),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

/// Refuses a workbook whose archive unpacks to more than [`MAX_UNPACKED`] bytes or holds more than
/// [`MAX_ENTRIES`] entries, reading only its directory.
fn refuse_bombs(bytes: &[u8], file: &str) -> Result<()> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        Error::rule(
            "sheet",
            "bad_sheet",
            None,
            format!("'{file}' is not a workbook (an .xlsx or .ods is a zip archive): {e}"),
        )
    })?;
    if archive.len() > MAX_ENTRIES {
        return Err(too_large(file));
    }
    let mut unpacked = 0u64;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|_| too_large(file))?;
        unpacked = unpacked.saturating_add(entry.size());
        if unpacked > MAX_UNPACKED {
            return Err(too_large(file));
        }
    }
    Ok(())
}

fn too_large(file: &str) -> Error {
    Error::rule(
        "file",
        "bad_sheet",
        None,
        format!("'{}' unpacks to more than {} MiB: this is not a chronology", input::shorten(file), MAX_UNPACKED >> 20),
    )
}
