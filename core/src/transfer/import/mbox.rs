//! Mailboxes: an `.mbox` file (the "From " separated format of Thunderbird, Apple Mail and Google
//! Takeout), or a folder of `.eml` files, imported as letters in one all-or-nothing batch.
//!
//! - Every message is read and checked first (`eml::read`); one that is not an e-mail, or has no
//!   date, refuses the whole import, naming it ("inbox.mbox #12").
//! - The messages are written oldest first, except that a message answering another of the set comes
//!   after it (clocks disagree: a reply can be dated before its question), so a reply finds the letter
//!   it answers among those written before it: threading works across the set.
//! - A message already in the case (same Message-ID), or twice in the set, is skipped and said.
//! - Progress is told per message; stopping leaves nothing written.

use std::collections::HashMap;
use std::path::Path;

use super::eml::{self, Mail};
use super::ImportReport;
use crate::error::{Error, Result};
use crate::record::{case, letter};
use crate::store::{Store, RECORDS_PER_ENTRY};
use crate::transfer::progress::{Ticker, Watch};

/// Largest mailbox read (it is held in memory while its messages are checked and written).
pub const MAX_MAILBOX_BYTES: u64 = 256 << 20;
/// Most messages in one import.
pub(super) const MAX_MESSAGES: usize = 20_000;

/// The messages of an mbox file, each named "<file> #N" (1 is the first).
pub fn split_mbox(bytes: &[u8], file: &str) -> Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    for (i, message) in mail_parser::mailbox::mbox::MessageIterator::new(bytes).enumerate() {
        let message = message.map_err(|e| Error::internal(format!("reading '{file}': {e}")))?;
        if out.len() == MAX_MESSAGES {
            return Err(too_many(file));
        }
        out.push((format!("{file} #{}", i + 1), message.unwrap_contents()));
    }
    if out.is_empty() {
        return Err(Error::rule(
            "mbox",
            "bad_mbox",
            None,
            format!("'{file}' holds no message: an mbox starts each one with a line \"From …\""),
        ));
    }
    Ok(out)
}

/// The `.eml` files of a folder (not its subfolders), in name order.
pub fn eml_folder(dir: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        let is_eml = path.extension().is_some_and(|x| x.eq_ignore_ascii_case("eml"));
        if is_eml && std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            names.push(path);
        }
    }
    names.sort();
    if names.len() > MAX_MESSAGES {
        return Err(too_many(&dir.display().to_string()));
    }
    let mut total = 0;
    let mut out = Vec::new();
    for path in names {
        let bytes = read_within(&path, MAX_MAILBOX_BYTES - total).ok_or_else(|| over_budget(dir))??;
        total += bytes.len() as u64;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        out.push((name, bytes));
    }
    if out.is_empty() {
        return Err(Error::rule("mbox", "bad_mbox", None, format!("'{}' holds no .eml file", dir.display())));
    }
    Ok(out)
}

/// The bytes of the file at `path` when they fit in the `left` bytes of the folder's budget, `None`
/// when they do not. Its size is checked before it is read, and it is read through `take(left + 1)`
/// (a file that grows meanwhile, or one whose size the system misreports, is caught too), so a huge
/// or sparse file is refused at once, in flat memory, never read whole first.
fn read_within(path: &Path, left: u64) -> Option<Result<Vec<u8>>> {
    use std::io::Read;
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => return Some(Err(Error::io(path, e))),
    };
    match file.metadata() {
        Ok(meta) if meta.len() > left => return None,
        Ok(_) => {}
        Err(e) => return Some(Err(Error::io(path, e))),
    }
    let mut bytes = Vec::new();
    if let Err(e) = file.take(left + 1).read_to_end(&mut bytes) {
        return Some(Err(Error::io(path, e)));
    }
    (bytes.len() as u64 <= left).then_some(Ok(bytes))
}

fn over_budget(dir: &Path) -> Error {
    Error::rule(
        "file",
        "file_too_large",
        (MAX_MAILBOX_BYTES >> 20).to_string(),
        format!("the e-mails of '{}' are over {} MiB in all", dir.display(), MAX_MAILBOX_BYTES >> 20),
    )
}

fn too_many(file: &str) -> Error {
    Error::rule(
        "mbox",
        "bad_mbox",
        MAX_MESSAGES.to_string(),
        format!("'{file}' holds more than {MAX_MESSAGES} messages: split it"),
    )
}

