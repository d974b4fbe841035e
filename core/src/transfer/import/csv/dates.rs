//! A chronology's date cells as spreadsheets save them, beyond what any typed date may be:
//!
//! - the order of numeric dates, decided once for the whole file ([`order_of`]): a spreadsheet saves
//!   every date of a column the same way, so one row whose first number is over 12 (`17/01/2023`)
//!   says the whole file is written day first, and one whose second is (`01/17/2023`), month first.
//!   A file that says both contradicts itself and is refused, naming a row of each; a file that says
//!   neither reads its dates as any text is read (a date that reads both ways is refused with both
//!   readings);
//! - Excel's serial numbers ([`excel_serial`]), which a date cell formatted as a number saves.

use chrono::NaiveDate;

use crate::date::{numeric_order, DayMonth};
use crate::error::{Error, Result};
use crate::input;

/// The first row (numbered as the file is, header 1) that shows each order, with its date.
#[derive(Default)]
struct Shown {
    day_first: Option<(usize, String)>,
    month_first: Option<(usize, String)>,
}

/// The order of the dates in column `column` of `data` (a CSV file read with `delimiter`, its first
/// line the header). Rows the reader cannot read are left to the import, which reports them.
pub(super) fn order_of(data: &[u8], delimiter: u8, column: usize, header: &str) -> Result<DayMonth> {
    let mut reader =
        ::csv::ReaderBuilder::new().delimiter(delimiter).has_headers(true).flexible(true).from_reader(data);
    let mut shown = Shown::default();
    for (index, record) in reader.records().enumerate() {
        let Ok(record) = record else { continue };
        let Some(cell) = record.get(column).map(str::trim) else { continue };
        let slot = match numeric_order(cell) {
            Some(DayMonth::DayFirst) => &mut shown.day_first,
            Some(DayMonth::MonthFirst) => &mut shown.month_first,
            _ => continue,
        };
        slot.get_or_insert_with(|| (index + 2, cell.to_string()));
        if let (Some((day_row, day)), Some((month_row, month))) = (&shown.day_first, &shown.month_first) {
            return Err(Error::rule(
                "csv",
                "bad_csv",
                None,
                format!(
                    "column '{}' writes its dates both ways: row {day_row} has '{}', which reads only day first, \
                     and row {month_row} has '{}', which reads only month first; write them all one way, \
                     or as 2023-01-17",
                    input::shorten(header),
                    input::shorten(day),
                    input::shorten(month)
                ),
            ));
        }
    }
    Ok(match shown {
        Shown { day_first: Some(_), .. } => DayMonth::DayFirst,
        Shown { month_first: Some(_), .. } => DayMonth::MonthFirst,
        _ => DayMonth::Either,
    })
}

/// The day an Excel serial number names (`45000` is 2023-03-15), for five to seven digits: Excel's
/// 1900 date system counts days from 1899-12-31 as day 1 and holds a 29 February 1900 that never was,
/// so from 1 March 1900 on, day N is N days after 1899-12-30. Four digits are a year, as everywhere
/// a date is typed, and serials under 10,000 (before 1927) are not taken for dates.
pub(super) fn excel_serial(text: &str) -> Option<String> {
    if !(5..=7).contains(&text.len()) || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let days: u64 = text.parse().ok()?;
    // 2,958,465 is 31 December 9999, the last day Excel counts.
    if !(10_000..=2_958_465).contains(&days) {
        return None;
    }
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    epoch.checked_add_days(chrono::Days::new(days)).map(|day| day.to_string())
}
