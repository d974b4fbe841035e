//! Letters and every other piece of correspondence (e-mails, press statements, posts, court filings,
//! calls): who sent it to whom, through which channel, what it answers and by when it must be answered.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::date::deadline::Rule;
use crate::date::{FuzzyDate, Lang};
use crate::error::{Error, Result};
use crate::input;
use crate::record::attribution;
use crate::record::privacy;
use crate::record::{case, party, party_ref, PartyRef};
use crate::store::columns::date_cols;
use crate::store::registry::{self, Stamps};
use crate::store::{Reader, Store, Writer};
use crate::vocabulary::{Channel, Recipient, RecordKind, Spelling};

mod due;
mod thread;

pub(crate) use due::typed as typed_deadline;
pub use due::{counted_from, deadlines, rule_words, upcoming, upcoming_now, CountedFrom, Deadline, Upcoming};
pub(crate) use due::{event_date, recount_from_event};
pub use thread::{thread_order, threads, threads_page, ThreadItem};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
    /// When an answer is due; empty for none (or when `deadline_rule` counts it).
    #[serde(default)]
    pub deadline: String,
    /// When the letter was received, if not on its date: a deadline rule counts from it. Empty for none.
    #[serde(default)]
    pub received: String,
    /// A deadline counted by rule instead of typed: a period (`15d`, `10bd`, `2w`, `1m`) from receipt,
    /// or from the letter's date, in `calendar`. The deadline is then computed, and recomputed whenever
    /// the letter changes. Empty for none.
    #[serde(default)]
    pub deadline_rule: String,
    /// The courts' calendar the rule counts in: `fr`, `ew` or `us`.
    #[serde(default)]
    pub calendar: String,
    /// Id of an event of the case the rule counts from (a hearing), instead of receipt or the letter's
    /// date: the deadline then follows the event's date. Empty for none.
    #[serde(default)]
    pub deadline_event: String,
    /// The rule counts back from its event (a brief due 10 days before the hearing).
    #[serde(default)]
    pub deadline_before: bool,
    /// Served by mail: the US federal calendar's three more days (FRCP 6(d)).
    #[serde(default)]
    pub deadline_mail: bool,
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
    /// For an e-mail: its From, To and Cc addresses as written, whichever parties they were filed under.
    #[serde(default)]
    pub addresses: Vec<Address>,
}

