//! A chronology file's shape, checked before its rows are read: its separator, and rows too wide to
//! be a chronology's.

use crate::error::{Error, Result};

/// The separator of the file: `,`, `;` or tab, whichever the header line holds most of outside quotes.
pub(super) fn delimiter_of(data: &[u8]) -> u8 {
    let (mut comma, mut semicolon, mut tab) = (0, 0, 0);
    let mut quoted = false;
    for &b in data {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            b',' if !quoted => comma += 1,
            b';' if !quoted => semicolon += 1,
            b'\t' if !quoted => tab += 1,
            _ => {}
        }
    }
    if semicolon > comma && semicolon >= tab {
        b';'
    } else if tab > comma && tab > semicolon {
        b'\t'
    } else {
        b','
    }
}

/// Most cells a row may have: a chronology has a handful of columns, and a row of millions of
/// separators would otherwise cost memory by the cell before any check runs.
const MAX_CELLS: usize = 200;

/// Refuses a file with a line of more than [`MAX_CELLS`] cells, in one pass over the bytes (quoted
/// separators and line breaks do not count), before the CSV reader holds any of it.
pub(super) fn refuse_wide_rows(data: &[u8], delimiter: u8) -> Result<()> {
    let (mut row, mut cells, mut quoted) = (1usize, 1usize, false);
    for &b in data {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => {
                row += 1;
                cells = 1;
            }
            b if b == delimiter && !quoted => {
                cells += 1;
                if cells > MAX_CELLS {
                    return Err(Error::rule(
                        "csv",
                        "bad_csv",
                        None,
                        format!("row {row} has more than {MAX_CELLS} cells: this is not a chronology"),
                    ));
                }
            }
            _ => {}
        }
    }
    Ok(())
}
