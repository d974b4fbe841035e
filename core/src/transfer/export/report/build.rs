//! What each section of the report shows, one function per section: the only code that decides it.
//! A section gives its pieces as it builds them, reading its records a page or a record at a time.

use super::*;
use crate::record::{allegation, event, letter, response};
use crate::transfer::export::words::*;
use crate::view::timeline;
use crate::vocabulary::{DeadlineState, EntryKind};

/// Where a section's pieces go.
pub(super) type Out<'f> = dyn FnMut(Piece) -> Result<()> + 'f;

/// How many rows of a long table are built at once.
const PAGE: usize = 500;

/// The front matter of the report of the case `r` read, in `lang`.
pub(super) fn front(r: &Basis, lang: Lang) -> Front {
    let l = labels(lang);
    let mut meta = vec![(l.status, r.case.status.word(lang).to_string())];
    if !r.case.tags.is_empty() {
        meta.push((l.tags, r.case.tags.join(", ")));
    }
    Front {
        lang,
        title: r.case.title.clone(),
        kind: l.report,
        meta,
        contents: l.contents,
        generated_on: l.generated_on,
        sections: r.sections.iter().map(|&id| (id, title(l, id))).collect(),
    }
}

fn title(l: &Labels, id: ReportSection) -> &'static str {
    match id {
        ReportSection::Summary => l.summary,
        ReportSection::Parties => l.parties,
        ReportSection::Chronology => l.chronology,
        ReportSection::Agreements => l.agreements,
        ReportSection::Allegations => l.allegations,
        ReportSection::Correspondence => l.correspondence,
        ReportSection::Evidence => l.evidence,
    }
}

/// Every section's pieces, in order.
pub(super) fn each(db: &Reader, r: &Basis, lang: Lang, out: &mut Out<'_>) -> Result<()> {
    let l = labels(lang);
    for &id in &r.sections {
        out(Piece::Section(id, title(l, id)))?;
        match id {
            ReportSection::Summary => summary(r, l, out)?,
            ReportSection::Parties => parties(r, l, lang, out)?,
            ReportSection::Chronology => chronology(db, r, l, lang, out)?,
            ReportSection::Agreements => agreements(r, l, lang, out)?,
            ReportSection::Allegations => allegations(db, r, l, lang, out)?,
            ReportSection::Correspondence => correspondence(db, r, l, lang, out)?,
            ReportSection::Evidence => super::evidence::evidence(r, l, lang, out)?,
        }
    }
    Ok(())
}

/// The units of the pieces [`each`] gives (see [`Reading::units`]), counted from what `r` holds.
pub(super) fn units(r: &Basis) -> u64 {
    let listed = |n: usize| n.max(1) as u64;
    let rows = |n: u64| if n == 0 { 1 } else { 1 + n };
    r.sections
        .iter()
        .map(|id| match id {
            ReportSection::Summary => 1,
            ReportSection::Parties if r.roles.is_empty() => 1,
            ReportSection::Parties => 1 + 2 * r.cast.iter().filter(|(p, _)| described(p)).count() as u64,
            ReportSection::Chronology => 1 + rows(r.entries),
            ReportSection::Agreements => listed(r.agreements.len()),
            ReportSection::Allegations => 1 + listed(r.allegations.len()),
            ReportSection::Correspondence => 3 + listed(r.threads.len()),
            ReportSection::Evidence => 1 + rows(r.evidence.len() as u64),
        })
        .sum()
}

fn block(out: &mut Out<'_>, block: Block) -> Result<()> {
    out(Piece::Block(block))
}

pub(super) fn text(s: impl Into<String>) -> Inline {
    Inline::Text(s.into())
}

pub(super) fn fixed(s: impl Into<String>) -> Inline {
    Inline::Fixed(s.into())
}

/// A stored date, worded here once for every format.
pub(super) fn date(lang: Lang, recorded: &str) -> Inline {
    Inline::Date { words: date_in_words(lang, recorded), recorded: recorded.to_string() }
}

