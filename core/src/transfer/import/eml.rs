//! E-mails: an `.eml` file becomes a letter, with its attachments as evidence.
//!
//! - One RFC 5322 message (`.eml`, at most [`MAX_FILE_BYTES`]) becomes one letter, channel "email".
//! - **Parties**: each From, To and Cc address is matched against party names and aliases by the
//!   address only: a display name never picks an existing party, since anyone can put "Microsoft"
//!   before their own address. An address nobody has is added as a new person named by the display
//!   name (or the address; with the address after it when the name is already a party's), with the
//!   address as alias and the role "other" in the case; the report's messages list each party added.
//!   The addresses are kept on the letter as written (`letter_address`), searchable. Bcc is ignored.
//! - **Date**: the Date header, as an instant with its own offset (`2023-04-20T09:15+02:00`); an e-mail
//!   without a readable Date header is refused, since it cannot be placed in the chronology.
//! - **Subject** (or "(no subject)"); **body**: the text/plain part(s); where a part exists only as HTML
//!   it is sanitized with ammonia (scripts, styles, event handlers and non-web links dropped) and
//!   converted to text with html2text (links kept as footnotes), so no
//!   raw HTML is ever stored; the body is then shown through the Markdown sanitizer like any letter.
//! - **Threading**: the Message-ID is kept on the letter. The In-Reply-To ids, then the References ids
//!   from the last to the first, are looked up among the case's letters; the first found becomes the
//!   letter this one answers (a reply to a message that was never imported still lands under the
//!   nearest ancestor that was). Importing an e-mail whose Message-ID is already in the case is a
//!   conflict naming the Message-ID. An e-mail without a Message-ID is imported, with a message saying
//!   it cannot be recognised if imported again.
//! - **The message itself** is kept as evidence of its letter (`<subject>.eml`, linked with the note
//!   "original message"), so what was received can always be shown.
//! - **Attachments** are stored as evidence ([`crate::record::evidence::add_stream`], hashed), named by the last
//!   component of their file name (`../../x/notes.txt` is kept as `notes.txt`; a part without a name
//!   gets `attachment-N.<ext>`), and linked to the letter with the note "attachment".
//! - Something that is not an e-mail (no header, no From) is refused as `eml: '<file>' is not an e-mail
//!   message: …`.

use std::path::PathBuf;

use mail_parser::{Addr, HeaderValue, MessageParser, MimeHeaders, PartType};

use crate::error::{Error, Result};
use crate::input;
use crate::record::evidence::{self, FileInput, LinkInput};
use crate::record::letter::{self, Address, LetterInput};
use crate::record::party::{self, PartyInput};
use crate::record::{case, role};
use crate::store::registry;
use crate::store::{Reader, Store, Writer, RECORDS_PER_ENTRY};
use crate::vocabulary::Role;

use super::{csv::one_line, ImportReport, MAX_FILE_BYTES};

/// The last component of a path-like name, without control characters or bidirectional controls (which
/// make `evil\u{202e}gpj.exe` show as `evilexe.jpg`); `None` when nothing usable is left. Both `/` and
/// `\` separate components, whatever system wrote the name.
pub(super) fn last_component(name: &str) -> Option<String> {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = last.chars().filter(|c| !c.is_control() && !is_bidi_control(*c)).collect();
    let clean = clean.trim();
    match clean {
        "" | "." | ".." => None,
        c => Some(c.to_string()),
    }
}

/// The characters that reorder how text is shown: embeddings, overrides and isolates.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A header's text on one line, without control characters: a subject or a name from an e-mail is
/// stored, not refused, but no escape sequence it carries reaches a terminal.
fn header_line(text: &str) -> String {
    one_line(&input::without_controls(text))
}

/// A display name on one line, without control or format characters: a zero-width space or a soft
/// hyphen is invisible, and would let `Microsoft\u{200b}` pass for `Microsoft`.
fn display_name(text: &str) -> String {
    crate::lookalike::without_format(&header_line(text))
}

/// The In-Reply-To or References ids of a header, without angle brackets.
fn message_ids(value: &HeaderValue<'_>) -> Vec<String> {
    let raw: Vec<&str> = match value {
        HeaderValue::Text(t) => vec![t.as_ref()],
        HeaderValue::TextList(list) => list.iter().map(|t| t.as_ref()).collect(),
        _ => Vec::new(),
    };
    raw.into_iter().map(bare_id).filter(|id| !id.is_empty()).collect()
}

