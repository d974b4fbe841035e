//! Links from evidence to the records it supports, each with a pinpoint ("p. 2", "§ 4") and a note,
//! and, when a passage was selected in the document, the quote: its page, the exact words and a little
//! of the text before and after them (a text-quote selector, as the W3C's Web Annotation model has
//! it), enough to find the passage again in the page's text and to show it in reports.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::input;
use crate::record::evidence::verbatim::{Document, QuoteCheck};
use crate::record::evidence::{get, Evidence};
use crate::store::registry;
use crate::store::{Reader, Store, Writer};
use crate::vocabulary::RecordKind;

/// Longest quote kept, in characters; and longest text kept on each side of it.
pub const MAX_QUOTE: usize = 2_000;
pub const MAX_CONTEXT: usize = 200;
/// Words of a quote that make the pinpoint of a link given none ("p. 2, “the licensee breached…”").
const PINPOINT_WORDS: usize = 6;
/// Most characters of a quote's words in a pinpoint made from them.
const PINPOINT_CHARS: usize = 60;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LinkInput {
    pub evidence: String,
    pub record: String,
    #[serde(default)]
    pub pinpoint: String,
    #[serde(default)]
    pub note: String,
    /// The passage cited, when it was selected in the document.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub quote: Option<QuoteInput>,
}