/// The messages oldest first, each after the message of the set it answers (its ancestors first).
fn in_order(mut mails: Vec<Mail>) -> Vec<Mail> {
    mails.sort_by_key(|m| m.timestamp);
    let index: HashMap<&str, usize> =
        mails.iter().enumerate().filter_map(|(i, m)| Some((m.message_id.as_deref()?, i))).collect();
    let parent = |i: usize| mails[i].candidates.first().and_then(|id| index.get(id.as_str()).copied());
    let mut order = Vec::with_capacity(mails.len());
    let mut placed = vec![false; mails.len()];
    for start in 0..mails.len() {
        // The chain of unplaced ancestors, walked up (a loop of replies stops where it closes).
        let mut chain = vec![start];
        let mut at = start;
        while let Some(up) = parent(at).filter(|&p| !placed[p] && !chain.contains(&p)) {
            chain.push(up);
            at = up;
        }
        for &i in chain.iter().rev() {
            if !placed[i] {
                placed[i] = true;
                order.push(i);
            }
        }
    }
    let mut slots: Vec<Option<Mail>> = mails.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// Imports a set of e-mails into `case`, in one batch, oldest first.
pub fn mailbox(
    store: &mut Store,
    case: &str,
    messages: Vec<(String, Vec<u8>)>,
    watch: &dyn Watch,
) -> Result<ImportReport> {
    let case_id = case::resolve(store.reader(), case)?;
    let mut mails: Vec<Mail> = Vec::with_capacity(messages.len());
    for (name, bytes) in messages {
        mails.push(eml::read(bytes, &name)?);
    }
    mailbox_of(store, &case_id, mails, watch)
}

/// Imports e-mails read and checked (of a mailbox, a folder, an Outlook archive) into the case
/// `case_id`, in one batch, oldest first.
pub(super) fn mailbox_of(
    store: &mut Store,
    case_id: &str,
    mails: Vec<Mail>,
    watch: &dyn Watch,
) -> Result<ImportReport> {
    let case_id = case_id.to_string();
    let mails = in_order(mails);
    let mut report = ImportReport::default();
    let mut skipped = 0;
    // Messages the case has, or that came earlier in this set, are skipped; the others' files are
    // put into the evidence store before the one write of them all.
    let mut seen = std::collections::HashSet::new();
    let mut kept = Vec::new();
    let mut ticker = Ticker::new(watch, 2 * mails.len() as u64);
    let reading: &Store = store;
    // Every message's files are flushed to disk together, once all are in the store.
    reading.blobs().flushed_at_once(|| {
        for mail in &mails {
            let known = match &mail.message_id {
                Some(id) if !seen.insert(id.clone()) => Some(("earlier in this set".to_string(), id)),
                Some(id) => {
                    letter::with_message_id(reading.reader(), &case_id, id)?.map(|l| (format!("letter {l}"), id))
                }
                None => None,
            };
            match known {
                Some((existing, id)) => {
                    report
                        .messages
                        .push(format!("'{}': <{id}> is already in the case ({existing}): skipped", mail.file));
                    skipped += 1;
                }
                None => kept.push((mail, eml::stage(reading, &case_id, mail)?)),
            }
            ticker.advance(1)?;
        }
        Ok(())
    })?;
    let detail = |part: usize, parts: usize, _: &()| {
        Ok(eml::MailDetail { case: &case_id, file: None, messages: kept.len(), part: (parts > 1).then_some(part) })
    };
    store.write_in_parts("import mailbox", Some(&case_id), RECORDS_PER_ENTRY, detail, |w| {
        for (mail, staged) in &kept {
            eml::write(w, &case_id, mail, staged, &mut report)?;
            ticker.advance(1)?;
        }
        Ok(())
    })?;
    let attachments = report.evidence - report.letters;
    let plural = |n: usize, one: &str, many: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {many}") };
    let mut summary = format!(
        "imported {} as letters, with {}",
        plural(report.letters, "e-mail", "e-mails"),
        plural(attachments, "attachment", "attachments")
    );
    if skipped > 0 {
        summary.push_str(&format!("; {skipped} already in the case were skipped"));
    }
    report.messages.insert(0, summary);
    Ok(report)
}