pub(super) fn none(l: &Labels) -> Block {
    Block::Para(vec![fixed(l.none)])
}

pub(super) fn field(label: &str, value: Vec<Inline>) -> Field {
    Field { label: label.to_string(), value }
}

/// A cell of one paragraph.
pub(super) fn cell(inlines: Vec<Inline>) -> Cell {
    Cell { blocks: vec![Block::Para(inlines)], class: None }
}

pub(super) fn cell_of(blocks: Vec<Block>) -> Cell {
    Cell { blocks, class: None }
}

/// A table of `rows` under `columns`, each a header and its share of the width.
pub(super) fn table(class: Option<&'static str>, columns: &[(&str, usize)], rows: Vec<Vec<Cell>>) -> Block {
    let rows: Vec<Row> = rows.into_iter().map(|cells| Row { id: None, cells }).collect();
    let lists = rows.iter().flat_map(|r| &r.cells).any(|c| c.blocks.iter().any(|b| matches!(b, Block::List(_))));
    Block::Table(Table { class, lists, columns: self::columns(columns), rows })
}

pub(super) fn columns(columns: &[(&str, usize)]) -> Vec<Column> {
    columns.iter().map(|(header, share)| Column { header: header.to_string(), share: *share }).collect()
}

/// A long table: `open` without rows, then its rows built from `items` a page at a time by `row`.
pub(super) fn long_table<T>(
    out: &mut Out<'_>,
    open: Table,
    items: impl IntoIterator<Item = T>,
    mut row: impl FnMut(T) -> Result<Row>,
) -> Result<()> {
    out(Piece::Open(open))?;
    let mut page = Vec::with_capacity(PAGE);
    for item in items {
        page.push(row(item)?);
        if page.len() == PAGE {
            out(Piece::Rows(std::mem::replace(&mut page, Vec::with_capacity(PAGE))))?;
        }
    }
    if !page.is_empty() {
        out(Piece::Rows(page))?;
    }
    out(Piece::Close)
}

/// The evidence that supports a record, as it is cited: each piece once, with the pinpoints of its
/// links to the record (which `r.sources` holds sorted by evidence number), empty ones left out.
fn sources(r: &Basis, record_id: &str) -> Vec<Cite> {
    let mut cites: Vec<Cite> = Vec::new();
    for (n, pin) in r.sources.get(record_id).into_iter().flatten() {
        let pin = (!pin.is_empty()).then(|| pin.clone());
        match cites.last_mut() {
            Some(last) if last.n == *n => last.pins.extend(pin),
            _ => cites.push(Cite { n: *n, name: r.cite(*n), pins: pin.into_iter().collect() }),
        }
    }
    cites
}

/// A cell of the evidence a record cites, empty when it cites none.
fn sources_cell(r: &Basis, record_id: &str) -> Cell {
    match sources(r, record_id) {
        cites if cites.is_empty() => cell_of(Vec::new()),
        cites => cell(vec![Inline::Sources(cites)]),
    }
}

/// The "Sources" field of a record, when it cites any evidence.
fn sources_field(r: &Basis, l: &Labels, record_id: &str) -> Option<Field> {
    let cites = sources(r, record_id);
    (!cites.is_empty()).then(|| field(l.sources, vec![Inline::Sources(cites)]))
}

/// The case's own summary, as written.
fn summary(r: &Basis, l: &Labels, out: &mut Out<'_>) -> Result<()> {
    if r.case.summary.trim().is_empty() {
        return block(out, none(l));
    }
    block(out, Block::Markdown(r.case.summary.clone(), Look::Own))
}

/// Whether the parties' section says more of a party under its table.
fn described(p: &crate::record::party::Party) -> bool {
    !p.description.trim().is_empty()
}