fn bare_id(id: &str) -> String {
    id.trim().trim_start_matches('<').trim_end_matches('>').trim().to_string()
}

/// The Date header as a fuzzy-date instant in its own offset, in canonical form.
fn instant(d: &mail_parser::DateTime) -> std::result::Result<String, crate::date::DateError> {
    let sign = if d.tz_before_gmt { '-' } else { '+' };
    let text = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        d.year, d.month, d.day, d.hour, d.minute, d.second, d.tz_hour, d.tz_minute
    );
    crate::date::FuzzyDate::parse(&text).map(|f| f.canonical())
}

/// An address of the e-mail as found in it.
struct Correspondent {
    name: Option<String>,
    address: Option<String>,
}

impl Correspondent {
    fn of(addr: &Addr<'_>) -> Option<Correspondent> {
        let address = addr.address().map(str::trim).filter(|a| !a.is_empty()).map(String::from);
        let name = addr
            .name()
            .map(display_name)
            .map(|n| n.trim_matches(['"', '\'']).trim().to_string())
            .filter(|n| !n.is_empty() && Some(n) != address.as_ref());
        (name.is_some() || address.is_some()).then_some(Correspondent { name, address })
    }

    fn describe(&self) -> String {
        match (&self.name, &self.address) {
            (Some(n), Some(a)) => format!("'{n}' <{a}>"),
            (Some(n), None) => format!("'{n}'"),
            (None, Some(a)) => format!("<{a}>"),
            (None, None) => String::new(),
        }
    }
}

/// The party an address stands for: the party whose name or alias is the address itself. A display
/// name never picks an existing party (anyone can write "Microsoft" before their own address): when
/// no party has the address, a new person is added with the address as alias and the role "other" in
/// the case, named by [`new_party_name`], and the report says so.
fn party_for(
    w: &Writer<'_>,
    case_id: &str,
    who: &Correspondent,
    file: &str,
    report: &mut ImportReport,
) -> Result<String> {
    let refused = |reason| Error::rule("eml", "bad_eml", None, format!("'{file}': {}: {reason}", who.describe()));
    if let Some(address) = &who.address {
        match party::resolve(w, address) {
            Ok(id) => return Ok(id),
            Err(Error::NotFound { .. }) => {}
            Err(Error::Invalid { reason, .. }) => return Err(refused(reason)),
            Err(e) => return Err(e),
        }
    }
    let name = new_party_name(w, who, file, report)?;
    let id = registry::new_id();
    let input = PartyInput {
        name,
        kind: "person".into(),
        description: format!("Added from the e-mail '{file}'."),
        aliases: who.address.iter().cloned().collect(),
        affiliations: Vec::new(),
    };
    party::create_in(w, &id, &input, party::LookAlikes::Reported)?;
    role::insert_row(w, case_id, &id, Role::Other, None)?;
    registry::touch(w, case_id)?;
    report.created.push(id.clone());
    report.messages.push(format!("added the person {} as a party, with the role 'other' in this case", who.describe()));
    Ok(id)
}

/// The name of the party added for an address no party has: the display name, or the address when
/// there is none. A display name that is a party's name or alias, or looks like one
/// ([`crate::lookalike`]: `Microsoft` with a Cyrillic `М`), is followed by the address
/// (`Microsoft <attacker@evil.example>`), so the new party cannot be taken for the other in any list,
/// and the report says which party it looked like and what to do if the address is theirs. The
/// address is the part of the sender that was checked (it found no party), so it is what tells them
/// apart; a name alone would show the same as the other party's.
fn new_party_name(db: &Reader, who: &Correspondent, file: &str, report: &mut ImportReport) -> Result<String> {
    let Some(n) = &who.name else { return Ok(who.address.clone().unwrap_or_default()) };
    let exact = !matches!(party::resolve(db, n), Err(Error::NotFound { .. }));
    let alike = if exact { None } else { party::looks_like(db, n, None)? };
    if !exact && alike.is_none() {
        return Ok(n.clone());
    }
    let Some(a) = &who.address else { return Ok(format!("{n} (name only, in the e-mail '{file}')")) };
    let what = match alike {
        None => format!("'{n}' is the name of a party"),
        Some(r) if r.like == r.party => format!("'{n}' looks like '{}', the name of a party", r.party),
        Some(r) => format!("'{n}' looks like '{}', an alias of the party '{}'", r.like, r.party),
    };
    report.messages.push(format!(
        "{what}, but not one with the address <{a}>: the e-mail is filed under a new party '{n} <{a}>'; if the address is theirs, add it to that party as an alias and import the e-mail again"
    ));
    Ok(format!("{n} <{a}>"))
}