/// One address of an e-mail as its From, To or Cc header wrote it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Address {
    /// `from`, `to` or `cc`.
    pub field: String,
    /// The display name, as written (empty when there was none).
    #[serde(default)]
    pub name: String,
    /// The address itself (empty when the header had only a name).
    #[serde(default)]
    pub address: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Letter {
    pub id: String,
    pub case_id: String,
    pub channel: Channel,
    pub sender: PartyRef,
    pub sender_person: Option<PartyRef>,
    pub to: Vec<PartyRef>,
    pub cc: Vec<PartyRef>,
    pub subject: String,
    pub body: String,
    pub date: String,
    pub deadline: Option<String>,
    pub received: Option<String>,
    /// The period the deadline is counted by (`15d`), when it is counted rather than typed.
    pub deadline_rule: Option<String>,
    /// The calendar of `deadline_rule`: `fr`, `ew` or `us`.
    pub calendar: Option<String>,
    /// Id of the event the rule counts from, if not from receipt.
    pub deadline_event: Option<String>,
    /// Counted back from the event.
    pub deadline_before: bool,
    /// With the three days for service by mail (US federal courts).
    pub deadline_mail: bool,
    /// The rule in words ("15 days from receipt, France").
    pub rule_en: Option<String>,
    pub rule_fr: Option<String>,
    pub in_reply_to: Option<String>,
    /// Ids of the letters that answer this one.
    pub replies: Vec<String>,
    pub tags: Vec<String>,
    pub position: i64,
    pub message_id: Option<String>,
    pub addresses: Vec<Address>,
    /// Kept out of what is published ([`crate::record::privacy`]).
    pub private: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// A letter's own values, checked.
pub(crate) struct Fields {
    channel: Channel,
    subject: String,
    body: String,
    date: FuzzyDate,
    deadline: Option<FuzzyDate>,
    received: Option<FuzzyDate>,
    rule: Option<Rule>,
    deadline_event: Option<String>,
    tags: Vec<String>,
    message_id: Option<String>,
    position: i64,
    addresses: Vec<Address>,
}

impl Fields {
    /// Checks a letter's values. `event` is the date of the event its rule counts from, when it names
    /// one (see [`due::deadline`] for `None`).
    pub(crate) fn check(input: &LetterInput, spelling: Spelling, event: Option<&FuzzyDate>) -> Result<Fields> {
        let channel = input::one_of_or("channel", &input.channel, spelling, Channel::Letter)?;
        let date = input::date("date", &input.date)?;
        let received = input::opt_date("received", &input.received)?;
        if let (Some(r), Some(lo)) = (&received, date.lower()) {
            if r.upper().is_some_and(|hi| hi <= lo) {
                return Err(Error::rule(
                    "received",
                    "received_before_date",
                    r.to_string(),
                    format!("'{r}' is before the letter's date '{date}'"),
                ));
            }
        }
        let rule = due::rule(input)?;
        let deadline_event = Some(input.deadline_event.trim().to_string()).filter(|e| !e.is_empty());
        let trigger = if deadline_event.is_some() { event } else { Some(received.as_ref().unwrap_or(&date)) };
        let deadline = due::deadline(input, rule.as_ref(), trigger)?;
        if let (Some(d), Some(lo)) = (&deadline, date.lower()) {
            if d.upper().is_some_and(|hi| hi <= lo) {
                return Err(Error::rule(
                    "deadline",
                    "deadline_before_date",
                    d.to_string(),
                    format!("'{d}' is before the letter's date '{date}'"),
                ));
            }
        }
        Ok(Fields {
            channel,
            subject: input::required("subject", &input.subject)?,
            body: input::text("body", &input.body)?,
            date,
            deadline,
            received,
            rule,
            deadline_event,
            tags: attribution::validate_tags(&input.tags)?,
            message_id: Some(input::line("message_id", &input.message_id)?).filter(|m| !m.is_empty()),
            position: input.position,
            addresses: input
                .addresses
                .iter()
                .map(|a| {
                    if !matches!(a.field.as_str(), "from" | "to" | "cc") {
                        return Err(Error::rule(
                            "addresses",
                            "not_one_of",
                            input::shorten(&a.field),
                            format!("'{}' is not one of: from, to, cc", input::shorten(&a.field)),
                        ));
                    }
                    Ok(Address {
                        field: a.field.clone(),
                        name: input::line("addresses", &a.name)?,
                        address: input::line("addresses", &a.address)?,
                    })
                })
                .collect::<Result<Vec<_>>>()?,
        })
    }
}

pub(crate) struct Valid {
    pub(crate) case_id: String,
    pub(crate) sender: String,
    pub(crate) sender_person: Option<String>,
    /// Each recipient once, "to" before "cc".
    pub(crate) recipients: Vec<(String, Recipient)>,
    pub(crate) in_reply_to: Option<String>,
    pub(crate) fields: Fields,
}

/// The recipients as (party id, to or cc), each party once: `to` wins over `cc`.
pub(crate) fn recipients(to: Vec<String>, cc: Vec<String>) -> Vec<(String, Recipient)> {
    let mut out: Vec<(String, Recipient)> = Vec::new();
    for (ids, kind) in [(to, Recipient::To), (cc, Recipient::Cc)] {
        for id in ids {
            if !out.iter().any(|(r, _)| *r == id) {
                out.push((id, kind));
            }
        }
    }
    out
}

fn validate(db: &Reader, input: &LetterInput, own_id: Option<&str>) -> Result<Valid> {
    let case_id = case::resolve(db, &input.case)?;
    let sender = party::resolve(db, &input.sender).map_err(|e| match e {
        Error::Invalid { reason, .. } if input.sender.trim().is_empty() => Error::invalid("sender", reason),
        other => other,
    })?;
    let sender_person = match input.sender_person.trim() {
        "" => None,
        key => Some(party::resolve(db, key)?),
    };
    let to = input.to.iter().map(|k| party::resolve(db, k)).collect::<Result<Vec<_>>>()?;
    let cc = input.cc.iter().map(|k| party::resolve(db, k)).collect::<Result<Vec<_>>>()?;
    let event = due::event_date(db, &input.deadline_event, &case_id)?;
    let fields = Fields::check(input, Spelling::Lenient, event.as_ref())?;
    let in_reply_to = match input.in_reply_to.trim() {
        "" => None,
        key => Some(check_reply(db, key, &case_id, own_id)?),
    };
    Ok(Valid { case_id, sender, sender_person, recipients: recipients(to, cc), in_reply_to, fields })
}

/// Checks that the letter `parent` can be the one a letter of `case_id` answers.
fn check_reply(db: &Reader, parent: &str, case_id: &str, own_id: Option<&str>) -> Result<String> {
    let parent_case: Option<String> =
        db.optional("SELECT case_id FROM letter WHERE id = ?1", [parent], |r| r.get(0))?;
    match parent_case {
        None => Err(Error::not_found("letter", parent)),
        Some(c) if c != case_id => Err(Error::rule(
            "in_reply_to",
            "other_case",
            parent.to_string(),
            format!("letter '{parent}' belongs to another case"),
        )),
        Some(_) if Some(parent) == own_id => {
            Err(Error::rule("in_reply_to", "answers_itself", None, "a letter cannot answer itself"))
        }
        Some(_) => {
            if let Some(own) = own_id {
                if replies_descend_from(db, parent, own)? {
                    return Err(Error::rule(
                        "in_reply_to",
                        "reply_loop",
                        parent.to_string(),
                        format!("letter '{parent}' is itself a reply to this one"),
                    ));
                }
            }
            Ok(parent.to_string())
        }
    }
}

/// Whether `letter` sits somewhere below `ancestor` in a reply thread (which would make a cycle).
fn replies_descend_from(db: &Reader, letter: &str, ancestor: &str) -> Result<bool> {
    db.exists(
        "WITH RECURSIVE up(id) AS (SELECT in_reply_to FROM letter WHERE id = ?1
             UNION SELECT l.in_reply_to FROM letter l JOIN up ON l.id = up.id WHERE l.in_reply_to IS NOT NULL)
         SELECT 1 FROM up WHERE id = ?2",
        params![letter, ancestor],
    )
}