/// The cast of characters: one row per party, then the parties' descriptions.
fn parties(r: &Basis, l: &Labels, lang: Lang, out: &mut Out<'_>) -> Result<()> {
    if r.roles.is_empty() {
        return block(out, none(l));
    }
    let rows = r
        .cast
        .iter()
        .map(|(p, roles)| {
            [&p.name, p.kind.word(lang), &roles_text(roles, lang), &affiliations_text(p), &p.aliases.join(", ")]
                .into_iter()
                .map(|t| cell(vec![text(t)]))
                .collect()
        })
        .collect();
    let columns = [(l.name, 3), (l.kind, 2), (l.roles, 3), (l.affiliations, 3), (l.aliases, 2)];
    block(out, table(None, &columns, rows))?;
    for (p, _) in r.cast.iter().filter(|(p, _)| described(p)) {
        block(out, Block::Heading(1, vec![text(&p.name)]))?;
        block(out, Block::Markdown(p.description.clone(), Look::Aside))?;
    }
    Ok(())
}

/// The timeline entries the options keep, one row each: its kind above what happened, an event's
/// description under it. The timeline is read a page at a time.
fn chronology(db: &Reader, r: &Basis, l: &Labels, lang: Lang, out: &mut Out<'_>) -> Result<()> {
    block(out, Block::Note(l.dates_note))?;
    if r.entries == 0 {
        return block(out, none(l));
    }
    let columns = columns(&[(l.date, 3), (l.what, 6), (l.who, 3), (l.attribution, 4), (l.sources, 2)]);
    out(Piece::Open(Table { class: Some("chronology"), lists: false, columns, rows: Vec::new() }))?;
    let mut after: Option<String> = None;
    loop {
        let page = timeline::page(db, &r.case.id, &r.filter, after.as_deref(), PAGE)?;
        let events: Vec<&str> =
            page.entries.iter().filter(|e| e.kind == EntryKind::Event).map(|e| e.record_id.as_str()).collect();
        let descriptions = event::descriptions(db, &events)?;
        let rows = page.entries.iter().map(|e| {
            let mut what =
                vec![Block::Para(vec![Inline::Kind(e.kind.word(lang).to_string()), text(entry_what(e, lang))])];
            if let Some(d) = descriptions.get(&e.record_id).filter(|_| e.kind == EntryKind::Event) {
                what.push(Block::Markdown(d.clone(), Look::Aside));
            }
            let cells = vec![
                cell(vec![date(lang, &e.date)]),
                cell_of(what),
                cell(vec![text(e.parties.join(", "))]),
                cell(vec![text(attributions_text(&e.attribution, lang))]),
                sources_cell(r, &e.record_id),
            ];
            Row { id: None, cells }
        });
        out(Piece::Rows(rows.collect()))?;
        match page.next {
            Some(next) => after = Some(next),
            None => return out(Piece::Close),
        }
    }
}

/// Each agreement with its terms and clauses.
fn agreements(r: &Basis, l: &Labels, lang: Lang, out: &mut Out<'_>) -> Result<()> {
    if r.agreements.is_empty() {
        return block(out, none(l));
    }
    for a in &r.agreements {
        let mut fields = Vec::new();
        if !a.kind.is_empty() {
            fields.push(field(l.kind, vec![text(&a.kind)]));
        }
        if !a.parties.is_empty() {
            fields.push(field(l.signatories, vec![text(names(&a.parties))]));
        }
        for (label, when) in [(l.effective, &a.effective), (l.terminated, &a.terminated)] {
            if let Some(d) = when {
                fields.push(field(label, vec![date(lang, d)]));
            }
        }
        fields.extend(sources_field(r, l, &a.id));
        let mut blocks = vec![Block::Heading(1, vec![text(&a.title)]), Block::Fields(fields)];
        if !a.terms.trim().is_empty() {
            blocks.push(Block::Heading(2, vec![fixed(l.terms)]));
            blocks.push(Block::Markdown(a.terms.clone(), Look::Body));
        }
        if !a.clauses.is_empty() {
            let rows = a
                .clauses
                .iter()
                .map(|c| {
                    let text_cell = cell_of(vec![Block::Markdown(c.text.clone(), Look::Cell)]);
                    vec![cell(vec![text(&c.reference)]), text_cell, sources_cell(r, &c.id)]
                })
                .collect();
            let columns = [(l.reference, 2), (l.text, 8), (l.sources, 2)];
            blocks.push(table(None, &columns, rows));
        }
        block(out, Block::Group { id: None, class: None, blocks })?;
    }
    Ok(())
}

