//! Outlook mail: an `.msg` file becomes a letter, and a `.pst` archive a mailbox, through the very
//! path `.eml` files and mailboxes take (`eml`, `mbox`).
//!
//! Outlook keeps a message as MAPI properties, not as the RFC 5322 text an `.eml` is. Each message is
//! read into an [`Item`] (`msg` reads a Compound File, `pst` Microsoft's `outlook-pst` reader) and
//! written out as an RFC 5322 message ([`Item::rfc822`]), which `eml::read` reads like any e-mail:
//! parties by address, the date, threading by Message-ID, In-Reply-To and References, HTML bodies
//! sanitized, attachments as evidence. There is one reading of mail, whatever file it came in.
//!
//! - **Which property says what**: the sender is the one the message was sent for (`PidTagSentRepresenting*`,
//!   what Outlook shows in From), else its sender; an address is the SMTP one (`…SmtpAddress`, or
//!   the address itself when its type is SMTP), else the one in the internet headers Outlook kept
//!   (`PidTagTransportMessageHeaders`), else none (the party is then known by name only: an
//!   Exchange directory name is no address). To and Cc come from the recipients (Bcc is ignored, as
//!   for an `.eml`). The date is the kept Date header (the sender's own clock and offset), else the
//!   time the message was sent, else the time it was delivered, in UTC. Message-ID, In-Reply-To and
//!   References are the message's properties, else the kept headers. The body is the plain text,
//!   and the HTML when there is some; a body kept only as RTF is not read, and the import says so.
//! - **Attachments**: by value, with their long file name; an attached Outlook message becomes an
//!   `.eml` of its own (`<subject>.eml`), nested at most [`MAX_DEPTH`] deep; an attachment that is
//!   only a link to a file elsewhere is named in the import's messages, not fetched.
//! - **The original message**: for an `.msg`, the file itself, as received (`<subject>.msg`). A PST
//!   holds no file per message, so each message's original is the `.eml` rebuilt here from its
//!   properties, and its evidence note says so; the archive itself is not kept (it holds a whole
//!   mailbox, most of it nothing to do with the case).

mod msg;
mod pst;
mod trees;

use std::collections::BTreeMap;

use base64::Engine;

pub use msg::msg;
pub use pst::{pst, MAX_PST_BYTES};

/// Deepest nesting of messages attached to messages that is read.
pub const MAX_DEPTH: usize = 3;

/// A property's value, as the message stores it.
#[derive(Debug, Clone)]
enum Value {
    /// UTF-16 text, decoded.
    Text(String),
    /// Text in the message's code page (`PtypString8`), decoded when read.
    Text8(Vec<u8>),
    Bytes(Vec<u8>),
    Int(i64),
    /// A `PtypTime`: 100-nanosecond intervals since 1601-01-01 UTC.
    Time(i64),
}

/// The properties of a message, a recipient or an attachment, by property id.
#[derive(Debug, Default, Clone)]
struct Props(BTreeMap<u16, Value>);

/// The property ids read (MS-OXPROPS).
mod id {
    pub const MESSAGE_CLASS: u16 = 0x001A;
    pub const SUBJECT: u16 = 0x0037;
    pub const CLIENT_SUBMIT_TIME: u16 = 0x0039;
    pub const SENT_REPRESENTING_NAME: u16 = 0x0042;
    pub const SENT_REPRESENTING_ADDRTYPE: u16 = 0x0064;
    pub const SENT_REPRESENTING_EMAIL: u16 = 0x0065;
    pub const TRANSPORT_HEADERS: u16 = 0x007D;
    pub const RECIPIENT_TYPE: u16 = 0x0C15;
    pub const SENDER_NAME: u16 = 0x0C1A;
    pub const SENDER_ADDRTYPE: u16 = 0x0C1E;
    pub const SENDER_EMAIL: u16 = 0x0C1F;
    pub const DELIVERY_TIME: u16 = 0x0E06;
    pub const MESSAGE_FLAGS: u16 = 0x0E07;
    pub const BODY: u16 = 0x1000;
    pub const RTF_COMPRESSED: u16 = 0x1009;
    pub const HTML: u16 = 0x1013;
    pub const INTERNET_MESSAGE_ID: u16 = 0x1035;
    pub const INTERNET_REFERENCES: u16 = 0x1039;
    pub const IN_REPLY_TO: u16 = 0x1042;
    pub const DISPLAY_NAME: u16 = 0x3001;
    pub const ADDRTYPE: u16 = 0x3002;
    pub const EMAIL_ADDRESS: u16 = 0x3003;
    pub const ATTACH_DATA: u16 = 0x3701;
    pub const ATTACH_FILENAME: u16 = 0x3704;
    pub const ATTACH_METHOD: u16 = 0x3705;
    pub const ATTACH_LONG_FILENAME: u16 = 0x3707;
    pub const ATTACH_MIME_TAG: u16 = 0x370E;
    pub const SMTP_ADDRESS: u16 = 0x39FE;
    pub const INTERNET_CPID: u16 = 0x3FDE;
    pub const MESSAGE_CODEPAGE: u16 = 0x3FFD;
    pub const SENDER_SMTP: u16 = 0x5D01;
    pub const SENT_REPRESENTING_SMTP: u16 = 0x5D02;
    pub const RECIPIENT_DISPLAY_NAME: u16 = 0x5FF6;
}