/// Runs `sql` (an INSERT or an UPDATE whose `?1` … `?26` are the columns in the order below) with the
/// letter's row.
fn execute_row(w: &Writer<'_>, sql: &str, id: &str, v: &Valid) -> Result<()> {
    let f = &v.fields;
    let (date, sort, lo, hi, rank) = date_cols(Some(&f.date));
    let (dl, dl_sort, dl_lo, dl_hi, dl_rank) = date_cols(f.deadline.as_ref());
    let received = f.received.as_ref().map(FuzzyDate::canonical);
    let (period, calendar) = f.rule.map(|r| (r.period.to_string(), r.calendar.code())).unzip();
    let (before, mail) = f.rule.map_or((false, false), |r| (r.before, r.mail));
    w.execute(
        sql,
        params![
            id,
            v.case_id,
            f.channel,
            v.sender,
            v.sender_person,
            f.subject,
            f.body,
            v.in_reply_to,
            f.position,
            date,
            sort,
            lo,
            hi,
            rank,
            dl,
            dl_sort,
            dl_lo,
            dl_hi,
            dl_rank,
            f.message_id,
            received,
            period,
            calendar,
            f.deadline_event,
            before,
            mail
        ],
    )?;
    Ok(())
}

/// Writes a new letter with its recipients and tags.
pub(crate) fn insert_row(w: &Writer<'_>, id: &str, v: &Valid, stamps: &Stamps) -> Result<()> {
    registry::register(w, RecordKind::Letter, id, stamps)?;
    execute_row(
        w,
        "INSERT INTO letter (id, case_id, channel, sender_party_id, sender_person_id, subject, body, in_reply_to,
             position, date, date_sort, date_lo, date_hi, date_rank,
             deadline, deadline_sort, deadline_lo, deadline_hi, deadline_rank, message_id,
             received, deadline_rule, deadline_calendar, deadline_event, deadline_before, deadline_mail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
                 ?21, ?22, ?23, ?24, ?25, ?26)",
        id,
        v,
    )?;
    write_children(w, id, v)
}