/// One e-mail, read and checked, with nothing written yet.
pub(super) struct Mail {
    /// The file it came from, in messages ("letter.eml", "inbox.mbox #12").
    pub(super) file: String,
    /// The message as it was received, kept as evidence of its letter, and its file's extension.
    raw: Vec<u8>,
    raw_extension: &'static str,
    /// What the evidence note says of it, when it was not received as it is kept (rebuilt from an archive).
    raw_note: Option<String>,
    from: Correspondent,
    to: Vec<Correspondent>,
    cc: Vec<Correspondent>,
    addresses: Vec<Address>,
    /// Canonical instant, and seconds since 1970 (for ordering a mailbox).
    date: String,
    pub(super) timestamp: i64,
    pub(super) message_id: Option<String>,
    /// In-Reply-To, then References from the last: the letters this one may answer.
    pub(super) candidates: Vec<String>,
    subject: String,
    body: String,
    attachments: Vec<(String, Vec<u8>)>,
    notes: Vec<String>,
}

/// Reads and checks one e-mail (`file` names it in messages), writing nothing.
pub(super) fn read(bytes: Vec<u8>, file: &str) -> Result<Mail> {
    let not_mail = |why: &str| Error::rule("eml", "bad_eml", None, format!("'{file}' is not an e-mail message: {why}"));
    let msg = MessageParser::default().parse(&bytes).ok_or_else(|| not_mail("it has no message headers"))?;
    if msg.headers().is_empty() {
        return Err(not_mail("it has no message headers"));
    }
    let from = msg
        .from()
        .and_then(|a| a.iter().find_map(Correspondent::of))
        .ok_or_else(|| not_mail("it has no From header"))?;
    let parsed_date = msg.date().ok_or_else(|| {
        Error::rule(
            "eml",
            "bad_eml",
            None,
            format!("'{file}' has no readable Date header, so it cannot be placed in the chronology"),
        )
    })?;
    let date =
        instant(parsed_date).map_err(|e| Error::rule("eml", "bad_eml", None, format!("'{file}': Date header: {e}")))?;
    let message_id = msg.message_id().map(bare_id).filter(|m| !m.is_empty());
    let subject =
        msg.subject().map(header_line).filter(|s| !s.is_empty()).unwrap_or_else(|| "(no subject)".to_string());

    let mut notes = Vec::new();
    let mut bodies: Vec<String> = Vec::new();
    for part in msg.text_bodies() {
        match &part.body {
            PartType::Text(text) => bodies.push(input::without_controls(&text.replace("\r\n", "\n"))),
            PartType::Html(html) => {
                bodies.push(input::without_controls(&crate::markdown::html_to_text(html)));
                notes.push("the e-mail has no plain-text part: its HTML was converted to text".to_string());
            }
            _ => {}
        }
    }
    notes.dedup();
    let body = bodies.iter().map(|b| b.trim_end()).filter(|b| !b.is_empty()).collect::<Vec<_>>().join("\n\n");

    let mut candidates: Vec<String> = message_ids(msg.in_reply_to());
    candidates.extend(message_ids(msg.references()).into_iter().rev());
    if message_id.is_none() {
        notes.push(format!(
            "'{file}' has no Message-ID: importing it again would add a second letter, and replies cannot be threaded under it"
        ));
    }

    let mut attachments: Vec<(String, Vec<u8>)> = Vec::new();
    for (i, part) in msg.attachments().enumerate() {
        let given = part.attachment_name();
        let name = given.and_then(last_component).unwrap_or_else(|| {
            let ext = part
                .content_type()
                .map(|ct| format!("{}/{}", ct.c_type, ct.c_subtype.as_deref().unwrap_or("")))
                .and_then(|mime| {
                    if mime == "message/rfc822" {
                        Some("eml")
                    } else {
                        mime_guess::get_mime_extensions_str(&mime).and_then(|e| e.first().copied())
                    }
                })
                .unwrap_or("bin");
            format!("attachment-{}.{ext}", i + 1)
        });
        if let Some(given) = given.filter(|g| *g != name) {
            notes.push(format!("attachment '{}' kept as '{name}'", input::shorten(given)));
        }
        attachments.push((name, part.contents().to_vec()));
    }

    let to: Vec<Correspondent> = msg.to().map(|a| a.iter().filter_map(Correspondent::of).collect()).unwrap_or_default();
    let cc: Vec<Correspondent> = msg.cc().map(|a| a.iter().filter_map(Correspondent::of).collect()).unwrap_or_default();
    let senders: Vec<Correspondent> =
        msg.from().map(|a| a.iter().filter_map(Correspondent::of).collect()).unwrap_or_default();
    let addresses: Vec<Address> = [("from", &senders), ("to", &to), ("cc", &cc)]
        .into_iter()
        .flat_map(|(field, list)| {
            list.iter().map(move |c| Address {
                field: field.to_string(),
                name: c.name.clone().unwrap_or_default(),
                address: c.address.clone().unwrap_or_default(),
            })
        })
        .collect();
    let timestamp = parsed_date.to_timestamp();
    drop(msg);
    Ok(Mail {
        file: file.to_string(),
        raw: bytes,
        raw_extension: "eml",
        raw_note: None,
        from,
        to,
        cc,
        addresses,
        date,
        timestamp,
        message_id,
        candidates,
        subject,
        body,
        attachments,
        notes,
    })
}