/// `PidTagMessageFlags`' bit of a message never sent (a draft).
const UNSENT: i64 = 0x8;
/// `PidTagAttachMethod`: by value, an embedded message, and the ones that only point at a file.
const BY_VALUE: i64 = 1;
const EMBEDDED: i64 = 5;

impl Props {
    fn insert(&mut self, id: u16, value: Value) {
        self.0.insert(id, value);
    }

    /// The code page `PtypString8` values are in: the message's, else Windows-1252.
    fn encoding(&self) -> &'static encoding_rs::Encoding {
        [id::INTERNET_CPID, id::MESSAGE_CODEPAGE]
            .iter()
            .find_map(|&p| match self.0.get(&p) {
                Some(Value::Int(cp)) => u16::try_from(*cp).ok().and_then(codepage::to_encoding),
                _ => None,
            })
            .unwrap_or(encoding_rs::WINDOWS_1252)
    }

    /// A text property, without the NUL that ends it; an empty one is none.
    fn text(&self, id: u16) -> Option<String> {
        let text = match self.0.get(&id)? {
            Value::Text(t) => t.clone(),
            Value::Text8(b) => self.encoding().decode(b).0.into_owned(),
            Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
            _ => return None,
        };
        let text = text.trim_end_matches('\0').to_string();
        (!text.trim().is_empty()).then_some(text)
    }

    fn bytes(&self, id: u16) -> Option<&[u8]> {
        match self.0.get(&id)? {
            Value::Bytes(b) | Value::Text8(b) => Some(b),
            _ => None,
        }
    }

    fn int(&self, id: u16) -> Option<i64> {
        match self.0.get(&id)? {
            Value::Int(n) => Some(*n),
            _ => None,
        }
    }

    /// A time property as an RFC 5322 date in UTC.
    fn date(&self, id: u16) -> Option<String> {
        let Value::Time(t) = self.0.get(&id)? else { return None };
        let seconds = t.div_euclid(10_000_000) - 11_644_473_600;
        let when = chrono::DateTime::from_timestamp(seconds, 0)?;
        Some(when.format("%a, %d %b %Y %H:%M:%S +0000").to_string())
    }

    /// The SMTP address of a sender or recipient: its SMTP property, else its address when that is
    /// of type SMTP (or looks like one).
    fn smtp(&self, smtp: u16, addrtype: u16, address: u16) -> Option<String> {
        self.text(smtp).or_else(|| {
            let kind = self.text(addrtype).unwrap_or_default();
            self.text(address).filter(|a| kind.eq_ignore_ascii_case("SMTP") || (kind.is_empty() && a.contains('@')))
        })
    }
}

/// Someone the message is from or to.
#[derive(Debug, Clone, Default)]
struct Person {
    name: String,
    address: String,
}

/// An attachment of a message.
#[derive(Debug)]
struct Attachment {
    name: String,
    mime: String,
    content: Content,
}

#[derive(Debug)]
enum Content {
    Bytes(Vec<u8>),
    Message(Box<Item>),
}

/// One Outlook message: what makes a letter of it, read from its properties.
#[derive(Debug, Default)]
pub(super) struct Item {
    class: String,
    subject: String,
    from: Option<Person>,
    to: Vec<Person>,
    cc: Vec<Person>,
    /// RFC 5322.
    date: Option<String>,
    message_id: Option<String>,
    in_reply_to: Option<String>,
    references: Option<String>,
    text: Option<String>,
    html: Option<String>,
    /// Whether the body is kept only as RTF, which is not read.
    rtf_only: bool,
    unsent: bool,
    attachments: Vec<Attachment>,
    /// Attachments that only point at a file elsewhere, by name.
    linked: Vec<String>,
}