/// Each allegation, read one at a time: who makes it against whom, where and when, its status
/// history and its responses.
fn allegations(db: &Reader, r: &Basis, l: &Labels, lang: Lang, out: &mut Out<'_>) -> Result<()> {
    block(out, Block::Note(l.attribution_note))?;
    if r.allegations.is_empty() {
        block(out, none(l))?;
    }
    for (i, id) in r.allegations.iter().enumerate() {
        let a = allegation::get(db, id)?;
        let mut article = vec![
            Block::Heading(1, vec![fixed(format!("A{}. ", i + 1)), text(&a.summary)]),
            Block::Fields(allegation_fields(r, l, lang, &a)),
        ];
        if !a.detail.trim().is_empty() {
            article.push(Block::Markdown(a.detail.clone(), Look::Body));
        }
        let history = a
            .history
            .iter()
            .map(|h| {
                let note = cell_of(vec![Block::Markdown(h.note.clone(), Look::Cell)]);
                vec![cell(vec![date(lang, &h.date)]), cell(vec![text(h.status.word(lang))]), note]
            })
            .collect();
        article.extend([
            Block::Heading(2, vec![fixed(l.history)]),
            table(None, &[(l.date, 3), (l.status, 3), (l.note, 6)], history),
            Block::Heading(2, vec![fixed(l.responses)]),
        ]);
        if a.responses.is_empty() {
            article.push(Block::Para(vec![fixed(l.no_response)]));
        } else {
            article.push(responses_table(db, r, l, lang, &a)?);
        }
        block(out, Block::Group { id: None, class: None, blocks: article })?;
    }
    Ok(())
}

/// What an allegation's fields say.
fn allegation_fields(r: &Basis, l: &Labels, lang: Lang, a: &allegation::Allegation) -> Vec<Field> {
    let status = a.status.word(lang).to_string();
    let mut fields = vec![
        field(l.current_status, vec![Inline::Strong(status)]),
        field(l.made_by, vec![text(&a.made_by.name)]),
        field(l.against, vec![text(&a.against.name)]),
        field(l.raised_on, vec![date(lang, &a.date)]),
    ];
    if let Some(raised) = &a.raised_in {
        fields
            .push(field(l.raised_in, vec![text(&raised.title), fixed(" ("), text(raised.kind.word(lang)), fixed(")")]));
    }
    if let Some(ag) = a.agreement_id.as_deref().and_then(|id| r.agreements.iter().find(|x| x.id == id)) {
        fields.push(field(l.agreement, vec![text(&ag.title)]));
    }
    if !a.clauses.is_empty() {
        let refs: Vec<&str> = a.clauses.iter().map(|c| c.reference.as_str()).collect();
        fields.push(field(l.clauses, vec![text(refs.join(", "))]));
    }
    if !a.attributions.is_empty() {
        fields.push(field(l.attribution, vec![text(attributions_text(&a.attributions, lang))]));
    }
    fields.extend(sources_field(r, l, &a.id));
    fields
}

