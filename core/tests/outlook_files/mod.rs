//! Outlook files made in the tests, never committed as binaries: an `.msg` written with `cfb`'s
//! writer in the streams MS-OXMSG lays out (`msg`), and a `.pst` written by a small writer of the
//! MS-PST structures a reader needs (`pst`), which Microsoft's `outlook-pst` reads back. Both write
//! the same MAPI properties of a [`Mail`].

#![allow(dead_code)]

pub mod msg;
pub mod pst;

/// A property value, as MAPI types it.
#[derive(Debug, Clone)]
pub enum P {
    Text(String),
    Bin(Vec<u8>),
    Int(i32),
    Bool(bool),
    /// Seconds since 1970, stored as a `PtypTime` (100 ns since 1601).
    Time(i64),
}

impl P {
    /// The MAPI property type.
    pub fn kind(&self) -> u16 {
        match self {
            P::Text(_) => 0x001F,
            P::Bin(_) => 0x0102,
            P::Int(_) => 0x0003,
            P::Bool(_) => 0x000B,
            P::Time(_) => 0x0040,
        }
    }

    /// The value's bytes: UTF-16LE with its NUL for text, little-endian for numbers.
    pub fn bytes(&self) -> Vec<u8> {
        match self {
            P::Text(t) => t.encode_utf16().chain([0]).flat_map(|u| u.to_le_bytes()).collect(),
            P::Bin(b) => b.clone(),
            P::Int(n) => n.to_le_bytes().to_vec(),
            P::Bool(b) => vec![u8::from(*b), 0, 0, 0],
            P::Time(t) => ((t + 11_644_473_600) * 10_000_000).to_le_bytes().to_vec(),
        }
    }
}

pub type Props = Vec<(u16, P)>;

/// Someone a message is from or to.
#[derive(Debug, Clone)]
pub struct Who {
    pub name: String,
    pub address: String,
}

pub fn who(name: &str, address: &str) -> Who {
    Who { name: name.into(), address: address.into() }
}

/// An e-mail as Outlook keeps it.
#[derive(Debug, Clone)]
pub struct Mail {
    pub class: String,
    pub subject: String,
    pub from: Who,
    pub to: Vec<Who>,
    pub cc: Vec<Who>,
    /// Seconds since 1970.
    pub sent: i64,
    pub message_id: String,
    pub in_reply_to: Option<String>,
    pub body: String,
    pub html: Option<String>,
    pub attachments: Vec<(String, Vec<u8>)>,
    /// Messages attached as messages (a forwarded e-mail), each with its attachment's name; written
    /// into `.msg` files only.
    pub attached: Vec<(String, Mail)>,
    pub unsent: bool,
}

impl Mail {
    pub fn new(subject: &str, from: Who, to: Vec<Who>, sent: i64, message_id: &str, body: &str) -> Mail {
        Mail {
            class: "IPM.Note".into(),
            subject: subject.into(),
            from,
            to,
            cc: Vec::new(),
            sent,
            message_id: message_id.into(),
            in_reply_to: None,
            body: body.into(),
            html: None,
            attachments: Vec::new(),
            attached: Vec::new(),
            unsent: false,
        }
    }

    /// The message's own properties.
    pub fn props(&self) -> Props {
        let t = |s: &str| P::Text(s.to_string());
        let mut p = vec![
            (0x001A, t(&self.class)),
            (0x0037, t(&self.subject)),
            (0x0039, P::Time(self.sent)),
            (0x0E06, P::Time(self.sent + 5)),
            (0x0E07, P::Int(if self.unsent { 0x8 } else { 0x1 })),
            (0x0042, t(&self.from.name)),
            (0x0064, t("SMTP")),
            (0x0065, t(&self.from.address)),
            (0x0C1A, t(&self.from.name)),
            (0x0C1E, t("SMTP")),
            (0x0C1F, t(&self.from.address)),
            (0x1000, t(&self.body)),
            (0x1035, t(&self.message_id)),
            (0x340D, P::Int(0x0004_0000)),
        ];
        if let Some(parent) = &self.in_reply_to {
            p.push((0x1042, t(parent)));
        }
        if let Some(html) = &self.html {
            p.push((0x1013, P::Bin(html.as_bytes().to_vec())));
        }
        p.sort_by_key(|(id, _)| *id);
        p
    }

    /// Each recipient's properties: To, then Cc.
    pub fn recipients(&self) -> Vec<Props> {
        let one = |w: &Who, kind: i32| -> Props {
            vec![
                (0x0C15, P::Int(kind)),
                (0x3001, P::Text(w.name.clone())),
                (0x3002, P::Text("SMTP".into())),
                (0x3003, P::Text(w.address.clone())),
                (0x39FE, P::Text(w.address.clone())),
            ]
        };
        self.to.iter().map(|w| one(w, 1)).chain(self.cc.iter().map(|w| one(w, 2))).collect()
    }

    /// Each attachment's properties, its bytes by value.
    pub fn attachment_props(&self) -> Vec<Props> {
        self.attachments
            .iter()
            .map(|(name, bytes)| {
                vec![
                    (0x0E20, P::Int(bytes.len() as i32)),
                    (0x3001, P::Text(name.clone())),
                    (0x3701, P::Bin(bytes.clone())),
                    (0x3704, P::Text(name.clone())),
                    (0x3705, P::Int(1)),
                    (0x3707, P::Text(name.clone())),
                ]
            })
            .collect()
    }
}