impl Mail {
    /// Keeps `bytes` (the file the message came in: an Outlook `.msg`) as its original instead of
    /// the text it was read from.
    pub(super) fn keep_instead(&mut self, bytes: Vec<u8>, extension: &'static str) {
        self.raw = bytes;
        self.raw_extension = extension;
    }

    /// Says in the original's evidence note where it came from and how it was made, instead of
    /// "as it was received".
    pub(super) fn describe_original(&mut self, note: String) {
        self.raw_note = Some(note);
    }

    /// Adds notes for the import's report.
    pub(super) fn note(&mut self, notes: Vec<String>) {
        self.notes.extend(notes);
    }
}

/// The files an e-mail brings, put into the evidence store before its write: each attachment, then
/// the message itself, each with the note of its link to the letter. They are flushed to disk together
/// (with those of the other messages, for a mailbox).
pub(super) fn stage(store: &Store, case_id: &str, mail: &Mail) -> Result<Vec<(evidence::Staged, &'static str)>> {
    let file = &mail.file;
    let original = format!("{}.{}", file_stem(&mail.subject), mail.raw_extension);
    let parts = mail
        .attachments
        .iter()
        .map(|(name, content)| {
            (
                name.as_str(),
                content.as_slice(),
                "attachment",
                format!("Attached to the e-mail '{}' ({file}).", mail.subject),
            )
        })
        .chain([(
            original.as_str(),
            mail.raw.as_slice(),
            "original message",
            mail.raw_note
                .clone()
                .unwrap_or_else(|| format!("The e-mail '{}' as it was received ({file}).", mail.subject)),
        )]);
    store.blobs().flushed_at_once(|| {
        let mut staged = Vec::new();
        for (name, content, link_note, note) in parts {
            let input = FileInput {
                case: case_id.to_string(),
                path: PathBuf::from(name),
                title: String::new(),
                date: String::new(),
                note,
            };
            staged.push((evidence::stage(store, &input, content)?, link_note));
        }
        Ok(staged)
    })
}

