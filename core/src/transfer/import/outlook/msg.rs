//! An Outlook `.msg` file (MS-OXMSG): a Compound File Binary whose storages hold the message's
//! properties: fixed-size ones in a `__properties_version1.0` stream, each other one in a stream of
//! its own (`__substg1.0_<id><type>`), a storage per recipient (`__recip_version1.0_#N`) and per
//! attachment (`__attach_version1.0_#N`), an attached message as a storage within its attachment.
//!
//! Every stream is read through one budget of bytes (four times the file), so a file whose sectors
//! are chained in a loop, or shared by many streams, is refused in bounded time and memory.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use super::{attachment_name, id, media_type, Attachment, Content, Item, Props, Value, BY_VALUE, EMBEDDED, MAX_DEPTH};
use crate::error::{Error, Result};
use crate::record::case;
use crate::store::Store;
use crate::transfer::import::eml::{self, last_component};
use crate::transfer::import::{ImportReport, MAX_FILE_BYTES};

const PROPERTIES: &str = "__properties_version1.0";
/// What precedes the property entries: 32 bytes at the top, 24 in an attached message, 8 in a
/// recipient's or an attachment's storage.
const TOP_HEADER: usize = 32;
const EMBEDDED_HEADER: usize = 24;
const PART_HEADER: usize = 8;
/// Most recipients and attachments read of one message.
const MAX_PARTS: usize = 10_000;

/// The property types read (MS-OXCDATA).
const PT_LONG: u16 = 0x0003;
const PT_BOOLEAN: u16 = 0x000B;
const PT_OBJECT: u16 = 0x000D;
const PT_I8: u16 = 0x0014;
const PT_STRING8: u16 = 0x001E;
const PT_UNICODE: u16 = 0x001F;
const PT_SYSTIME: u16 = 0x0040;
const PT_BINARY: u16 = 0x0102;

fn refused(file: &str, why: impl std::fmt::Display) -> Error {
    Error::rule("msg", "bad_msg", None, format!("'{file}' is not an Outlook message: {why}"))
}

/// A Compound File read within a budget of bytes.
struct Reader<'a> {
    file: cfb::CompoundFile<Cursor<&'a [u8]>>,
    name: &'a str,
    left: u64,
}

