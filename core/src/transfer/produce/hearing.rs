//! The hearing bundle: chosen documents in ordered sections as one PDF, as the England & Wales
//! e-bundle guidance asks — an index first, each section and document a link to its first page; a
//! bookmark per section and per document; every page numbered from 1 at its foot, so the printed
//! number is the PDF's page number; pages that are scans given an invisible text layer read by OCR,
//! so the whole bundle is searchable. Privileged documents are left out, redacted copies stand in for
//! their originals; a document that is not a PDF is shown by its text as Dossier read it, laid out
//! and said to be so, or, without text, by a page saying it is held in its original format.

use lopdf::{dictionary, Document, Object, ObjectId, StringFormat};
use serde::{Deserialize, Serialize};

use super::pdf::{self, Corner, Line, Mark};
use super::select::{self, Chosen, Selection};
use super::{in_words, read, searchable};
use crate::date::Lang;
use crate::error::{Error, Result};
use crate::record::case;
use crate::store::Store;
use crate::transfer::progress::{Ticker, Watch};

/// Most sections a bundle has.
const MAX_SECTIONS: usize = 26 * 4;

/// What goes into a hearing bundle.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HearingInput {
    pub case: String,
    /// The sections in order, each with its documents in order; none: every document of the case in
    /// one section, in date order.
    #[serde(default)]
    pub sections: Vec<SectionInput>,
    /// `en` or `fr`: the index's language.
    #[serde(default)]
    pub lang: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SectionInput {
    pub title: String,
    /// Evidence ids, in order (a redacted copy stands for its original).
    pub evidence: Vec<String>,
}

/// A bundle made: where each section and document begins, and what was left out.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HearingBundle {
    pub pages: u32,
    pub sections: Vec<BundledSection>,
    /// The titles of the privileged documents left out.
    pub withheld: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BundledSection {
    /// `A`, `B`…
    pub tab: String,
    pub title: String,
    pub documents: Vec<BundledDocument>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BundledDocument {
    /// `A1`, `A2`…
    pub tab: String,
    pub evidence_id: String,
    pub title: String,
    /// Its first page in the bundle, from 1.
    pub first_page: u32,
    pub pages: u32,
}

/// A document of the bundle, opened.
struct Part {
    tab: String,
    chosen: Chosen,
    doc: Document,
}

/// Makes the hearing bundle `input` asks for; returns its PDF and what is in it.
pub fn bundle(store: &Store, input: &HearingInput, watch: &dyn Watch) -> Result<(Vec<u8>, HearingBundle)> {
    let lang = Lang::parse(input.lang.trim()).unwrap_or(Lang::En);
    let fr = lang == Lang::Fr;
    let db = store.reader();
    let case = case::get(db, &case::resolve(db, &input.case)?)?;
    let asked: Vec<(String, Selection)> = if input.sections.is_empty() {
        vec![(if fr { "Pièces" } else { "Documents" }.to_string(), Selection::default())]
    } else {
        if input.sections.len() > MAX_SECTIONS {
            return Err(Error::rule(
                "sections",
                "too_many",
                input.sections.len().to_string(),
                format!("more than {MAX_SECTIONS} sections"),
            ));
        }
        input
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let title = crate::input::line(&format!("section {}", i + 1), &s.title)?;
                if title.is_empty() {
                    return Err(Error::required(format!("section {} title", i + 1)));
                }
                if s.evidence.is_empty() {
                    return Err(Error::rule(
                        "sections",
                        "empty_section",
                        title.clone(),
                        format!("section '{title}' has no document"),
                    ));
                }
                Ok((title, Selection { evidence: s.evidence.clone(), ..Selection::default() }))
            })
            .collect::<Result<_>>()?
    };
    let mut chosen = Vec::new();
    for (title, selection) in &asked {
        chosen.push((title.clone(), select::choose(db, &case.id, selection)?));
    }
    let total: usize = chosen.iter().map(|(_, c)| c.len()).sum();
    let mut ticker = Ticker::new(watch, total as u64 + 1);
    ticker.begin()?;

    let mut withheld = Vec::new();
    let mut sections: Vec<(String, String, Vec<Part>)> = Vec::new();
    for (s, (title, list)) in chosen.into_iter().enumerate() {
        let letter = tab(s);
        let mut parts = Vec::new();
        for c in list {
            if c.privilege.is_some() {
                withheld.push(c.original.title.clone());
                ticker.advance(1)?;
                continue;
            }
            let doc = part_pages(store, &c, lang)?;
            parts.push(Part { tab: format!("{letter}{}", parts.len() + 1), chosen: c, doc });
            ticker.advance(1)?;
        }
        if !parts.is_empty() {
            sections.push((letter, title, parts));
        }
    }
    if sections.is_empty() {
        return Err(Error::rule(
            "sections",
            "nothing_left",
            None,
            "every document chosen is privileged: the bundle would be empty",
        ));
    }

    let heading = if fr {
        format!("{} — Dossier de plaidoirie", case.title)
    } else {
        format!("{} — Hearing bundle", case.title)
    };
    // The index's length decides where the documents begin: counted first with numbers as wide.
    let index_pages = {
        let mut scratch = Document::with_version("1.7");
        pdf::text_pages(&mut scratch, &draft_index(&heading, &sections, lang)).len() as u32
    };
    let mut firsts = Vec::new();
    let mut next = index_pages + 1;
    for (_, _, parts) in &sections {
        for p in parts {
            firsts.push(next);
            next += pdf::pages(&p.doc).len() as u32;
        }
    }
    let page_count = next - 1;

    let mut out = Document::with_version("1.7");
    let mut first_ids = Vec::new();
    let mut body = Vec::new();
    let mut report = Vec::new();
    let mut dates = Vec::new();
    let mut at = 0;
    for (letter, title, parts) in sections {
        let mut documents = Vec::new();
        for p in parts {
            dates.push(in_words(p.chosen.original.date.as_deref().unwrap_or(""), lang));
            let pages = pdf::absorb(&mut out, p.doc);
            first_ids.push(pages[0]);
            documents.push(BundledDocument {
                tab: p.tab,
                evidence_id: p.chosen.original.id.clone(),
                title: p.chosen.original.title.clone(),
                first_page: firsts[at],
                pages: pages.len() as u32,
            });
            body.extend(pages);
            at += 1;
        }
        report.push(BundledSection { tab: letter, title, documents });
    }
    let index = pdf::text_pages(&mut out, &index_lines(&heading, &report, &dates, &first_ids));
    if index.len() as u32 != index_pages {
        return Err(Error::internal("the bundle's index changed length between its two layouts"));
    }
    let all: Vec<ObjectId> = index.iter().chain(body.iter()).copied().collect();
    let mut out = pdf::with_pages(out, &all);
    let font = pdf::font(&mut out);
    for (i, page) in all.iter().enumerate() {
        let number = (i + 1).to_string();
        pdf::stamp(&mut out, *page, font, &[Mark { text: &number, corner: Corner::BottomCentre, size: 10.0 }])?;
    }
    outline(&mut out, &report, &first_ids)?;
    ticker.finish()?;
    Ok((pdf::save(out)?, HearingBundle { pages: page_count, sections: report, withheld }))
}

