//! An Outlook archive (`.pst`, MS-PST, Unicode or the older ANSI kind), read with Microsoft's
//! `outlook-pst` and imported as a mailbox ([`mbox::mailbox_of`]): every e-mail under the archive's
//! top folder (the folders Outlook shows, subfolders included) becomes a letter, threaded across the
//! archive, in one all-or-nothing batch.
//!
//! - Appointments, contacts, tasks and notes are not e-mails: they are skipped and counted, as are
//!   drafts never sent.
//! - Each message's original is the `.eml` rebuilt from its properties (see the module above).
//! - **A hostile archive**: its B-trees and block trees are walked first (`trees`), so pages or
//!   blocks that point at each other in a loop, or one block counted a million times, end in a
//!   refusal before the reader follows them; the file is then read through a budget of bytes (twice
//!   its size, and some), so what the walk does not see still ends in bounded time; at most [`MAX_FOLDERS`] folders and
//!   [`mbox::MAX_MESSAGES`] messages, [`mbox::MAX_MAILBOX_BYTES`] of messages in all; a folder seen
//!   twice is walked once. A reader panic on an inconsistent structure is caught and refused too.
//!   Every refusal is one line naming the file.
//! - Reading the archive is the first third of the progress, and Stop works there too.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::rc::Rc;

use outlook_pst::ltp::prop_context::PropertyValue;
use outlook_pst::ltp::table_context::TableContext;
use outlook_pst::messaging::attachment::{
    AnsiAttachment, Attachment as PstAttachment, AttachmentData, UnicodeAttachment,
};
use outlook_pst::messaging::message::{AnsiMessage, Message, UnicodeMessage};
use outlook_pst::messaging::store::{AnsiStore, EntryId, Store, UnicodeStore};
use outlook_pst::ndb::node_id::{NodeId, NodeIdType};
use outlook_pst::{AnsiPstFile, UnicodePstFile};

use super::{attachment_name, id, media_type, Attachment, Content, Item, Props, Value, BY_VALUE, EMBEDDED};
use crate::error::{Error, Result};
use crate::record::case;
use crate::store::Store as Database;
use crate::transfer::import::{eml, mbox, ImportReport};
use crate::transfer::progress::{Ticker, Watch};

/// Largest archive read (it is read from the disk as needed, not held in memory).
pub const MAX_PST_BYTES: u64 = 2 << 30;
/// Most folders walked.
const MAX_FOLDERS: usize = 10_000;

/// The message properties read (any other is never read, whatever the archive claims of it).
const MESSAGE_PROPS: &[u16] = &[
    id::MESSAGE_CLASS,
    id::SUBJECT,
    id::CLIENT_SUBMIT_TIME,
    id::SENT_REPRESENTING_NAME,
    id::SENT_REPRESENTING_ADDRTYPE,
    id::SENT_REPRESENTING_EMAIL,
    id::TRANSPORT_HEADERS,
    id::SENDER_NAME,
    id::SENDER_ADDRTYPE,
    id::SENDER_EMAIL,
    id::DELIVERY_TIME,
    id::MESSAGE_FLAGS,
    id::BODY,
    id::RTF_COMPRESSED,
    id::HTML,
    id::INTERNET_MESSAGE_ID,
    id::INTERNET_REFERENCES,
    id::IN_REPLY_TO,
    id::INTERNET_CPID,
    id::MESSAGE_CODEPAGE,
    id::SENDER_SMTP,
    id::SENT_REPRESENTING_SMTP,
];

fn refused(file: &str, why: impl std::fmt::Display) -> Error {
    Error::rule("pst", "bad_pst", None, format!("'{file}' could not be read as an Outlook archive: {why}"))
}

/// The archive's file, read within a budget of bytes.
struct Budgeted {
    inner: BufReader<File>,
    left: u64,
}

impl Read for Budgeted {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            return Err(io::Error::other(
                "its blocks point at more data than the archive holds (a loop in its B-trees or data trees)",
            ));
        }
        let n = buf.len().min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let read = self.inner.read(&mut buf[..n])?;
        self.left -= read as u64;
        Ok(read)
    }
}

