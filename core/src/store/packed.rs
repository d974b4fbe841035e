//! The change log's detail and images as they are kept on disk: compressed with zstd when that makes
//! them smaller (a BLOB holding one zstd frame of the text), else the text itself.
//!
//! This is storage only. Everything that proves the log — an entry's hash, the digests of its parts
//! (`change_log::Sums`), its seal, the anchor, what an erasure vouches for, a bundle's history — is
//! computed over the text, which reading gives back byte for byte; how it is kept can change without
//! changing any of them. The images were most of the database (JSON of every row a write changed, the
//! same keys again and again), and zstd keeps about 46 % of them at its default level. A dictionary
//! trained on the synthetic cases kept 15 %, but only because their text repeats itself; one made of
//! the images' keys alone (what every real case shares) kept 38 %, not worth a dictionary that
//! every future version must carry (BENCHMARKS.md, "Compact storage").
//!
//! Since schema version 14 the two columns take either type (`ANY`), and the type says which: an
//! entry written or upgraded since holds a BLOB where packing paid, and text where it did not (a
//! tombstone, a short detail).

use std::io::Read;

use rusqlite::functions::FunctionFlags;
use rusqlite::types::{FromSql, FromSqlResult, ToSqlOutput, Value, ValueRef};
use rusqlite::Connection;

/// zstd's level: its default. Higher levels kept 3 % less of the images, at several times the time.
const LEVEL: i32 = 3;

/// The most text one packed part may unpack to: far more than any image or detail, and a bound on
/// what a forged frame can make a reader allocate.
const MOST: u64 = 1 << 30;

/// What is stored for `text`: its zstd frame when that is shorter, else the text.
pub fn pack(text: &str) -> Value {
    match zstd::bulk::compress(text.as_bytes(), LEVEL) {
        Ok(frame) if frame.len() < text.len() => Value::Blob(frame),
        _ => Value::Text(text.to_string()),
    }
}

/// The text of a stored part: a BLOB is a zstd frame of it, text is itself.
pub fn unpack(value: ValueRef<'_>) -> Result<String, String> {
    match value {
        ValueRef::Text(bytes) => String::from_utf8(bytes.to_vec()).map_err(|e| e.to_string()),
        ValueRef::Blob(frame) => {
            let mut text = Vec::new();
            zstd::stream::read::Decoder::new(frame)
                .map_err(|e| e.to_string())?
                .take(MOST + 1)
                .read_to_end(&mut text)
                .map_err(|e| format!("not a zstd frame: {e}"))?;
            if text.len() as u64 > MOST {
                return Err(format!("unpacks to more than {MOST} bytes"));
            }
            String::from_utf8(text).map_err(|e| e.to_string())
        }
        other => Err(format!("a {} where text or a zstd frame was expected", other.data_type())),
    }
}

/// A part read from the log: its text, or, when what is stored cannot be unpacked, a text saying so
/// that is no JSON and matches no digest, so that `check` names the entry as altered rather than
/// failing to read the log.
#[derive(Debug, Clone)]
pub struct Packed(pub String);

/// Starts the text of a part that could not be unpacked; JSON never starts with it.
pub const UNREADABLE: &str = "\u{0}unreadable: ";

impl FromSql for Packed {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        Ok(Packed(unpack(value).unwrap_or_else(|why| format!("{UNREADABLE}{why}"))))
    }
}

/// A part read from the log that may be absent (the images of an entry written before version 3).
#[derive(Debug, Clone)]
pub struct MaybePacked(pub Option<String>);

impl FromSql for MaybePacked {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value {
            ValueRef::Null => Ok(MaybePacked(None)),
            other => Packed::column_result(other).map(|p| MaybePacked(Some(p.0))),
        }
    }
}

/// What is written for a part: [`pack`]ed.
pub struct ToPack<'a>(pub &'a str);

impl rusqlite::ToSql for ToPack<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Owned(pack(self.0)))
    }
}

/// Gives SQL on `conn` the same two functions: `dossier_pack(text)` (NULL stays NULL) and
/// `dossier_unpack(part)`. Migration 0014 packs the existing entries with the first; tools and tests
/// read or edit the log's text in SQL with both.
pub fn register(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("dossier_pack", 1, flags, |ctx| {
        Ok(match ctx.get_raw(0) {
            ValueRef::Text(bytes) => match std::str::from_utf8(bytes) {
                Ok(text) => pack(text),
                Err(_) => Value::Text(String::from_utf8_lossy(bytes).into_owned()),
            },
            // NULL, and a part already packed, stay as they are.
            ValueRef::Blob(frame) => Value::Blob(frame.to_vec()),
            ValueRef::Integer(n) => Value::Integer(n),
            ValueRef::Real(x) => Value::Real(x),
            ValueRef::Null => Value::Null,
        })
    })?;
    conn.create_scalar_function("dossier_unpack", 1, flags, |ctx| match ctx.get_raw(0) {
        ValueRef::Null => Ok(None),
        other => unpack(other).map(Some).map_err(|e| rusqlite::Error::UserFunctionError(e.into())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_what_pays_and_reads_back_the_same_text() {
        let long = r#"{"a":{"after":{"kind":"event","tables":{"event":[{"title":"Met the source"}]}}}}"#.repeat(20);
        for text in [long.as_str(), "{\"erased\":7}", "", "é"] {
            let stored = pack(text);
            assert_eq!(matches!(stored, Value::Blob(_)), text.len() > 100, "{text}");
            let back = match &stored {
                Value::Blob(b) => unpack(ValueRef::Blob(b)),
                Value::Text(t) => unpack(ValueRef::Text(t.as_bytes())),
                _ => unreachable!(),
            };
            assert_eq!(back.as_deref(), Ok(text));
        }
    }

    #[test]
    fn a_damaged_frame_reads_as_unreadable() {
        let Value::Blob(mut frame) = pack(&"x y z ".repeat(100)) else { panic!("packed") };
        frame.truncate(frame.len() - 3);
        let read = Packed::column_result(ValueRef::Blob(&frame)).expect("read");
        assert!(read.0.starts_with(UNREADABLE), "{}", read.0);
    }
}