fn update_row(w: &Writer<'_>, id: &str, v: &Valid) -> Result<()> {
    execute_row(
        w,
        "UPDATE letter SET case_id = ?2, channel = ?3, sender_party_id = ?4, sender_person_id = ?5, subject = ?6,
             body = ?7, in_reply_to = ?8, position = ?9, date = ?10, date_sort = ?11, date_lo = ?12,
             date_hi = ?13, date_rank = ?14, deadline = ?15, deadline_sort = ?16, deadline_lo = ?17,
             deadline_hi = ?18, deadline_rank = ?19, message_id = ?20, received = ?21, deadline_rule = ?22,
             deadline_calendar = ?23, deadline_event = ?24, deadline_before = ?25, deadline_mail = ?26
         WHERE id = ?1",
        id,
        v,
    )?;
    write_children(w, id, v)?;
    registry::touch(w, id)
}

fn write_children(w: &Writer<'_>, id: &str, v: &Valid) -> Result<()> {
    let f = &v.fields;
    w.execute("DELETE FROM letter_recipient WHERE letter_id = ?1", [id])?;
    for (p, kind) in &v.recipients {
        w.execute(
            "INSERT INTO letter_recipient (letter_id, party_id, kind) VALUES (?1, ?2, ?3)",
            params![id, p, kind],
        )?;
    }
    w.execute("DELETE FROM letter_address WHERE letter_id = ?1", [id])?;
    for (position, a) in f.addresses.iter().enumerate() {
        w.execute(
            "INSERT INTO letter_address (letter_id, field, position, display_name, address) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, a.field, position as i64, a.name, a.address],
        )?;
    }
    attribution::write_tags(w, id, &f.tags)
}

/// Creates a letter inside a write under way (an import's), checked as [`create`] checks it; returns
/// its id.
pub(crate) fn create_in(w: &Writer<'_>, input: &LetterInput) -> Result<String> {
    let v = validate(w, input, None)?;
    let id = registry::new_id();
    insert_row(w, &id, &v, &Stamps::now())?;
    Ok(id)
}

pub fn create(store: &mut Store, input: &LetterInput) -> Result<Letter> {
    let v = validate(store.reader(), input, None)?;
    let id = registry::new_id();
    store.write("create letter", Some(&id), input, |w| insert_row(w, &id, &v, &Stamps::now()))?;
    get(store.reader(), &id)
}

pub fn update(store: &mut Store, id: &str, input: &LetterInput) -> Result<Letter> {
    let id = get(store.reader(), id)?.id;
    let v = validate(store.reader(), input, Some(&id))?;
    registry::same_case(store.reader(), RecordKind::Letter, &id, &v.case_id)?;
    store.write("update letter", Some(&id), input, |w| update_row(w, &id, &v))?;
    get(store.reader(), &id)
}

pub fn delete(store: &mut Store, id: &str) -> Result<()> {
    let letter = get(store.reader(), id)?;
    let label = format!("letter '{}'", letter.subject);
    store.write("delete letter", Some(&letter.id), &letter.subject, |w| {
        registry::delete_row(w, RecordKind::Letter, &letter.id, &label)
    })
}

/// The letter of the case that carries this e-mail Message-ID (stored with or without angle brackets).
pub(crate) fn with_message_id(db: &Reader, case_id: &str, message_id: &str) -> Result<Option<String>> {
    db.optional(
        "SELECT id FROM letter WHERE case_id = ?1 AND (message_id = ?2 OR message_id = '<' || ?2 || '>') LIMIT 1",
        [case_id, message_id],
        |r| r.get(0),
    )
}

/// A letter's own row, as [`get`] reads it before what other tables hold of it.
struct Own {
    id: String,
    case_id: String,
    channel: Channel,
    sender: String,
    sender_person: Option<String>,
    subject: String,
    body: String,
    date: String,
    deadline: Option<String>,
    in_reply_to: Option<String>,
    position: i64,
    message_id: Option<String>,
    received: Option<String>,
    deadline_event: Option<String>,
    counted: due::Counted,
}