/// Writes the hearing bundle `input` asks for to `path` (whole, or not at all); returns what is in it.
pub fn write(store: &Store, input: &HearingInput, path: &std::path::Path, watch: &dyn Watch) -> Result<HearingBundle> {
    let (bytes, made) = bundle(store, input, watch)?;
    crate::transfer::destination::write(path, &bytes)?;
    Ok(made)
}

/// The letter of the `i`-th section: A…Z, then AA…ZZ.
fn tab(i: usize) -> String {
    let letter = |n: usize| char::from(b'A' + (n % 26) as u8);
    if i < 26 {
        letter(i).to_string()
    } else {
        format!("{}{}", letter(i / 26 - 1), letter(i))
    }
}

/// The pages a document goes into the bundle as: its PDF (the redacted copy's, if any), or a page
/// saying it is held in another form.
fn part_pages(store: &Store, c: &Chosen, lang: Lang) -> Result<Document> {
    let produced = c.produced();
    if produced.media_type.as_deref() == Some("application/pdf") {
        let bytes = read(store, produced)?;
        return searchable(pdf::open(&bytes, &produced.title)?, &bytes);
    }
    let fr = lang == Lang::Fr;
    let name = produced.original_name.clone().unwrap_or_else(|| produced.title.clone());
    // A Word, OpenDocument or e-mail file is shown by its text, laid out as the redaction lays it out,
    // and said to be so.
    let mut text: Vec<String> =
        crate::record::evidence::text(store.reader(), &produced.id, None)?.into_iter().map(|p| p.text).collect();
    if text.iter().any(|t| !t.trim().is_empty()) {
        let note = if fr {
            format!("[Texte de « {name} », mis en page par Dossier ; le fichier d’origine est conservé.]")
        } else {
            format!("[The text of “{name}”, laid out by Dossier; the original file is kept.]")
        };
        text[0] = format!("{note}\n\n{}", text[0]);
        let bytes = crate::pdfout::text_document(&text)?;
        return pdf::open(&bytes, &produced.title);
    }
    let lines = [
        Line::bold(&produced.title, 16.0),
        Line::plain("", 12.0),
        Line::plain(
            if fr {
                format!(
                    "Pièce conservée dans son format d’origine ({name}) : elle n’est pas reproduite dans ce dossier."
                )
            } else {
                format!("Document held in its original format ({name}): it is not reproduced in this bundle.")
            },
            12.0,
        ),
    ];
    Ok(super::slip_sheet(&lines))
}