/// The headers Outlook kept of a message received from the internet, raw, each on one line.
struct Kept(Vec<(String, String)>);

impl Kept {
    fn of(props: &Props) -> Kept {
        let Some(text) = props.text(id::TRANSPORT_HEADERS) else { return Kept(Vec::new()) };
        let parsed = mail_parser::MessageParser::default().parse_headers(text.as_bytes());
        let headers =
            parsed.map(|m| m.headers_raw().map(|(k, v)| (k.to_string(), one_line(v))).collect()).unwrap_or_default();
        Kept(headers)
    }

    /// The first header of that name, on one line, when it is plain ASCII.
    fn get(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty() && v.is_ascii())
    }

    /// The address of the From header.
    fn sender_address(&self) -> Option<String> {
        let line = self.0.iter().find(|(k, _)| k.eq_ignore_ascii_case("From"))?;
        let header = format!("From: {}\r\n\r\n", line.1);
        let message = mail_parser::MessageParser::default().parse(header.as_bytes())?;
        message.from()?.first()?.address().map(str::to_string)
    }
}

/// A header's raw value on one line, without control characters.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").chars().filter(|c| !c.is_control()).collect()
}

impl Item {
    /// The message of `props`, its recipients and its attachments (already read).
    fn of(props: &Props, recipients: &[Props], attachments: Vec<Attachment>, linked: Vec<String>) -> Item {
        let kept = Kept::of(props);
        let sent_for = props.text(id::SENT_REPRESENTING_NAME).is_some()
            || props.text(id::SENT_REPRESENTING_EMAIL).is_some()
            || props.text(id::SENT_REPRESENTING_SMTP).is_some();
        let (name, smtp) = if sent_for {
            (
                props.text(id::SENT_REPRESENTING_NAME),
                props.smtp(id::SENT_REPRESENTING_SMTP, id::SENT_REPRESENTING_ADDRTYPE, id::SENT_REPRESENTING_EMAIL),
            )
        } else {
            (props.text(id::SENDER_NAME), props.smtp(id::SENDER_SMTP, id::SENDER_ADDRTYPE, id::SENDER_EMAIL))
        };
        let address = smtp.or_else(|| kept.sender_address());
        let from = (name.is_some() || address.is_some())
            .then(|| Person { name: name.unwrap_or_default(), address: address.unwrap_or_default() });
        let mut to = Vec::new();
        let mut cc = Vec::new();
        for r in recipients {
            let person = Person {
                name: r.text(id::DISPLAY_NAME).or_else(|| r.text(id::RECIPIENT_DISPLAY_NAME)).unwrap_or_default(),
                address: r.smtp(id::SMTP_ADDRESS, id::ADDRTYPE, id::EMAIL_ADDRESS).unwrap_or_default(),
            };
            match r.int(id::RECIPIENT_TYPE).map(|t| t & 0xF) {
                Some(2) => cc.push(person),
                Some(3) => {}
                _ => to.push(person),
            }
        }
        let date = kept
            .get("Date")
            .filter(|d| mail_parser::DateTime::parse_rfc822(d).is_some())
            .or_else(|| props.date(id::CLIENT_SUBMIT_TIME))
            .or_else(|| props.date(id::DELIVERY_TIME));
        let id_of = |prop: u16, header: &str| props.text(prop).map(|t| one_line(&t)).or_else(|| kept.get(header));
        let text = props.text(id::BODY);
        let html = props.text(id::HTML).map(|h| match props.bytes(id::HTML) {
            // An HTML body kept as bytes is in the message's code page.
            Some(b) => props.encoding().decode(b).0.trim_end_matches('\0').to_string(),
            None => h,
        });
        Item {
            class: props.text(id::MESSAGE_CLASS).unwrap_or_default(),
            subject: props.text(id::SUBJECT).map(|s| one_line(&s)).unwrap_or_default(),
            from,
            to,
            cc,
            date,
            message_id: id_of(id::INTERNET_MESSAGE_ID, "Message-ID"),
            in_reply_to: id_of(id::IN_REPLY_TO, "In-Reply-To"),
            references: id_of(id::INTERNET_REFERENCES, "References"),
            rtf_only: text.is_none() && html.is_none() && props.bytes(id::RTF_COMPRESSED).is_some(),
            text,
            html,
            unsent: props.int(id::MESSAGE_FLAGS).is_some_and(|f| f & UNSENT != 0),
            attachments,
            linked,
        }
    }