/// The responses to an allegation, one row each.
fn responses_table(db: &Reader, r: &Basis, l: &Labels, lang: Lang, a: &allegation::Allegation) -> Result<Block> {
    let mut rows = Vec::new();
    for id in &a.responses {
        let resp = response::get(db, id)?;
        let mut said = vec![Block::Markdown(resp.text.clone(), Look::Cell)];
        if let Some(subject) = resp.letter_id.as_deref().and_then(|id| r.letter_subject(id)) {
            said.push(Block::Aside(vec![fixed(format!("{}: ", l.in_letter)), text(subject)]));
        }
        if !resp.attributions.is_empty() {
            said.push(Block::Aside(vec![text(attributions_text(&resp.attributions, lang))]));
        }
        rows.push(vec![
            cell(vec![date(lang, &resp.date)]),
            cell(vec![text(&resp.by.name)]),
            cell(vec![text(resp.stance.word(lang))]),
            cell_of(said),
            sources_cell(r, &resp.id),
        ]);
    }
    let columns = [(l.date, 3), (l.who, 3), (l.stance, 2), (l.text, 6), (l.sources, 2)];
    Ok(table(None, &columns, rows))
}

/// The response deadlines, then every letter in thread order, read one at a time.
fn correspondence(db: &Reader, r: &Basis, l: &Labels, lang: Lang, out: &mut Out<'_>) -> Result<()> {
    block(out, Block::Heading(1, vec![fixed(l.deadlines)]))?;
    let deadlines = letter::deadlines(db, &r.case.id)?;
    if deadlines.is_empty() {
        block(out, none(l))?;
    } else {
        let rows = deadlines
            .iter()
            .map(|d| {
                let subject = match r.letter_anchor(&d.letter_id) {
                    Some(href) => Inline::CrossRef { href, text: d.subject.clone() },
                    None => text(&d.subject),
                };
                let overdue = d.state == DeadlineState::Overdue;
                let state = Cell { class: overdue.then_some("state-overdue"), ..cell(vec![text(d.state.word(lang))]) };
                vec![cell(vec![date(lang, &d.deadline)]), cell(vec![subject]), cell(vec![text(&d.sender)]), state]
            })
            .collect();
        let columns = [(l.deadline, 3), (l.subject, 6), (l.from, 3), (l.state, 2)];
        block(out, table(None, &columns, rows))?;
    }
    block(out, Block::Heading(1, vec![fixed(l.letters)]))?;
    if r.threads.is_empty() {
        block(out, none(l))?;
    }
    for (i, (id, depth)) in r.threads.iter().enumerate() {
        let lt = letter::get(db, id)?;
        let arrow = if *depth > 0 { format!("{} ", "↳".repeat(*depth as usize)) } else { String::new() };
        let title = vec![fixed(arrow), text(date_in_words(lang, &lt.date)), fixed(" — "), text(&lt.subject)];
        let mut fields = vec![
            field(l.date, vec![date(lang, &lt.date)]),
            field(l.channel, vec![text(lt.channel.word(lang))]),
            field(l.from, vec![text(sender_text(&lt))]),
        ];
        for (label, list) in [(l.to, &lt.to), (l.cc, &lt.cc)] {
            if !list.is_empty() {
                fields.push(field(label, vec![text(names(list))]));
            }
        }
        if let Some(d) = &lt.deadline {
            fields.push(field(l.deadline, vec![date(lang, d)]));
        }
        let parent = lt.in_reply_to.as_deref();
        if let Some((href, subject)) = parent.and_then(|p| Some((r.letter_anchor(p)?, r.letter_subject(p)?))) {
            fields.push(field(l.in_reply_to, vec![Inline::CrossRef { href, text: subject.to_string() }]));
        }
        fields.extend(sources_field(r, l, &lt.id));
        let mut letter = vec![Block::Heading(2, title), Block::Fields(fields)];
        if !lt.body.trim().is_empty() {
            letter.push(Block::Markdown(lt.body.clone(), Look::Body));
        }
        let (id, class) = (format!("letter-{}", i + 1), format!("depth-{}", depth.min(&3)));
        block(out, Block::Group { id: Some(id), class: Some(class), blocks: letter })?;
    }
    Ok(())
}
