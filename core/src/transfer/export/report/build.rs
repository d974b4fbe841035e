//! What each section of the report shows, one function per section: the only code that decides it.

use super::*;
use crate::record::allegation;
use crate::transfer::export::words::*;
use crate::transfer::export::CaseSnapshot;
use crate::vocabulary::{DeadlineState, EntryKind};

/// The report of a case read into `r` (which the report options already shaped: its sections, its
/// chronology, its evidence numbering), in `lang`.
pub(in crate::transfer::export) fn build(r: &CaseSnapshot, lang: Lang) -> Report {
    let l = labels(lang);
    let mut meta = vec![(l.status, r.case.status.word(lang).to_string())];
    if !r.case.tags.is_empty() {
        meta.push((l.tags, r.case.tags.join(", ")));
    }
    let sections = r
        .sections
        .iter()
        .map(|&id| {
            let (title, blocks) = match id {
                ReportSection::Summary => (l.summary, summary(r, l)),
                ReportSection::Parties => (l.parties, parties(r, l, lang)),
                ReportSection::Chronology => (l.chronology, chronology(r, l, lang)),
                ReportSection::Agreements => (l.agreements, agreements(r, l, lang)),
                ReportSection::Allegations => (l.allegations, allegations(r, l, lang)),
                ReportSection::Correspondence => (l.correspondence, correspondence(r, l, lang)),
                ReportSection::Evidence => (l.evidence, super::evidence::evidence(r, l, lang)),
            };
            Section { id, title, blocks }
        })
        .collect();
    Report {
        lang,
        title: r.case.title.clone(),
        kind: l.report,
        meta,
        contents: l.contents,
        generated_on: l.generated_on,
        sections,
    }
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
    let rows = rows.into_iter().map(|cells| Row { id: None, cells }).collect();
    Block::Table(Table { class, columns: self::columns(columns), rows })
}

pub(super) fn columns(columns: &[(&str, usize)]) -> Vec<Column> {
    columns.iter().map(|(header, share)| Column { header: header.to_string(), share: *share }).collect()
}

