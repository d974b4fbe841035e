//! Letters and every other piece of correspondence (e-mails, press statements, posts, court filings,
//! calls): who sent it to whom, through which channel, what it answers and by when it must be answered.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::date::FuzzyDate;
use crate::error::{Error, Result};
use crate::input;
use crate::record::attribution;
use crate::record::{case, party};
use crate::record::{party_refs, PartyRef};
use crate::store::{self, Store};

pub const CHANNELS: &[&str] =
    &["letter", "email", "press_statement", "social_media", "court_filing", "call", "meeting", "other"];

#[derive(Debug, Clone, Default, Serialize, Deserialize, ts_rs::TS)]
pub struct LetterInput {
    pub case: String,
    /// Left empty: "letter".
    #[serde(default)]
    pub channel: String,
    /// Party key of the sending organisation (or person writing for themselves).
    pub sender: String,
    /// Party key of the person who signed or spoke, if known.
    #[serde(default)]
    pub sender_person: String,
    #[serde(default)]
    pub to: Vec<String>,
    #[serde(default)]
    pub cc: Vec<String>,
    pub subject: String,
    #[serde(default)]
    pub body: String,
    pub date: String,
    /// When an answer is due; empty for none.
    #[serde(default)]
    pub deadline: String,
    /// Id of the letter this one answers.
    #[serde(default)]
    pub in_reply_to: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub position: i64,
    /// The e-mail's Message-ID, for letters imported from e-mail: replies find what they answer by it.
    #[serde(default)]
    pub message_id: String,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Letter {
    pub id: String,
    pub case_id: String,
    pub channel: String,
    pub sender: PartyRef,
    pub sender_person: Option<PartyRef>,
    pub to: Vec<PartyRef>,
    pub cc: Vec<PartyRef>,
    pub subject: String,
    pub body: String,
    pub date: String,
    pub deadline: Option<String>,
    pub in_reply_to: Option<String>,
    /// Ids of the letters that answer this one.
    pub replies: Vec<String>,
    pub tags: Vec<String>,
    pub position: i64,
    pub message_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

struct Valid {
    case_id: String,
    channel: &'static str,
    sender: String,
    sender_person: Option<String>,
    recipients: Vec<(String, &'static str)>,
    subject: String,
    body: String,
    date: FuzzyDate,
    deadline: Option<FuzzyDate>,
    in_reply_to: Option<String>,
    tags: Vec<String>,
    message_id: Option<String>,
}

fn validate(conn: &Connection, input: &LetterInput, own_id: Option<&str>) -> Result<Valid> {
    let case_id = case::resolve(conn, &input.case)?;
    let channel =
        if input.channel.trim().is_empty() { "letter" } else { input::one_of("channel", &input.channel, CHANNELS)? };
    let sender = party::resolve(conn, &input.sender).map_err(|e| match e {
        Error::Invalid { message, .. } if input.sender.trim().is_empty() => Error::invalid("sender", message),
        other => other,
    })?;
    let sender_person = match input.sender_person.trim() {
        "" => None,
        key => Some(party::resolve(conn, key)?),
    };
    let mut recipients: Vec<(String, &'static str)> = Vec::new();
    for (keys, kind) in [(&input.to, "to"), (&input.cc, "cc")] {
        for key in keys {
            let id = party::resolve(conn, key)?;
            if !recipients.iter().any(|(r, _)| *r == id) {
                recipients.push((id, kind));
            }
        }
    }
    let date = input::date("date", &input.date)?;
    let deadline = input::opt_date("deadline", &input.deadline)?;
    if let (Some(d), Some(lo)) = (&deadline, date.lower()) {
        if d.upper().is_some_and(|hi| hi <= lo) {
            return Err(Error::invalid("deadline", format!("'{d}' is before the letter's date '{date}'")));
        }
    }
    let in_reply_to = match input.in_reply_to.trim() {
        "" => None,
        key => {
            let parent: Option<String> =
                conn.query_row("SELECT case_id FROM letter WHERE id = ?1", [key], |r| r.get(0)).optional()?;
            match parent {
                None => return Err(Error::not_found("letter", key)),
                Some(c) if c != case_id => {
                    return Err(Error::invalid("in_reply_to", format!("letter '{key}' belongs to another case")))
                }
                Some(_) if Some(key) == own_id => {
                    return Err(Error::invalid("in_reply_to", "a letter cannot answer itself"))
                }
                Some(_) => {
                    if let Some(own) = own_id {
                        if replies_descend_from(conn, key, own)? {
                            return Err(Error::invalid(
                                "in_reply_to",
                                format!("letter '{key}' is itself a reply to this one"),
                            ));
                        }
                    }
                    Some(key.to_string())
                }
            }
        }
    };
    Ok(Valid {
        case_id,
        channel,
        sender,
        sender_person,
        recipients,
        subject: input::required("subject", &input.subject)?,
        body: input::text("body", &input.body)?,
        date,
        deadline,
        in_reply_to,
        tags: attribution::validate_tags(&input.tags)?,
        message_id: Some(input::line("message_id", &input.message_id)?).filter(|m| !m.is_empty()),
    })
}

/// Whether `letter` sits somewhere below `ancestor` in a reply thread (which would make a cycle).
fn replies_descend_from(conn: &Connection, letter: &str, ancestor: &str) -> Result<bool> {
    let found: Option<i64> = conn
        .query_row(
            "WITH RECURSIVE up(id) AS (SELECT in_reply_to FROM letter WHERE id = ?1
                 UNION SELECT l.in_reply_to FROM letter l JOIN up ON l.id = up.id WHERE l.in_reply_to IS NOT NULL)
             SELECT 1 FROM up WHERE id = ?2",
            params![letter, ancestor],
            |r| r.get(0),
        )
        .optional()?;
    Ok(found.is_some())
}

fn write(tx: &Connection, id: &str, v: &Valid, position: i64, insert: bool) -> Result<()> {
    let (date, sort, lo, hi, rank) = store::date_cols(Some(&v.date));
    let (dl, dl_sort, dl_lo, dl_hi, dl_rank) = store::date_cols(v.deadline.as_ref());
    if insert {
        store::register(tx, "letter", id)?;
        tx.execute(
            "INSERT INTO letter (id, case_id, channel, sender_party_id, sender_person_id, subject, body, in_reply_to,
                 position, date, date_sort, date_lo, date_hi, date_rank,
                 deadline, deadline_sort, deadline_lo, deadline_hi, deadline_rank)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
            params![
                id,
                v.case_id,
                v.channel,
                v.sender,
                v.sender_person,
                v.subject,
                v.body,
                v.in_reply_to,
                position,
                date,
                sort,
                lo,
                hi,
                rank,
                dl,
                dl_sort,
                dl_lo,
                dl_hi,
                dl_rank
            ],
        )?;
    } else {
        tx.execute(
            "UPDATE letter SET case_id = ?2, channel = ?3, sender_party_id = ?4, sender_person_id = ?5, subject = ?6,
                 body = ?7, in_reply_to = ?8, position = ?9, date = ?10, date_sort = ?11, date_lo = ?12,
                 date_hi = ?13, date_rank = ?14, deadline = ?15, deadline_sort = ?16, deadline_lo = ?17,
                 deadline_hi = ?18, deadline_rank = ?19
             WHERE id = ?1",
            params![
                id,
                v.case_id,
                v.channel,
                v.sender,
                v.sender_person,
                v.subject,
                v.body,
                v.in_reply_to,
                position,
                date,
                sort,
                lo,
                hi,
                rank,
                dl,
                dl_sort,
                dl_lo,
                dl_hi,
                dl_rank
            ],
        )?;
        store::touch(tx, id)?;
    }
    tx.execute("UPDATE letter SET message_id = ?2 WHERE id = ?1", params![id, v.message_id])?;
    tx.execute("DELETE FROM letter_recipient WHERE letter_id = ?1", [id])?;
    for (p, kind) in &v.recipients {
        tx.execute(
            "INSERT INTO letter_recipient (letter_id, party_id, kind) VALUES (?1, ?2, ?3)",
            params![id, p, kind],
        )?;
    }
    attribution::write_tags(tx, id, &v.tags)
}

pub fn create(store: &mut Store, input: &LetterInput) -> Result<Letter> {
    let v = validate(store.conn(), input, None)?;
    let id = store::new_id();
    store.write("create letter", Some(&id), input, |tx| write(tx, &id, &v, input.position, true))?;
    get(store.conn(), &id)
}

pub fn update(store: &mut Store, id: &str, input: &LetterInput) -> Result<Letter> {
    let id = get(store.conn(), id)?.id;
    let v = validate(store.conn(), input, Some(&id))?;
    store::same_case(store.conn(), "letter", "letter", &id, &v.case_id)?;
    store.write("update letter", Some(&id), input, |tx| write(tx, &id, &v, input.position, false))?;
    get(store.conn(), &id)
}

pub fn delete(store: &mut Store, id: &str) -> Result<()> {
    let letter = get(store.conn(), id)?;
    let label = format!("letter '{}'", letter.subject);
    store.write("delete letter", Some(&letter.id), &letter.subject, |tx| {
        store::delete_row(tx, "letter", "letter", &letter.id, &label)
    })
}

pub fn get(conn: &Connection, id: &str) -> Result<Letter> {
    type Row = (
        String,
        String,
        String,
        String,
        Option<String>,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        i64,
        Option<String>,
    );
    let row: Result<Row, _> = conn.query_row(
        "SELECT id, case_id, channel, sender_party_id, sender_person_id, subject, body, date, deadline, in_reply_to, position,
                message_id
           FROM letter WHERE id = ?1",
        [id.trim()],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?, r.get(10)?, r.get(11)?)),
    );
    let (id, case_id, channel, sender, sender_person, subject, body, date, deadline, in_reply_to, position, message_id) =
        match row {
            Err(rusqlite::Error::QueryReturnedNoRows) => return Err(Error::not_found("letter", id)),
            other => other?,
        };
    let recipients = |kind: &str| {
        party_refs(
            conn,
            &format!(
                "SELECT p.id, p.name FROM letter_recipient r JOIN party p ON p.id = r.party_id
                  WHERE r.letter_id = ?1 AND r.kind = '{kind}' ORDER BY p.name"
            ),
            &id,
        )
    };
    let replies = conn
        .prepare_cached("SELECT id FROM letter WHERE in_reply_to = ?1 ORDER BY date_sort, date_rank, position, id")?
        .query_map([&id], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    let (created_at, updated_at) = store::stamps(conn, &id)?;
    Ok(Letter {
        sender: PartyRef { name: party::name_of(conn, &sender)?, id: sender },
        sender_person: match sender_person {
            Some(p) => Some(PartyRef { name: party::name_of(conn, &p)?, id: p }),
            None => None,
        },
        to: recipients("to")?,
        cc: recipients("cc")?,
        tags: attribution::tags(conn, &id)?,
        replies,
        id,
        case_id,
        channel,
        subject,
        body,
        date,
        deadline,
        in_reply_to,
        position,
        message_id,
        created_at,
        updated_at,
    })
}

/// The correspondence of a case in date order.
pub fn list(conn: &Connection, case: &str) -> Result<Vec<Letter>> {
    let case_id = case::resolve(conn, case)?;
    let ids = conn
        .prepare("SELECT id FROM letter WHERE case_id = ?1 ORDER BY date_sort, date_rank, position, id")?
        .query_map([&case_id], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    ids.iter().map(|id| get(conn, id)).collect()
}

impl Letter {
    pub fn to_input(&self) -> LetterInput {
        LetterInput {
            case: self.case_id.clone(),
            channel: self.channel.clone(),
            sender: self.sender.id.clone(),
            sender_person: self.sender_person.as_ref().map(|p| p.id.clone()).unwrap_or_default(),
            to: self.to.iter().map(|p| p.id.clone()).collect(),
            cc: self.cc.iter().map(|p| p.id.clone()).collect(),
            subject: self.subject.clone(),
            body: self.body.clone(),
            date: self.date.clone(),
            deadline: self.deadline.clone().unwrap_or_default(),
            in_reply_to: self.in_reply_to.clone().unwrap_or_default(),
            tags: self.tags.clone(),
            position: self.position,
            message_id: self.message_id.clone().unwrap_or_default(),
        }
    }
}

/// A response deadline set by a letter, and whether it is still open.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Deadline {
    pub letter_id: String,
    pub subject: String,
    pub sender: String,
    pub deadline: String,
    pub deadline_en: String,
    pub deadline_fr: String,
    /// A later letter answers it.
    pub answered: bool,
    /// Unanswered and the whole deadline window has passed.
    pub overdue: bool,
}

/// The response deadlines of a case, soonest first.
pub fn deadlines(conn: &Connection, case_id: &str) -> Result<Vec<Deadline>> {
    let now = chrono::Utc::now().timestamp();
    let mut stmt = conn.prepare_cached(
        "SELECT l.id, l.subject, p.name, l.deadline, l.deadline_hi,
                EXISTS (SELECT 1 FROM letter r WHERE r.in_reply_to = l.id)
           FROM letter l JOIN party p ON p.id = l.sender_party_id
          WHERE l.case_id = ?1 AND l.deadline IS NOT NULL
          ORDER BY l.deadline_sort, l.deadline_rank, l.id",
    )?;
    let rows = stmt
        .query_map([case_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<i64>>(4)?,
                r.get::<_, bool>(5)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(letter_id, subject, sender, deadline, hi, answered)| {
            let d = input::date("deadline", &deadline)?;
            Ok(Deadline {
                letter_id,
                subject,
                sender,
                deadline_en: d.display(crate::date::Lang::En),
                deadline_fr: d.display(crate::date::Lang::Fr),
                deadline,
                overdue: !answered && hi.is_some_and(|hi| hi <= now),
                answered,
            })
        })
        .collect()
}

/// A letter placed in its thread: replies follow what they answer, one level deeper.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ThreadItem {
    pub depth: u32,
    pub letter: Letter,
}

/// The correspondence of a case as threads: each thread's first letter in date order, its replies
/// (in date order) right under it.
pub fn threads(conn: &Connection, case: &str) -> Result<Vec<ThreadItem>> {
    let letters = list(conn, case)?;
    let ids: std::collections::HashSet<&str> = letters.iter().map(|l| l.id.as_str()).collect();
    let mut out = Vec::with_capacity(letters.len());
    fn place(letter: &Letter, depth: u32, all: &[Letter], out: &mut Vec<ThreadItem>) {
        out.push(ThreadItem { depth, letter: letter.clone() });
        for reply in all.iter().filter(|l| l.in_reply_to.as_deref() == Some(letter.id.as_str())) {
            place(reply, depth + 1, all, out);
        }
    }
    for root in letters.iter().filter(|l| l.in_reply_to.as_deref().is_none_or(|p| !ids.contains(p))) {
        place(root, 0, &letters, &mut out);
    }
    Ok(out)
}