impl Seek for Budgeted {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.inner.seek(to)
    }
}

/// A message of the archive and its attachments, opened.
type Opened = (Rc<dyn Message>, Vec<Rc<dyn PstAttachment>>);

/// The archive, opened.
enum Archive {
    Unicode(Rc<UnicodeStore>),
    Ansi(Rc<AnsiStore>),
}

/// Reads one message and its attachments with the reader of its kind of archive.
macro_rules! open_message {
    ($store:expr, $entry:expr, $message:ty, $attachment:ty) => {{
        let message = <$message>::read($store.clone(), $entry, Some(MESSAGE_PROPS))?;
        let mut attachments: Vec<Rc<dyn PstAttachment>> = Vec::new();
        for row in row_ids(message.attachment_table()) {
            attachments.push(<$attachment>::read(message.clone(), row, None)?);
        }
        (message as Rc<dyn Message>, attachments)
    }};
}

impl Archive {
    fn open(path: &Path, size: u64) -> io::Result<Archive> {
        let reader = || -> io::Result<Box<Budgeted>> {
            let inner = BufReader::new(File::open(path)?);
            Ok(Box::new(Budgeted { inner, left: size.saturating_mul(2).saturating_add(64 << 20) }))
        };
        match UnicodePstFile::read_from(reader()?) {
            Ok(pst) => Ok(Archive::Unicode(UnicodeStore::read(Rc::new(pst))?)),
            Err(unicode) => match AnsiPstFile::read_from(reader()?) {
                Ok(pst) => Ok(Archive::Ansi(AnsiStore::read(Rc::new(pst))?)),
                Err(_) => Err(unicode),
            },
        }
    }

    fn store(&self) -> Rc<dyn Store> {
        match self {
            Archive::Unicode(s) => s.clone(),
            Archive::Ansi(s) => s.clone(),
        }
    }

    fn message(&self, entry: &EntryId) -> io::Result<Opened> {
        Ok(match self {
            Archive::Unicode(s) => open_message!(s, entry, UnicodeMessage, UnicodeAttachment),
            Archive::Ansi(s) => open_message!(s, entry, AnsiMessage, AnsiAttachment),
        })
    }
}

/// The node ids of a table's rows (a folder's subfolders or messages, a message's attachments).
fn row_ids(table: Option<&Rc<dyn TableContext>>) -> Vec<NodeId> {
    table.map(|t| t.rows_matrix().map(|row| NodeId::from(u32::from(row.id()))).collect()).unwrap_or_default()
}

fn is(node: NodeId, kind: NodeIdType) -> bool {
    node.id_type().is_ok_and(|t| t == kind)
}

/// A property of the archive as the importer's own value.
fn value(v: &PropertyValue) -> Option<Value> {
    Some(match v {
        PropertyValue::Integer16(n) => Value::Int(i64::from(*n)),
        PropertyValue::Integer32(n) => Value::Int(i64::from(*n)),
        PropertyValue::Integer64(n) => Value::Int(*n),
        PropertyValue::Boolean(b) => Value::Int(i64::from(*b)),
        PropertyValue::Time(t) => Value::Time(*t),
        PropertyValue::Unicode(s) => Value::Text(String::from_utf16_lossy(s.buffer())),
        PropertyValue::String8(s) => Value::Text8(s.buffer().to_vec()),
        PropertyValue::Binary(b) => Value::Bytes(b.buffer().to_vec()),
        _ => return None,
    })
}

fn props<'a>(all: impl Iterator<Item = (&'a u16, &'a PropertyValue)>) -> Props {
    let mut props = Props::default();
    for (id, v) in all {
        if let Some(v) = value(v) {
            props.insert(*id, v);
        }
    }
    props
}