    /// Whether it is an e-mail (`IPM.Note` and its kinds: signed, encrypted, read receipts aside),
    /// rather than an appointment, a contact, a task or a note.
    fn is_mail(&self) -> bool {
        let class = self.class.to_ascii_uppercase();
        class.is_empty() || class == "IPM" || class == "IPM.NOTE" || class.starts_with("IPM.NOTE.")
    }

    /// What the import says of this message beyond what `eml::read` says.
    fn notes(&self, file: &str) -> Vec<String> {
        let mut notes = Vec::new();
        if self.rtf_only {
            notes.push(format!("'{file}': the body is kept only as RTF, which is not read: the letter has no body"));
        }
        for name in &self.linked {
            notes.push(format!("'{file}': the attachment '{name}' is a link to a file elsewhere: it was not fetched"));
        }
        notes
    }

    /// The message as RFC 5322 text, with its bodies and attachments as MIME parts (base64).
    fn rfc822(&self) -> Vec<u8> {
        let mut out = String::new();
        if let Some(from) = self.from.as_ref().and_then(mailbox) {
            header(&mut out, "From", &from);
        }
        for (name, people) in [("To", &self.to), ("Cc", &self.cc)] {
            let list: Vec<String> = people.iter().filter_map(mailbox).collect();
            if !list.is_empty() {
                header(&mut out, name, &list.join(",\r\n "));
            }
        }
        if !self.subject.is_empty() {
            header(&mut out, "Subject", &encoded(&self.subject));
        }
        if let Some(date) = &self.date {
            header(&mut out, "Date", date);
        }
        for (name, value) in
            [("Message-ID", &self.message_id), ("In-Reply-To", &self.in_reply_to), ("References", &self.references)]
        {
            if let Some(value) = value.as_ref().filter(|v| v.is_ascii()) {
                header(&mut out, name, value);
            }
        }
        header(&mut out, "MIME-Version", "1.0");
        let mut bytes = out.into_bytes();
        bytes.extend(self.body());
        bytes
    }

    /// The body part: the text and HTML (as alternatives), then the attachments.
    fn body(&self) -> Vec<u8> {
        let mut bodies: Vec<Vec<u8>> = Vec::new();
        if let Some(text) = &self.text {
            bodies.push(part("text/plain; charset=utf-8", None, text.as_bytes()));
        }
        if let Some(html) = &self.html {
            bodies.push(part("text/html; charset=utf-8", None, html.as_bytes()));
        }
        let body = match bodies.len() {
            0 => part("text/plain; charset=utf-8", None, b""),
            1 => bodies.remove(0),
            _ => multipart("alternative", bodies),
        };
        if self.attachments.is_empty() {
            return body;
        }
        let mut parts = vec![body];
        for a in &self.attachments {
            let (name, mime, content) = match &a.content {
                Content::Bytes(b) => (a.name.clone(), a.mime.as_str(), std::borrow::Cow::Borrowed(b.as_slice())),
                Content::Message(m) => {
                    let stem = if m.subject.is_empty() { "message" } else { m.subject.as_str() };
                    let name = if a.name.is_empty() { format!("{stem}.eml") } else { format!("{}.eml", a.name) };
                    (name, "message/rfc822", std::borrow::Cow::Owned(m.rfc822()))
                }
            };
            parts.push(part(mime, Some(&name), &content));
        }
        multipart("mixed", parts)
    }
}

/// One header, its value already encoded.
fn header(out: &mut String, name: &str, value: &str) {
    out.push_str(name);
    out.push_str(": ");
    out.push_str(value);
    out.push_str("\r\n");
}

/// Text for a header: as it is when it is plain printable ASCII, else RFC 2047 encoded words.
fn encoded(text: &str) -> String {
    let text = one_line(text);
    if text.chars().all(|c| c.is_ascii_graphic() || c == ' ') && !text.contains("=?") {
        return text;
    }
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in text.chars() {
        if chunk.len() + c.len_utf8() > 45 {
            words.push(std::mem::take(&mut chunk));
        }
        chunk.push(c);
    }
    words.push(chunk);
    words
        .iter()
        .map(|w| format!("=?UTF-8?B?{}?=", base64::engine::general_purpose::STANDARD.encode(w)))
        .collect::<Vec<_>>()
        .join("\r\n ")
}