impl Reader<'_> {
    /// The whole stream at `path`, or `None` when there is none.
    fn stream(&mut self, path: &Path) -> Result<Option<Vec<u8>>> {
        if !self.file.is_stream(path) {
            return Ok(None);
        }
        let stream = self.file.open_stream(path).map_err(|e| refused(self.name, e))?;
        let mut bytes = Vec::new();
        stream.take(self.left + 1).read_to_end(&mut bytes).map_err(|e| refused(self.name, e))?;
        if bytes.len() as u64 > self.left {
            return Err(refused(self.name, "its streams add up to more than the file could hold"));
        }
        self.left -= bytes.len() as u64;
        Ok(Some(bytes))
    }

    /// The names of the entries of the storage at `path`, in order.
    fn entries(&self, path: &Path) -> Result<Vec<(String, bool)>> {
        let entries = self.file.read_storage(path).map_err(|e| refused(self.name, e))?;
        let mut names: Vec<(String, bool)> = entries.map(|e| (e.name().to_string(), e.is_storage())).collect();
        names.sort();
        Ok(names)
    }

    /// The properties of the storage at `path`, whose property stream starts with `header` bytes.
    fn props(&mut self, path: &Path, header: usize) -> Result<Props> {
        let mut props = Props::default();
        if let Some(fixed) = self.stream(&path.join(PROPERTIES))? {
            for entry in fixed.get(header..).unwrap_or_default().chunks_exact(16) {
                let kind = u16::from_le_bytes([entry[0], entry[1]]);
                let id = u16::from_le_bytes([entry[2], entry[3]]);
                let value = &entry[8..16];
                let int = |n: usize| value[..n].iter().rev().fold(0i64, |v, b| (v << 8) | i64::from(*b));
                match kind {
                    PT_LONG => props.insert(id, Value::Int(int(4) as i32 as i64)),
                    PT_BOOLEAN => props.insert(id, Value::Int(i64::from(value[0] != 0))),
                    PT_I8 => props.insert(id, Value::Int(int(8))),
                    PT_SYSTIME => props.insert(id, Value::Time(int(8))),
                    _ => {}
                }
            }
        }
        for (name, _) in self.entries(path)? {
            let Some(tag) = name.strip_prefix("__substg1.0_").and_then(|t| u32::from_str_radix(t, 16).ok()) else {
                continue;
            };
            let (id, kind) = ((tag >> 16) as u16, tag as u16);
            if !matches!(kind, PT_STRING8 | PT_UNICODE | PT_BINARY) {
                continue;
            }
            let Some(bytes) = self.stream(&path.join(&name))? else { continue };
            props.insert(
                id,
                match kind {
                    PT_UNICODE => Value::Text(utf16(&bytes)),
                    PT_STRING8 => Value::Text8(bytes),
                    _ => Value::Bytes(bytes),
                },
            );
        }
        Ok(props)
    }

    /// The message whose properties are in the storage at `path`.
    fn item(&mut self, path: &Path, header: usize, depth: usize) -> Result<Item> {
        let props = self.props(path, header)?;
        let entries = self.entries(path)?;
        let storages = |prefix: &str| -> Vec<PathBuf> {
            entries.iter().filter(|(n, s)| *s && n.starts_with(prefix)).map(|(n, _)| path.join(n)).collect()
        };
        let (recipient_paths, attachment_paths) = (storages("__recip_version1.0_#"), storages("__attach_version1.0_#"));
        if recipient_paths.len() + attachment_paths.len() > MAX_PARTS {
            return Err(refused(self.name, format!("it has more than {MAX_PARTS} recipients and attachments")));
        }
        let mut recipients = Vec::new();
        for p in recipient_paths {
            recipients.push(self.props(&p, PART_HEADER)?);
        }
        let mut attachments = Vec::new();
        let mut linked = Vec::new();
        for p in attachment_paths {
            let a = self.props(&p, PART_HEADER)?;
            let name = attachment_name(&a);
            let embedded = p.join(format!("__substg1.0_{:04X}{PT_OBJECT:04X}", id::ATTACH_DATA));
            let method = a.int(id::ATTACH_METHOD).unwrap_or(BY_VALUE);
            let content = if method == EMBEDDED && self.file.is_storage(&embedded) {
                if depth >= MAX_DEPTH {
                    return Err(refused(self.name, format!("its attached messages nest more than {MAX_DEPTH} deep")));
                }
                Content::Message(Box::new(self.item(&embedded, EMBEDDED_HEADER, depth + 1)?))
            } else if let Some(bytes) = a.bytes(id::ATTACH_DATA) {
                Content::Bytes(bytes.to_vec())
            } else {
                linked.push(name);
                continue;
            };
            attachments.push(Attachment { mime: media_type(&a, &name), name, content });
        }
        Ok(Item::of(&props, &recipients, attachments, linked))
    }
}

/// UTF-16LE text, up to its first NUL.
fn utf16(bytes: &[u8]) -> String {
    let units: Vec<u16> =
        bytes.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).take_while(|u| *u != 0).collect();
    String::from_utf16_lossy(&units)
}

/// Reads the message of an `.msg` file (`file` names it in errors).
pub(in crate::transfer::import) fn read(bytes: &[u8], file: &str) -> Result<Item> {
    if !bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err(refused(file, "it is not a Compound File, as every .msg is"));
    }
    let compound = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| refused(file, e))?;
    let mut reader = Reader { file: compound, name: file, left: (bytes.len() as u64).saturating_mul(4) };
    if !reader.file.is_stream(PROPERTIES) {
        return Err(refused(file, format!("it has no {PROPERTIES} stream")));
    }
    reader.item(Path::new("/"), TOP_HEADER, 0)
}

/// Imports an Outlook message (`.msg`) into `case` as a letter, as [`eml::eml`] imports an `.eml`:
/// the `.msg` file itself is kept as evidence of its letter (the original message).
pub fn msg(store: &mut Store, case: &str, bytes: &[u8], file_name: &str) -> Result<ImportReport> {
    let file = last_component(file_name).unwrap_or_else(|| "message.msg".to_string());
    if bytes.len() > MAX_FILE_BYTES {
        return Err(refused(
            &file,
            format!("it is {} MiB: messages over 50 MiB are refused", bytes.len().div_ceil(1 << 20)),
        ));
    }
    let case_id = case::resolve(store.reader(), case)?;
    let item = read(bytes, &file)?;
    let mut mail = eml::read(item.rfc822(), &file)?;
    mail.keep_instead(bytes.to_vec(), "msg");
    mail.note(item.notes(&file));
    eml::import_one(store, &case_id, mail)
}