/// The rows of a message's recipient table, each as properties.
fn recipients(message: &dyn Message) -> io::Result<Vec<Props>> {
    let Some(table) = message.recipient_table() else { return Ok(Vec::new()) };
    let context = table.context();
    let mut all = Vec::new();
    for row in table.rows_matrix() {
        let mut p = Props::default();
        for (column, cell) in context.columns().iter().zip(row.columns(context)?) {
            if let Some(v) = cell.map(|cell| table.read_column(&cell, column.prop_type())).transpose()? {
                if let Some(v) = value(&v) {
                    p.insert(column.prop_id(), v);
                }
            }
        }
        all.push(p);
    }
    Ok(all)
}

/// A message of the archive, with its attachments (an attached message is read without its own
/// attachments, which this reader cannot reach).
fn item(message: &dyn Message, attachments: &[Rc<dyn PstAttachment>]) -> io::Result<Item> {
    let mut read = Vec::new();
    let mut linked = Vec::new();
    for a in attachments {
        let p = props(a.properties().iter());
        let name = attachment_name(&p);
        let method = p.int(id::ATTACH_METHOD).unwrap_or(BY_VALUE);
        let content = match a.data() {
            Some(AttachmentData::Binary(b)) => Content::Bytes(b.buffer().to_vec()),
            Some(AttachmentData::Message(m)) if method == EMBEDDED => {
                Content::Message(Box::new(item(m.as_ref(), &[])?))
            }
            _ => {
                linked.push(name);
                continue;
            }
        };
        read.push(Attachment { mime: media_type(&p, &name), name, content });
    }
    Ok(Item::of(&props(message.properties().iter()), &recipients(message)?, read, linked))
}

/// The messages under the archive's top folder, each with the path of its folder.
fn message_ids(archive: &Archive) -> io::Result<Vec<(EntryId, String)>> {
    let store = archive.store();
    let top = store.properties().ipm_sub_tree_entry_id()?;
    let mut seen: HashSet<u32> = HashSet::from([u32::from(top.node_id())]);
    let mut folders = vec![(top, String::new())];
    let mut messages = Vec::new();
    let mut walked = 0;
    while let Some((entry, path)) = folders.pop() {
        walked += 1;
        if walked > MAX_FOLDERS {
            return Err(io::Error::other(format!("it has more than {MAX_FOLDERS} folders")));
        }
        let folder = store.open_folder(&entry)?;
        let mut children = Vec::new();
        for node in row_ids(folder.hierarchy_table()) {
            if is(node, NodeIdType::NormalFolder) && seen.insert(u32::from(node)) {
                let child = store.open_folder(&store.properties().make_entry_id(node)?)?;
                let name = child.properties().display_name().unwrap_or_default();
                let name = super::one_line(&name);
                let child_path = if path.is_empty() { name } else { format!("{path}/{name}") };
                children.push((store.properties().make_entry_id(node)?, child_path));
            }
        }
        // Walked in the order the folders are listed: the stack takes them last first.
        folders.extend(children.into_iter().rev());
        for node in row_ids(folder.contents_table()) {
            if is(node, NodeIdType::NormalMessage) && seen.insert(u32::from(node)) {
                if messages.len() == mbox::MAX_MESSAGES {
                    return Err(io::Error::other(format!("it holds more than {} messages", mbox::MAX_MESSAGES)));
                }
                messages.push((store.properties().make_entry_id(node)?, path.clone()));
            }
        }
    }
    Ok(messages)
}

/// What was read of the archive: its e-mails, and what was skipped.
struct Archived {
    mails: Vec<eml::Mail>,
    not_mail: usize,
    drafts: usize,
    /// Messages in the archive, e-mails or not.
    messages: u64,
}