/// The evidence that supports a record, as it is cited: each piece once, with the pinpoints of its
/// links to the record (which `r.sources` holds sorted by evidence number), empty ones left out.
fn sources(r: &CaseSnapshot, record_id: &str) -> Vec<Cite> {
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
fn sources_cell(r: &CaseSnapshot, record_id: &str) -> Cell {
    match sources(r, record_id) {
        cites if cites.is_empty() => cell_of(Vec::new()),
        cites => cell(vec![Inline::Sources(cites)]),
    }
}

/// The "Sources" field of a record, when it cites any evidence.
fn sources_field(r: &CaseSnapshot, l: &Labels, record_id: &str) -> Option<Field> {
    let cites = sources(r, record_id);
    (!cites.is_empty()).then(|| field(l.sources, vec![Inline::Sources(cites)]))
}

/// The case's own summary, as written.
fn summary(r: &CaseSnapshot, l: &Labels) -> Vec<Block> {
    if r.case.summary.trim().is_empty() {
        return vec![none(l)];
    }
    vec![Block::Markdown(r.case.summary.clone(), Look::Own)]
}

/// The cast of characters: one row per party, then the parties' descriptions.
fn parties(r: &CaseSnapshot, l: &Labels, lang: Lang) -> Vec<Block> {
    if r.roles.is_empty() {
        return vec![none(l)];
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
    let mut blocks = vec![table(None, &columns, rows)];
    for (p, _) in r.cast.iter().filter(|(p, _)| !p.description.trim().is_empty()) {
        blocks.push(Block::Heading(1, vec![text(&p.name)]));
        blocks.push(Block::Markdown(p.description.clone(), Look::Aside));
    }
    blocks
}

/// The timeline entries the options keep, one row each: its kind above what happened, an event's
/// description under it.
fn chronology(r: &CaseSnapshot, l: &Labels, lang: Lang) -> Vec<Block> {
    if r.entries.is_empty() {
        return vec![Block::Note(l.dates_note), none(l)];
    }
    let rows = r
        .entries
        .iter()
        .map(|e| {
            let mut what =
                vec![Block::Para(vec![Inline::Kind(e.kind.word(lang).to_string()), text(entry_what(e, lang))])];
            if let Some(d) = r.descriptions.get(&e.record_id).filter(|_| e.kind == EntryKind::Event) {
                what.push(Block::Markdown(d.clone(), Look::Aside));
            }
            vec![
                cell(vec![date(lang, &e.date)]),
                cell_of(what),
                cell(vec![text(e.parties.join(", "))]),
                cell(vec![text(attributions_text(&e.attribution, lang))]),
                sources_cell(r, &e.record_id),
            ]
        })
        .collect();
    let columns = [(l.date, 3), (l.what, 6), (l.who, 3), (l.attribution, 4), (l.sources, 2)];
    vec![Block::Note(l.dates_note), table(Some("chronology"), &columns, rows)]
}

/// Each agreement with its terms and clauses.
fn agreements(r: &CaseSnapshot, l: &Labels, lang: Lang) -> Vec<Block> {
    if r.agreements.is_empty() {
        return vec![none(l)];
    }
    r.agreements
        .iter()
        .map(|a| {
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
            Block::Group { id: None, class: None, blocks }
        })
        .collect()
}

/// Each allegation: who makes it against whom, where and when, its status history and its responses.
fn allegations(r: &CaseSnapshot, l: &Labels, lang: Lang) -> Vec<Block> {
    let mut blocks = vec![Block::Note(l.attribution_note)];
    if r.allegations.is_empty() {
        blocks.push(none(l));
    }
    for (i, a) in r.allegations.iter().enumerate() {
        let mut article = vec![
            Block::Heading(1, vec![fixed(format!("A{}. ", i + 1)), text(&a.summary)]),
            Block::Fields(allegation_fields(r, l, lang, a)),
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
            article.push(responses_table(r, l, lang, a));
        }
        blocks.push(Block::Group { id: None, class: None, blocks: article });
    }
    blocks
}

/// What an allegation's fields say.
fn allegation_fields(r: &CaseSnapshot, l: &Labels, lang: Lang, a: &allegation::Allegation) -> Vec<Field> {
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
fn responses_table(r: &CaseSnapshot, l: &Labels, lang: Lang, a: &allegation::Allegation) -> Block {
    let rows = a
        .responses
        .iter()
        .filter_map(|id| r.responses.get(id))
        .map(|resp| {
            let mut said = vec![Block::Markdown(resp.text.clone(), Look::Cell)];
            if let Some(subject) = resp.letter_id.as_deref().and_then(|id| r.letter_subject(id)) {
                said.push(Block::Aside(vec![fixed(format!("{}: ", l.in_letter)), text(subject)]));
            }
            if !resp.attributions.is_empty() {
                said.push(Block::Aside(vec![text(attributions_text(&resp.attributions, lang))]));
            }
            vec![
                cell(vec![date(lang, &resp.date)]),
                cell(vec![text(&resp.by.name)]),
                cell(vec![text(resp.stance.word(lang))]),
                cell_of(said),
                sources_cell(r, &resp.id),
            ]
        })
        .collect();
    let columns = [(l.date, 3), (l.who, 3), (l.stance, 2), (l.text, 6), (l.sources, 2)];
    table(None, &columns, rows)
}

/// The response deadlines, then every letter in thread order.
fn correspondence(r: &CaseSnapshot, l: &Labels, lang: Lang) -> Vec<Block> {
    let mut blocks = vec![Block::Heading(1, vec![fixed(l.deadlines)])];
    if r.deadlines.is_empty() {
        blocks.push(none(l));
    } else {
        let rows = r
            .deadlines
            .iter()
            .map(|d| {
                let subject = match letter_anchor(r, &d.letter_id) {
                    Some(href) => Inline::CrossRef { href, text: d.subject.clone() },
                    None => text(&d.subject),
                };
                let overdue = d.state == DeadlineState::Overdue;
                let state = Cell { class: overdue.then_some("state-overdue"), ..cell(vec![text(d.state.word(lang))]) };
                vec![cell(vec![date(lang, &d.deadline)]), cell(vec![subject]), cell(vec![text(&d.sender)]), state]
            })
            .collect();
        let columns = [(l.deadline, 3), (l.subject, 6), (l.from, 3), (l.state, 2)];
        blocks.push(table(None, &columns, rows));
    }
    blocks.push(Block::Heading(1, vec![fixed(l.letters)]));
    if r.threads.is_empty() {
        blocks.push(none(l));
    }
    for (i, t) in r.threads.iter().enumerate() {
        let lt = &t.letter;
        let arrow = if t.depth > 0 { format!("{} ", "↳".repeat(t.depth as usize)) } else { String::new() };
        let title = vec![fixed(arrow), text(date_in_words(lang, &lt.date)), fixed(" — "), text(&lt.subject)];
        let mut fields = vec![
            field(l.date, vec![date(lang, &lt.date)]),
            field(l.channel, vec![text(lt.channel.word(lang))]),
            field(l.from, vec![text(sender_text(lt))]),
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
        if let Some((href, subject)) = parent.and_then(|p| Some((letter_anchor(r, p)?, r.letter_subject(p)?))) {
            fields.push(field(l.in_reply_to, vec![Inline::CrossRef { href, text: subject.to_string() }]));
        }
        fields.extend(sources_field(r, l, &lt.id));
        let mut letter = vec![Block::Heading(2, title), Block::Fields(fields)];
        if !lt.body.trim().is_empty() {
            letter.push(Block::Markdown(lt.body.clone(), Look::Body));
        }
        let (id, class) = (format!("letter-{}", i + 1), format!("depth-{}", t.depth.min(3)));
        blocks.push(Block::Group { id: Some(id), class: Some(class), blocks: letter });
    }
    blocks
}

/// The `#letter-N` anchor of a letter in the correspondence (its position, from 1).
fn letter_anchor(r: &CaseSnapshot, id: &str) -> Option<String> {
    r.threads.iter().position(|t| t.letter.id == id).map(|i| format!("#letter-{}", i + 1))
}