/// A passage selected in a document: its page (1 is the first), the exact words, and the text just
/// before and after them.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct QuoteInput {
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub page: Option<i64>,
    pub exact: String,
    #[serde(default)]
    pub prefix: String,
    #[serde(default)]
    pub suffix: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Quote {
    pub page: Option<i64>,
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
    /// Whether the words were found in the document's text, as it stands now: a quote whose document
    /// has no known text is shown as "not checked against the document".
    pub check: QuoteCheck,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Link {
    pub evidence_id: String,
    pub record_id: String,
    pub record_kind: RecordKind,
    pub record_title: String,
    pub pinpoint: String,
    pub note: String,
    pub quote: Option<Quote>,
}

/// A link's values, checked.
pub(crate) struct LinkFields {
    pinpoint: String,
    note: String,
    quote: Option<Quote>,
}

impl LinkFields {
    pub(crate) fn check(input: &LinkInput) -> Result<LinkFields> {
        let quote = input.quote.as_ref().map(check_quote).transpose()?;
        let mut pinpoint = input::line("pinpoint", &input.pinpoint)?;
        if let (true, Some(q)) = (pinpoint.is_empty(), &quote) {
            pinpoint = quote_pinpoint(q);
        }
        Ok(LinkFields { pinpoint, note: input::text("note", &input.note)?, quote })
    }
}

/// Text as one line with single spaces (a selection across lines of a PDF comes with line breaks).
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn check_quote(q: &QuoteInput) -> Result<Quote> {
    let exact = one_line(&input::without_controls(&q.exact));
    if exact.is_empty() {
        return Err(Error::required("quote"));
    }
    if exact.chars().count() > MAX_QUOTE {
        return Err(Error::rule(
            "quote",
            "too_long",
            MAX_QUOTE.to_string(),
            format!("is longer than {MAX_QUOTE} characters: cite a shorter passage"),
        ));
    }
    if let Some(page) = q.page.filter(|&p| p < 1) {
        return Err(Error::rule("page", "no_such_page", page.to_string(), format!("page {page} does not exist")));
    }
    // The context is only there to find the passage again: what is beyond the limit is dropped.
    let context = |text: &str, from_end: bool| {
        let text = one_line(&input::without_controls(text));
        let chars: Vec<char> = text.chars().collect();
        let kept = if from_end {
            &chars[chars.len().saturating_sub(MAX_CONTEXT)..]
        } else {
            &chars[..chars.len().min(MAX_CONTEXT)]
        };
        kept.iter().collect::<String>()
    };
    Ok(Quote {
        page: q.page,
        exact,
        prefix: context(&q.prefix, true),
        suffix: context(&q.suffix, false),
        // Known once the link is validated against its document ([`link`]).
        check: QuoteCheck::Unchecked,
    })
}

/// The pinpoint of a quote given none: its page and first words, which also tells two quotes of one
/// page apart.
fn quote_pinpoint(q: &Quote) -> String {
    let words: Vec<&str> = q.exact.split(' ').collect();
    let mut start = words.iter().take(PINPOINT_WORDS).copied().collect::<Vec<_>>().join(" ");
    // Text without spaces (Chinese, a URL) is cut too: a pinpoint is a short line.
    if start.chars().count() > PINPOINT_CHARS {
        start = start.chars().take(PINPOINT_CHARS).collect();
    }
    if start.len() < q.exact.len() {
        start.push('…');
    }
    match q.page {
        Some(page) => format!("p. {page}, “{start}”"),
        None => format!("“{start}”"),
    }
}

/// Links evidence to a record at a pinpoint (the note of an existing link is replaced, and its quote
/// when one is given).
pub(crate) fn insert_link(w: &Writer<'_>, evidence_id: &str, record_id: &str, l: &LinkFields) -> Result<()> {
    w.execute(
        "INSERT INTO evidence_link (evidence_id, record_id, pinpoint, note) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (evidence_id, record_id, pinpoint) DO UPDATE SET note = excluded.note",
        params![evidence_id, record_id, l.pinpoint, l.note],
    )?;
    // A link given again without a quote (its note changed) keeps the quote it had.
    if let Some(q) = &l.quote {
        w.execute(
            "DELETE FROM link_quote WHERE evidence_id = ?1 AND record_id = ?2 AND pinpoint = ?3",
            params![evidence_id, record_id, l.pinpoint],
        )?;
        w.execute(
            "INSERT INTO link_quote (evidence_id, record_id, pinpoint, page, exact, prefix, suffix)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![evidence_id, record_id, l.pinpoint, q.page, q.exact, q.prefix, q.suffix],
        )?;
    }
    Ok(())
}

/// Whether the evidence is already linked to the record at this pinpoint.
pub(crate) fn is_linked(db: &Reader, evidence_id: &str, record_id: &str, pinpoint: &str) -> Result<bool> {
    db.exists(
        "SELECT 1 FROM evidence_link WHERE evidence_id = ?1 AND record_id = ?2 AND pinpoint = ?3",
        params![evidence_id, record_id, pinpoint],
    )
}

/// The quote of the link at this pinpoint, if the link exists and cites one.
fn quote_at(db: &Reader, evidence_id: &str, record_id: &str, pinpoint: &str) -> Result<Option<Quote>> {
    db.optional(
        "SELECT page, exact, prefix, suffix FROM link_quote WHERE evidence_id = ?1 AND record_id = ?2 AND pinpoint = ?3",
        params![evidence_id, record_id, pinpoint],
        |r| {
            // Only its words and page are compared by the caller; how it stands is not needed here.
            Ok(Quote { page: r.get(0)?, exact: r.get(1)?, prefix: r.get(2)?, suffix: r.get(3)?, check: QuoteCheck::Unchecked })
        },
    )
}

/// The links of one piece of evidence, by record and pinpoint, each quote checked against the text of
/// the evidence's file (`sha256`; `None` for a URL or a publication).
pub(super) fn of_evidence(db: &Reader, evidence_id: &str, sha256: Option<&str>) -> Result<Vec<Link>> {
    type Row = (String, String, String, Option<Quote>);
    let rows: Vec<Row> = db.all(
        "SELECT l.record_id, l.pinpoint, l.note, q.page, q.exact, q.prefix, q.suffix
           FROM evidence_link l
           LEFT JOIN link_quote q USING (evidence_id, record_id, pinpoint)
          WHERE l.evidence_id = ?1 ORDER BY l.record_id, l.pinpoint",
        [evidence_id],
        |r| {
            let quote = match r.get::<_, Option<String>>(4)? {
                Some(exact) => Some(Quote {
                    page: r.get(3)?,
                    exact,
                    prefix: r.get(5)?,
                    suffix: r.get(6)?,
                    check: QuoteCheck::Unchecked,
                }),
                None => None,
            };
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, quote))
        },
    )?;
    let mut document = Document::new(db, sha256);
    rows.into_iter()
        .map(|(record_id, pinpoint, note, mut quote)| {
            let (record_kind, record_title) = registry::title_of(db, &record_id)?;
            if let Some(q) = &mut quote {
                q.check = document.check(q.page, &q.exact)?;
            }
            Ok(Link {
                evidence_id: evidence_id.to_string(),
                record_id,
                record_kind,
                record_title,
                pinpoint,
                note,
                quote,
            })
        })
        .collect()
}

/// A link to make, checked: its evidence, the record it goes to (trimmed) and its values.
struct Checked {
    evidence: Evidence,
    record: String,
    fields: LinkFields,
}