/// Reads every e-mail of the archive, checked, telling `watch` one unit of three per message.
fn read(path: &Path, size: u64, file: &str, watch: &dyn Watch) -> Result<Archived> {
    let mut opened = File::open(path).map_err(|e| Error::io(path, e))?;
    super::trees::check(&mut opened, size).map_err(|e| refused(file, e))?;
    let archive = Archive::open(path, size).map_err(|e| refused(file, e))?;
    let ids = message_ids(&archive).map_err(|e| refused(file, e))?;
    let mut read = Archived { mails: Vec::new(), not_mail: 0, drafts: 0, messages: ids.len() as u64 };
    let mut ticker = Ticker::new(watch, 3 * read.messages);
    let mut total = 0u64;
    for (n, (entry, folder)) in ids.iter().enumerate() {
        let (message, attachments) = archive.message(entry).map_err(|e| refused(file, e))?;
        let item = item(message.as_ref(), &attachments).map_err(|e| refused(file, e))?;
        ticker.advance(1)?;
        if !item.is_mail() {
            read.not_mail += 1;
            continue;
        }
        if item.unsent {
            read.drafts += 1;
            continue;
        }
        let name = format!("{file} #{} ({})", n + 1, if folder.is_empty() { "top folder" } else { folder });
        let bytes = item.rfc822();
        total += bytes.len() as u64;
        if total > mbox::MAX_MAILBOX_BYTES {
            return Err(Error::rule(
                "pst",
                "bad_pst",
                (mbox::MAX_MAILBOX_BYTES >> 20).to_string(),
                format!(
                    "the messages of '{file}' are over {} MiB in all: export the folders the case needs to a smaller archive",
                    mbox::MAX_MAILBOX_BYTES >> 20
                ),
            ));
        }
        let mut mail = eml::read(bytes, &name)?;
        mail.note(item.notes(&name));
        mail.describe_original(format!(
            "The e-mail '{}' of the Outlook archive '{file}' ({}), rebuilt as an .eml from its properties: the archive itself is not kept.",
            item.subject,
            if folder.is_empty() { "top folder".to_string() } else { format!("folder '{folder}'") }
        ));
        read.mails.push(mail);
    }
    Ok(read)
}

/// A watch told of the mailbox's writing as the last two thirds of the import, after the reading of
/// its `messages`.
struct Later<'a> {
    watch: &'a dyn Watch,
    messages: u64,
}

impl Watch for Later<'_> {
    fn progress(&self, done: u64, total: u64) -> bool {
        let written = done.saturating_mul(2 * self.messages).checked_div(total).unwrap_or(0);
        self.watch.progress(self.messages + written, 3 * self.messages)
    }
}

/// Imports the e-mails of an Outlook archive (`.pst`) at `path` into `case`, in one batch: see the
/// module docs. `file_name` names it in messages and errors.
pub fn pst(store: &mut Database, case: &str, path: &Path, file_name: &str, watch: &dyn Watch) -> Result<ImportReport> {
    let file = eml::last_component(file_name).unwrap_or_else(|| "archive.pst".to_string());
    let size = std::fs::metadata(path).map_err(|e| Error::io(path, e))?.len();
    if size > MAX_PST_BYTES {
        return Err(refused(
            &file,
            format!("it is {} MiB; archives up to {} MiB are read", size >> 20, MAX_PST_BYTES >> 20),
        ));
    }
    let mut signature = [0u8; 4];
    let opened = File::open(path).and_then(|mut f| f.read_exact(&mut signature));
    if opened.is_err() || &signature != b"!BDN" {
        return Err(refused(&file, "it does not start as a PST file does (!BDN)"));
    }
    let case_id = case::resolve(store.reader(), case)?;
    Ticker::new(watch, 1).begin()?;
    let read = match catch_unwind(AssertUnwindSafe(|| read(path, size, &file, watch))) {
        Ok(read) => read?,
        Err(_) => return Err(refused(&file, "its structures are inconsistent")),
    };
    if read.mails.is_empty() {
        return Err(Error::rule("pst", "bad_pst", None, format!("'{file}' holds no e-mail to import")));
    }
    let later = Later { watch, messages: read.messages };
    let mut report = mbox::mailbox_of(store, &case_id, read.mails, &later)?;
    let mut skipped = Vec::new();
    if read.not_mail > 0 {
        skipped.push(format!("{} items that are not e-mails (appointments, contacts, tasks, notes)", read.not_mail));
    }
    if read.drafts > 0 {
        skipped.push(format!("{} drafts never sent", read.drafts));
    }
    if !skipped.is_empty() {
        report.messages.insert(1, format!("skipped in '{file}': {}", skipped.join(", ")));
    }
    Ok(report)
}