/// Writes an e-mail inside the import's write: its parties (new addresses become people), its letter,
/// threaded under the letter it answers when the case has it, and its staged files as evidence linked
/// to the letter. Returns the letter's id.
pub(super) fn write(
    w: &Writer<'_>,
    case_id: &str,
    mail: &Mail,
    staged: &[(evidence::Staged, &str)],
    report: &mut ImportReport,
) -> Result<String> {
    let file = &mail.file;
    let mut parent = None;
    for id in &mail.candidates {
        if let Some(letter) = letter::with_message_id(w, case_id, id)? {
            parent = Some((id.clone(), letter));
            break;
        }
    }
    let sender = party_for(w, case_id, &mail.from, file, report)?;
    let mut to_ids = Vec::new();
    for who in &mail.to {
        to_ids.push(party_for(w, case_id, who, file, report)?);
    }
    let mut cc_ids = Vec::new();
    for who in &mail.cc {
        cc_ids.push(party_for(w, case_id, who, file, report)?);
    }
    let letter_id = letter::create_in(
        w,
        &LetterInput {
            addresses: mail.addresses.clone(),
            case: case_id.to_string(),
            channel: "email".into(),
            sender,
            sender_person: String::new(),
            to: to_ids,
            cc: cc_ids,
            subject: mail.subject.clone(),
            body: mail.body.clone(),
            date: mail.date.clone(),
            deadline: String::new(),
            in_reply_to: parent.as_ref().map(|(_, l)| l.clone()).unwrap_or_default(),
            tags: Vec::new(),
            position: 0,
            message_id: mail.message_id.clone().unwrap_or_default(),
            ..LetterInput::default()
        },
    )
    .map_err(|e| match e {
        Error::Invalid { field, reason } => Error::rule("eml", "bad_eml", None, format!("'{file}': {field}: {reason}")),
        other => other,
    })?;
    report.created.push(letter_id.clone());
    report.letters += 1;
    match (&parent, mail.candidates.first()) {
        (Some((id, _)), _) => report.messages.push(format!("'{file}': threaded as a reply to <{id}>")),
        (None, Some(id)) => report.messages.push(format!(
            "'{file}' answers <{id}>, which is not in this case: import that e-mail first to thread them"
        )),
        (None, None) => {}
    }
    report.messages.extend(mail.notes.iter().cloned());
    for (file, link_note) in staged {
        let id = registry::new_id();
        evidence::insert_staged(w, &id, file)?;
        let link = LinkInput {
            evidence: id.clone(),
            record: letter_id.clone(),
            note: (*link_note).into(),
            ..Default::default()
        };
        evidence::insert_link(w, &id, &letter_id, &evidence::LinkFields::check(&link)?)?;
        report.created.push(id);
        report.evidence += 1;
    }
    Ok(letter_id)
}

/// What the change log records of an e-mail or mailbox import, in each of its entries.
#[derive(serde::Serialize)]
pub(super) struct MailDetail<'a> {
    pub(super) case: &'a str,
    /// The e-mail's file, for one e-mail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) file: Option<&'a str>,
    pub(super) messages: usize,
    /// Which entry of the import this is, from 1, when it took more than one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) part: Option<usize>,
}

/// A file name made of a subject: its letters, digits and spaces, at most 60 characters.
fn file_stem(subject: &str) -> String {
    let kept: String =
        subject.chars().map(|c| if c.is_alphanumeric() || c == ' ' || c == '-' { c } else { ' ' }).collect();
    let stem = kept.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(60).collect::<String>();
    if stem.is_empty() {
        "e-mail".to_string()
    } else {
        stem
    }
}

/// Imports one e-mail (`.eml`, RFC 5322) into `case` as a letter, with its attachments and the message
/// itself as evidence linked to it. `file_name` names the file in messages and errors. See the module
/// docs for how parties, dates, bodies, threading and attachments are read. Everything is written in
/// one write.
pub fn eml(store: &mut Store, case: &str, bytes: &[u8], file_name: &str) -> Result<ImportReport> {
    let file = last_component(file_name).unwrap_or_else(|| "e-mail".to_string());
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Error::rule(
            "eml",
            "bad_eml",
            None,
            format!("'{file}' is {} MiB: e-mails over 50 MiB are refused", bytes.len().div_ceil(1 << 20)),
        ));
    }
    let case_id = case::resolve(store.reader(), case)?;
    import_one(store, &case_id, read(bytes.to_vec(), &file)?)
}

/// Imports one e-mail, read and checked, into the case `case_id`, in one write.
pub(super) fn import_one(store: &mut Store, case_id: &str, mail: Mail) -> Result<ImportReport> {
    let file = &mail.file;
    if let Some(id) = &mail.message_id {
        if let Some(existing) = letter::with_message_id(store.reader(), case_id, id)? {
            return Err(Error::Conflict(format!(
                "the e-mail <{id}> is already in the case (letter {existing}); '{file}' was not imported again"
            )));
        }
    }
    let mut report = ImportReport::default();
    let staged = stage(store, case_id, &mail)?;
    let detail =
        |_: usize, _: usize, _: &String| Ok(MailDetail { case: case_id, file: Some(file), messages: 1, part: None });
    store.write_in_parts("import e-mail", Some(case_id), RECORDS_PER_ENTRY, detail, |w| {
        write(w, case_id, &mail, &staged, &mut report)
    })?;
    let attachments = report.evidence - 1;
    report.messages.insert(
        0,
        format!(
            "imported '{}' as a letter{}",
            mail.subject,
            match attachments {
                0 => String::new(),
                1 => " with 1 attachment".to_string(),
                n => format!(" with {n} attachments"),
            }
        ),
    );
    Ok(report)
}