/// Checks a link: the record exists and is not another case's, a quote is on its page, and a quote
/// given without a pinpoint gets one that no other passage of the record has.
fn validate(db: &Reader, input: &LinkInput) -> Result<Checked> {
    let evidence = get(db, &input.evidence)?;
    let record = input.record.trim();
    let kind = registry::kind_of(db, record)?.ok_or_else(|| Error::not_found("record", record))?;
    if let Some(case_of) = registry::case_of(db, kind, record)? {
        if case_of != evidence.case_id {
            return Err(Error::rule(
                "record",
                "other_case",
                record.to_string(),
                format!("'{record}' belongs to another case than the evidence"),
            ));
        }
    }
    let mut l = LinkFields::check(input)?;
    // Two passages of one page starting with the same words get pinpoints of their own.
    if input.pinpoint.trim().is_empty() {
        if let Some(q) = &l.quote {
            let base = l.pinpoint.clone();
            let mut n = 1;
            while let Some(other) = quote_at(db, &evidence.id, record, &l.pinpoint)? {
                if other.exact == q.exact && other.page == q.page {
                    break;
                }
                n += 1;
                l.pinpoint = format!("{base} ({n})");
            }
        }
    }
    if let (Some(page), Some(pages)) = (l.quote.as_ref().and_then(|q| q.page), evidence.text.as_ref().map(|t| t.pages))
    {
        if pages > 0 && page > pages {
            return Err(Error::rule(
                "page",
                "no_such_page",
                page.to_string(),
                format!("page {page} is not among the {pages} pages of '{}'", evidence.title),
            ));
        }
    }
    if let Some(q) = &mut l.quote {
        q.check = verbatim(db, &evidence, q)?;
    }
    Ok(Checked { evidence, record: record.to_string(), fields: l })
}

/// Writes a checked link, which changes the record it goes to.
fn write(w: &Writer<'_>, c: &Checked) -> Result<()> {
    insert_link(w, &c.evidence.id, &c.record, &c.fields)?;
    registry::touch(w, &c.record)
}

/// Links evidence to any record (including another case's parties, which are shared), with a pinpoint
/// and, for a passage selected in the document, its quote.
pub fn link(store: &mut Store, input: &LinkInput) -> Result<Link> {
    let c = validate(store.reader(), input)?;
    store.write("link evidence", Some(&c.record), input, |w| write(w, &c))?;
    let (record_kind, record_title) = registry::title_of(store.reader(), &c.record)?;
    Ok(Link {
        evidence_id: c.evidence.id,
        record_id: c.record,
        record_kind,
        record_title,
        pinpoint: c.fields.pinpoint,
        note: c.fields.note,
        quote: c.fields.quote,
    })
}

/// [`link`] inside a write under way, checked as it checks it.
pub(crate) fn link_in(w: &Writer<'_>, input: &LinkInput) -> Result<()> {
    write(w, &validate(w, input)?)
}

/// Refuses a quote whose words are not on its page when the page's text is known; otherwise says how
/// it stands, to be shown beside it.
fn verbatim(db: &Reader, evidence: &Evidence, q: &Quote) -> Result<QuoteCheck> {
    let check = Document::new(db, evidence.sha256.as_deref()).check(q.page, &q.exact)?;
    if check != QuoteCheck::NotFound {
        return Ok(check);
    }
    let (key, value, place) = match q.page {
        Some(page) => ("not_on_page", page.to_string(), format!("on page {page} of '{}'", evidence.title)),
        None => ("not_in_text", evidence.title.clone(), format!("in the text of '{}'", evidence.title)),
    };
    Err(Error::rule(
        "quote",
        key,
        value,
        format!(
            "'{}' is not {place}: quote the document's own words, or cite it without a quote",
            input::shorten(&q.exact)
        ),
    ))
}

pub fn unlink(store: &mut Store, evidence: &str, record: &str, pinpoint: &str) -> Result<()> {
    let evidence = get(store.reader(), evidence)?;
    let detail = LinkInput {
        evidence: evidence.id.clone(),
        record: record.to_string(),
        pinpoint: pinpoint.to_string(),
        ..Default::default()
    };
    store.write("unlink evidence", Some(record), &detail, |w| {
        let n = w.execute(
            "DELETE FROM evidence_link WHERE evidence_id = ?1 AND record_id = ?2 AND pinpoint = ?3",
            params![evidence.id, record.trim(), pinpoint.trim()],
        )?;
        if n == 0 {
            return Err(Error::not_found("evidence link", format!("{} → {record}", evidence.title)));
        }
        Ok(())
    })
}

/// The evidence linked to a record, with each link's pinpoint.
pub fn for_record(db: &Reader, record_id: &str) -> Result<Vec<(Evidence, Link)>> {
    let ids: Vec<(String, String)> = db.all(
        "SELECT evidence_id, pinpoint FROM evidence_link WHERE record_id = ?1 ORDER BY evidence_id, pinpoint",
        [record_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    ids.into_iter()
        .map(|(eid, pinpoint)| {
            let e = get(db, &eid)?;
            let link = e
                .links
                .iter()
                .find(|l| l.record_id == record_id && l.pinpoint == pinpoint)
                .cloned()
                .ok_or_else(|| Error::not_found("evidence link", &eid))?;
            Ok((e, link))
        })
        .collect()
}