/// The letter `id`, with its parties' names, recipients, replies, tags and addresses.
pub fn get(db: &Reader, id: &str) -> Result<Letter> {
    let sql = format!(
        "SELECT l.id, l.case_id, l.channel, l.sender_party_id, l.sender_person_id, l.subject, l.body, l.date,
                l.deadline, l.in_reply_to, l.position, l.message_id, l.received, l.deadline_event, {}
           FROM letter l WHERE l.id = ?1",
        due::COUNTED
    );
    let Own {
        id,
        case_id,
        channel,
        sender,
        sender_person,
        subject,
        body,
        date,
        deadline,
        in_reply_to,
        position,
        message_id,
        received,
        deadline_event,
        counted,
    } = db
        .optional(&sql, [id.trim()], |r| {
            Ok(Own {
                id: r.get(0)?,
                case_id: r.get(1)?,
                channel: r.get(2)?,
                sender: r.get(3)?,
                sender_person: r.get(4)?,
                subject: r.get(5)?,
                body: r.get(6)?,
                date: r.get(7)?,
                deadline: r.get(8)?,
                in_reply_to: r.get(9)?,
                position: r.get(10)?,
                message_id: r.get(11)?,
                received: r.get(12)?,
                deadline_event: r.get(13)?,
                counted: due::Counted::read(r, 14)?,
            })
        })?
        .ok_or_else(|| Error::not_found("letter", id))?;
    let recipients = |kind: Recipient| {
        db.all(
            "SELECT p.id, p.name FROM letter_recipient r JOIN party p ON p.id = r.party_id
              WHERE r.letter_id = ?1 AND r.kind = ?2 ORDER BY p.name",
            params![id, kind],
            |r| Ok(PartyRef { id: r.get(0)?, name: r.get(1)? }),
        )
    };
    let replies =
        db.strings("SELECT id FROM letter WHERE in_reply_to = ?1 ORDER BY date_sort, date_rank, position, id", [&id])?;
    let Stamps { created_at, updated_at } = registry::stamps(db, &id)?;
    let private = privacy::is_private(db, &id)?;
    let (rule_en, rule_fr) = (counted.words(Lang::En), counted.words(Lang::Fr));
    let addresses = db.all(
        "SELECT field, display_name, address FROM letter_address WHERE letter_id = ?1 ORDER BY position",
        [&id],
        |r| Ok(Address { field: r.get(0)?, name: r.get(1)?, address: r.get(2)? }),
    )?;
    Ok(Letter {
        addresses,
        sender: party_ref(db, sender)?,
        sender_person: sender_person.map(|p| party_ref(db, p)).transpose()?,
        to: recipients(Recipient::To)?,
        cc: recipients(Recipient::Cc)?,
        tags: attribution::tags(db, &id)?,
        replies,
        id,
        case_id,
        channel,
        subject,
        body,
        date,
        deadline,
        received,
        deadline_before: counted.before,
        deadline_mail: counted.mail,
        deadline_rule: counted.period,
        calendar: counted.calendar,
        deadline_event,
        rule_en,
        rule_fr,
        in_reply_to,
        position,
        message_id,
        private,
        created_at,
        updated_at,
    })
}

/// The correspondence of a case in date order.
pub fn list(db: &Reader, case: &str) -> Result<Vec<Letter>> {
    let case_id = case::resolve(db, case)?;
    crate::record::list_by(db, LIST, &case_id, get)
}

/// The letters of a case in date order.
const LIST: &str = "SELECT id FROM letter WHERE case_id = ?1 ORDER BY date_sort, date_rank, position, id";

impl Letter {
    pub fn to_input(&self) -> LetterInput {
        LetterInput {
            case: self.case_id.clone(),
            channel: self.channel.to_string(),
            sender: self.sender.id.clone(),
            sender_person: self.sender_person.as_ref().map(|p| p.id.clone()).unwrap_or_default(),
            to: self.to.iter().map(|p| p.id.clone()).collect(),
            cc: self.cc.iter().map(|p| p.id.clone()).collect(),
            subject: self.subject.clone(),
            body: self.body.clone(),
            date: self.date.clone(),
            deadline: due::typed(self.deadline.as_deref(), self.deadline_rule.as_deref()),
            received: self.received.clone().unwrap_or_default(),
            deadline_rule: self.deadline_rule.clone().unwrap_or_default(),
            calendar: self.calendar.clone().unwrap_or_default(),
            deadline_event: self.deadline_event.clone().unwrap_or_default(),
            deadline_before: self.deadline_before,
            deadline_mail: self.deadline_mail,
            in_reply_to: self.in_reply_to.clone().unwrap_or_default(),
            tags: self.tags.clone(),
            position: self.position,
            message_id: self.message_id.clone().unwrap_or_default(),
            addresses: self.addresses.clone(),
        }
    }
}