/// The index as laid out before the documents are in, to count its pages: each document's first
/// page as wide as any can be, no links (neither changes where lines break).
fn draft_index(heading: &str, sections: &[(String, String, Vec<Part>)], lang: Lang) -> Vec<Line> {
    let mut dates = Vec::new();
    let report: Vec<BundledSection> = sections
        .iter()
        .map(|(tab, title, parts)| BundledSection {
            tab: tab.clone(),
            title: title.clone(),
            documents: parts
                .iter()
                .map(|p| {
                    dates.push(in_words(p.chosen.original.date.as_deref().unwrap_or(""), lang));
                    BundledDocument {
                        tab: p.tab.clone(),
                        evidence_id: p.chosen.original.id.clone(),
                        title: p.chosen.original.title.clone(),
                        first_page: 99_999,
                        pages: 0,
                    }
                })
                .collect(),
        })
        .collect();
    index_lines(heading, &report, &dates, &[])
}

/// The index: the heading, then each section and its documents, each with its first page and a link
/// to it (when the pages are known).
fn index_lines(heading: &str, sections: &[BundledSection], dates: &[String], firsts: &[ObjectId]) -> Vec<Line> {
    let mut lines = vec![Line::bold(heading, 16.0), Line::plain("Index", 12.0), Line::plain("", 10.0)];
    let mut at = 0;
    for s in sections {
        let first = s.documents.first().map(|d| d.first_page).unwrap_or(0);
        lines.push(Line {
            page_number: Some(first.to_string()),
            link: firsts.get(at).copied(),
            ..Line::bold(format!("{}  {}", s.tab, s.title), 12.0)
        });
        for d in &s.documents {
            let date = dates.get(at).filter(|d| !d.is_empty()).map(|d| format!(" — {d}")).unwrap_or_default();
            lines.push(Line {
                page_number: Some(d.first_page.to_string()),
                link: firsts.get(at).copied(),
                hang: pdf::width(&format!("{}  ", d.tab), 10.5),
                ..Line::plain(format!("{}  {}{date}", d.tab, d.title), 10.5)
            });
            at += 1;
        }
        lines.push(Line::plain("", 6.0));
    }
    lines
}

/// A PDF text string: ASCII as it is, anything else in UTF-16 with its byte-order mark.
fn text_string(text: &str) -> Object {
    if text.is_ascii() {
        return Object::string_literal(text);
    }
    let mut bytes = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        bytes.extend(unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// The bookmarks: one per section, with one per document under it, each opening its first page.
fn outline(doc: &mut Document, sections: &[BundledSection], firsts: &[ObjectId]) -> Result<()> {
    let root = doc.new_object_id();
    let mut section_ids = Vec::new();
    let mut at = 0;
    let mut visible = 0;
    for s in sections {
        let id = doc.new_object_id();
        let mut children = Vec::new();
        for d in &s.documents {
            children.push((doc.new_object_id(), format!("{}  {}", d.tab, d.title), firsts[at]));
            at += 1;
        }
        let first_page = children[0].2;
        for (i, (child, title, page)) in children.iter().enumerate() {
            let mut item = dictionary! {
                "Title" => text_string(title),
                "Parent" => id,
                "Dest" => vec![Object::Reference(*page), "Fit".into()],
            };
            if i > 0 {
                item.set("Prev", children[i - 1].0);
            }
            if let Some(next) = children.get(i + 1) {
                item.set("Next", next.0);
            }
            doc.objects.insert(*child, Object::Dictionary(item));
        }
        visible += 1 + children.len() as i64;
        section_ids.push((id, format!("{}  {}", s.tab, s.title), first_page, children));
    }
    for (i, (id, title, page, children)) in section_ids.iter().enumerate() {
        let mut item = dictionary! {
            "Title" => text_string(title),
            "Parent" => root,
            "Dest" => vec![Object::Reference(*page), "Fit".into()],
            "First" => children[0].0,
            "Last" => children[children.len() - 1].0,
            "Count" => children.len() as i64,
        };
        if i > 0 {
            item.set("Prev", section_ids[i - 1].0);
        }
        if let Some(next) = section_ids.get(i + 1) {
            item.set("Next", next.0);
        }
        doc.objects.insert(*id, Object::Dictionary(item));
    }
    doc.objects.insert(
        root,
        Object::Dictionary(dictionary! {
            "Type" => "Outlines",
            "First" => section_ids[0].0,
            "Last" => section_ids[section_ids.len() - 1].0,
            "Count" => visible,
        }),
    );
    let catalog = doc.catalog_mut().map_err(|e| Error::internal(format!("the bundle has no catalog: {e}")))?;
    catalog.set("Outlines", root);
    catalog.set("PageMode", "UseOutlines");
    catalog.set("PageLabels", dictionary! { "Nums" => vec![0.into(), Object::Dictionary(dictionary! { "S" => "D" })] });
    Ok(())
}