/// A person as an address of a header (`"Name" <address>`), or `None` for one with neither; an
/// address that is not one (spaces, angle brackets, no `@`) is left out and the name kept.
fn mailbox(p: &Person) -> Option<String> {
    let address = p.address.trim();
    let usable = address.contains('@')
        && !address.chars().any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\"\\".contains(c));
    let address = if usable { address } else { "" };
    let name = one_line(&p.name);
    let name = name.trim_matches(['"', '\'']).trim();
    match (name.is_empty(), address.is_empty()) {
        (true, true) => None,
        (true, false) => Some(format!("<{address}>")),
        (false, _) => {
            let ascii = name.chars().all(|c| c.is_ascii_graphic() || c == ' ');
            let shown =
                if ascii { format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\"")) } else { encoded(name) };
            Some(format!("{shown} <{address}>"))
        }
    }
}

/// A MIME part in base64, an attachment when it has a file name.
fn part(mime: &str, file_name: Option<&str>, content: &[u8]) -> Vec<u8> {
    let mut head = String::new();
    match file_name {
        Some(name) => {
            header(&mut head, "Content-Type", &format!("{mime}; name=\"{}\"", quoted_name(name)));
            header(&mut head, "Content-Disposition", &format!("attachment; {}", file_name_parameter(name)));
        }
        None => header(&mut head, "Content-Type", mime),
    }
    header(&mut head, "Content-Transfer-Encoding", "base64");
    head.push_str("\r\n");
    let encoded = base64::engine::general_purpose::STANDARD.encode(content);
    for line in encoded.as_bytes().chunks(76) {
        head.push_str(&String::from_utf8_lossy(line));
        head.push_str("\r\n");
    }
    head.into_bytes()
}

/// A file name for the `name` parameter: ASCII as it is, else encoded words.
fn quoted_name(name: &str) -> String {
    let clean: String = name.chars().filter(|c| !c.is_control()).collect();
    if clean.is_ascii() {
        clean.replace('\\', "\\\\").replace('"', "\\\"")
    } else {
        encoded(&clean)
    }
}

/// The `filename` parameter (RFC 2231 for a name that is not ASCII).
fn file_name_parameter(name: &str) -> String {
    let clean: String = name.chars().filter(|c| !c.is_control()).collect();
    if clean.is_ascii() {
        return format!("filename=\"{}\"", clean.replace('\\', "\\\\").replace('"', "\\\""));
    }
    let escaped: String = clean
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b".-_".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("filename*=UTF-8''{escaped}")
}

/// A multipart of `parts`. The boundary cannot occur in them: every part is base64, whose alphabet
/// has no `_`.
fn multipart(kind: &str, parts: Vec<Vec<u8>>) -> Vec<u8> {
    let boundary = format!("=_dossier_{kind}");
    let mut out = format!("Content-Type: multipart/{kind}; boundary=\"{boundary}\"\r\n\r\n").into_bytes();
    for p in parts {
        out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        out.extend(p);
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    out
}

/// An attachment's media type: its own when it is one, else from its file name.
fn media_type(props: &Props, name: &str) -> String {
    props
        .text(id::ATTACH_MIME_TAG)
        .map(|m| m.trim().to_ascii_lowercase())
        .filter(|m| {
            let mut halves = m.split('/');
            let token = |t: Option<&str>| {
                t.is_some_and(|t| {
                    !t.is_empty() && t.chars().all(|c| c.is_ascii_alphanumeric() || "!#$&-^_.+".contains(c))
                })
            };
            token(halves.next()) && token(halves.next()) && halves.next().is_none()
        })
        .unwrap_or_else(|| mime_guess::from_path(name).first_or_octet_stream().essence_str().to_string())
}

/// The name of an attachment: its long file name, else its short one, else its display name.
fn attachment_name(props: &Props) -> String {
    props
        .text(id::ATTACH_LONG_FILENAME)
        .or_else(|| props.text(id::ATTACH_FILENAME))
        .or_else(|| props.text(id::DISPLAY_NAME))
        .unwrap_or_default()
}
