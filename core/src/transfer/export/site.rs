//! The published timeline: a static site of three files (`index.html`, `style.css`, `timeline.js`)
//! that works from `file://` and from any static host, fetching nothing. It shows the case summary, a
//! strip of the whole chronology (inline SVG, each mark a link to its entry), the chronology with who
//! was involved, who says so and the sources, and the list of sources; private records are not in it
//! (see [`super::publish`]). The page reads as it is without its script; the script only filters
//! (by kind, by words) and never writes markup. Every text is escaped; Markdown goes through ammonia.

use std::fmt::Write as _;

use super::html::{masthead, page_start};
use super::publish::{Item, Published, Source};
use super::words::*;
use crate::date::{FuzzyDate, Lang};
use crate::error::Result;
use crate::markdown::{escape_html as esc, to_safe_html};
use crate::store::Reader;
use crate::vocabulary::{EntryKind, Vocabulary};

/// The site's style sheet and script, beside `index.html`.
pub const STYLE: &str = include_str!("site.css");
pub const SCRIPT: &str = include_str!("site.js");

/// The page allows only its own style sheet and script: no inline script, nothing fetched elsewhere.
const CSP: &str =
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src data:; base-uri 'none'; form-action 'none'";

/// The site's files: (name, content).
pub fn site(db: &Reader, case: &str, lang: Lang, generated_on: &str) -> Result<Vec<(&'static str, Vec<u8>)>> {
    let html = index(db, case, lang, generated_on)?;
    Ok(vec![
        ("index.html", html.into_bytes()),
        ("style.css", STYLE.as_bytes().to_vec()),
        ("timeline.js", SCRIPT.as_bytes().to_vec()),
    ])
}

struct SiteWords {
    timeline: &'static str,
    filter: &'static str,
    search: &'static str,
    shown: &'static str,
    overview: &'static str,
    published_on: &'static str,
}

fn site_words(lang: Lang) -> SiteWords {
    match lang {
        Lang::En => SiteWords {
            timeline: "Timeline",
            filter: "Show",
            search: "Find in the timeline",
            shown: "entries shown",
            overview: "The whole chronology at a glance: each mark is an entry; select one to go to it.",
            published_on: "Published on",
        },
        Lang::Fr => SiteWords {
            timeline: "Chronologie",
            filter: "Afficher",
            search: "Chercher dans la chronologie",
            shown: "entrées affichées",
            overview:
                "Toute la chronologie d’un coup d’œil : chaque trait est une entrée ; choisissez-en une pour y aller.",
            published_on: "Publié le",
        },
    }
}

fn index(db: &Reader, case: &str, lang: Lang, generated_on: &str) -> Result<String> {
    let p = Published::read(db, case, lang)?;
    let l = labels(lang);
    let w = site_words(lang);
    let mut out = String::with_capacity(64 * 1024);
    page_start(&mut out, lang, CSP, &p.case.title, w.timeline);
    put!(out, "<link rel=\"stylesheet\" href=\"style.css\">");
    put!(out, "<script src=\"timeline.js\" defer></script>");
    put!(out, "</head>");
    masthead(&mut out, w.timeline, &p.case.title);
    put!(out, "<p class=\"meta\">{}: {}</p>", l.status, esc(p.case.status.word(lang)));
    put!(out, "</header>");
    put!(out, "<main>");
    if !p.case.summary.trim().is_empty() {
        put!(out, "<section id=\"summary\">{}</section>", to_safe_html(&p.case.summary));
    }

    filters(&mut out, &p, lang, &w);

    strip(&mut out, &p, lang, w.overview);

    put!(out, "<h2 id=\"chronology\">{}</h2>", l.chronology);
    put!(out, "<p class=\"intro\">{}</p>", esc(l.dates_note));
    if p.items.is_empty() {
        put!(out, "<p>{}</p>", l.none);
    }
    put!(out, "<ol class=\"chronology\">");
    for (i, item) in p.items.iter().enumerate() {
        entry(&mut out, i + 1, item, lang);
    }
    put!(out, "</ol>");

    put!(out, "<h2 id=\"sources\">{}</h2>", l.sources);
    if p.sources.is_empty() {
        put!(out, "<p>{}</p>", l.none);
    } else {
        put!(out, "<ol class=\"sources\">");
        for (i, s) in p.sources.iter().enumerate() {
            put!(out, "<li id=\"source-{}\">{}</li>", i + 1, source_text(s, lang));
        }
        put!(out, "</ol>");
    }
    put!(out, "</main>");
    put!(out, "<footer><p>{} — {} {} — Dossier</p></footer>", esc(&p.case.title), w.published_on, esc(generated_on));
    put!(out, "</body>");
    put!(out, "</html>");
    Ok(out)
}

/// The filters of the chronology: hidden until the script runs, since without it they would do
/// nothing.
fn filters(out: &mut String, p: &Published, lang: Lang, w: &SiteWords) {
    let kinds: Vec<EntryKind> =
        EntryKind::ALL.iter().copied().filter(|k| p.items.iter().any(|i| i.entry.kind == *k)).collect();
    put!(out, "<form id=\"filters\" hidden>");
    put!(out, "<fieldset><legend>{}</legend>", w.filter);
    for k in &kinds {
        put!(
            out,
            "<label><input type=\"checkbox\" name=\"kind\" value=\"{}\" checked> {}</label>",
            k.as_str(),
            esc(&capitalise(k.word(lang)))
        );
    }
    put!(out, "</fieldset>");
    put!(out, "<label class=\"find\">{} <input type=\"search\" name=\"words\"></label>", w.search);
    put!(
        out,
        "<p class=\"count\"><output name=\"shown\">{}</output> / {} {}</p>",
        p.items.len(),
        p.items.len(),
        w.shown
    );
    put!(out, "</form>");
}

/// One entry of the chronology, numbered `n` (its `#entry-n` anchor).
fn entry(out: &mut String, n: usize, item: &Item, lang: Lang) {
    let l = labels(lang);
    let e = &item.entry;
    put!(out, "<li id=\"entry-{}\" class=\"entry\" data-kind=\"{}\">", n, e.kind.as_str());
    put!(
        out,
        "<p class=\"date\"><span class=\"kind\">{}</span> {} <code>{}</code></p>",
        esc(&capitalise(e.kind.word(lang))),
        esc(&date_in_words(lang, &e.date)),
        esc(&e.date)
    );
    put!(out, "<h3>{}</h3>", esc(&entry_what(e, lang)));
    if let Some(d) = &item.description {
        put!(out, "<div class=\"desc\">{}</div>", to_safe_html(d));
    }
    if !e.parties.is_empty() {
        put!(out, "<p class=\"who\"><strong>{}:</strong> {}</p>", l.who, esc(&e.parties.join(", ")));
    }
    if !e.attribution.is_empty() {
        put!(
            out,
            "<p class=\"attribution\"><strong>{}:</strong> {}</p>",
            l.attribution,
            esc(&attributions_text(&e.attribution, lang))
        );
    }
    if !item.sources.is_empty() {
        let cited: Vec<String> = item
            .sources
            .iter()
            .map(|(n, pin)| {
                let pin = if pin.is_empty() { String::new() } else { format!(" ({})", esc(pin)) };
                format!("<a href=\"#source-{n}\">S{n}</a>{pin}")
            })
            .collect();
        put!(out, "<p class=\"sources\"><strong>{}:</strong> {}</p>", l.sources, cited.join(", "));
    }
    put!(out, "</li>");
}

/// "S1. Title — Publisher — 4 April 2023 — https://…"
fn source_text(s: &Source, lang: Lang) -> String {
    let mut parts = vec![format!("<cite>{}</cite>", esc(&s.title))];
    if let Some(p) = &s.publisher {
        parts.push(esc(p));
    }
    if let Some(d) = &s.date {
        parts.push(esc(&date_in_words(lang, d)));
    }
    if let Some(url) = &s.url {
        parts.push(format!("<a href=\"{0}\" rel=\"noopener noreferrer\">{0}</a>", esc(url)));
    }
    parts.join(" — ")
}

/// Width of the strip's drawing, in its own units (it scales to the page), its side margin, and the
/// height of one lane of marks.
const STRIP_WIDTH: f64 = 1000.0;
const STRIP_MARGIN: f64 = 12.0;
const LANE: f64 = 12.0;
/// Most lanes marks are spread over before they share one.
const MAX_LANES: usize = 8;

/// The strip: the whole chronology on one line, a calendar scale beneath (months for a dispute of
/// two years or less, else years). A dated point is a tick; a period known to lie between two bounds
/// (a month, "about 2023", a range) is a bar over those bounds, so a fuzzy date looks as wide as it
/// is. Marks that would overlap go in lanes, one above the other. Each mark links to its entry.
fn strip(out: &mut String, p: &Published, lang: Lang, caption: &str) {
    let spans: Vec<(i64, i64)> = p
        .items
        .iter()
        .map(|i| {
            let e = &i.entry;
            let at = FuzzyDate::parse(&e.date).map(|d| d.sort_key()).unwrap_or(0);
            match (e.lo, e.hi) {
                (Some(lo), Some(hi)) if e.fuzzy => (lo, hi),
                _ => (at, at),
            }
        })
        .collect();
    let (Some(first), Some(last)) = (spans.iter().map(|s| s.0).min(), spans.iter().map(|s| s.1).max()) else {
        return;
    };
    let (start, end) = (month_of(first), month_of(last - 1) + 1);
    let (t0, t1) = (month_start(start), month_start(end).max(month_start(start) + 1));
    let x = |t: i64| STRIP_MARGIN + (t - t0) as f64 / (t1 - t0) as f64 * (STRIP_WIDTH - 2.0 * STRIP_MARGIN);

    // Lanes: each mark goes in the first lane whose last mark ends before it starts.
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by_key(|&i| spans[i]);
    let mut lane_ends: Vec<f64> = Vec::new();
    let mut lanes = vec![0; spans.len()];
    for i in order {
        let (x0, x1) = (x(spans[i].0), x(spans[i].1).max(x(spans[i].0) + 3.0));
        let lane = lane_ends.iter().position(|end| *end + 2.0 <= x0).unwrap_or(lane_ends.len()).min(MAX_LANES - 1);
        if lane == lane_ends.len() {
            lane_ends.push(x1);
        } else {
            lane_ends[lane] = lane_ends[lane].max(x1);
        }
        lanes[i] = lane;
    }
    let marks_height = lane_ends.len().max(1) as f64 * LANE;
    let axis = marks_height + 8.0;
    let height = axis + 22.0;

    put!(out, "<figure class=\"strip\">");
    put!(out, "<svg viewBox=\"0 0 {STRIP_WIDTH} {height}\" role=\"img\" aria-labelledby=\"strip-caption\">");
    put!(
        out,
        "<line class=\"axis\" x1=\"{STRIP_MARGIN}\" y1=\"{axis}\" x2=\"{}\" y2=\"{axis}\"/>",
        STRIP_WIDTH - STRIP_MARGIN
    );
    for (at, label) in scale(start, end, lang) {
        let at = x(at);
        put!(out, "<line class=\"tick\" x1=\"{at:.1}\" y1=\"{}\" x2=\"{at:.1}\" y2=\"{}\"/>", axis - 3.0, axis + 3.0);
        // A label at either end is aligned inwards, so it is not cut by the edge.
        let class = if at < 60.0 {
            " class=\"first\""
        } else if at > STRIP_WIDTH - 60.0 {
            " class=\"last\""
        } else {
            ""
        };
        if !label.is_empty() {
            put!(out, "<text x=\"{at:.1}\" y=\"{}\"{class}>{}</text>", axis + 16.0, esc(&label));
        }
    }
    for (i, ((lo, hi), item)) in spans.iter().zip(&p.items).enumerate() {
        let e = &item.entry;
        let label = format!("{} — {}", date_in_words(lang, &e.date), entry_what(e, lang));
        let (x0, x1) = (x(*lo), x(*hi));
        let y = marks_height - (lanes[i] + 1) as f64 * LANE + 2.0;
        let mark = if x1 - x0 >= 3.0 {
            format!("<rect x=\"{x0:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"2\"/>", x1 - x0, LANE - 3.0)
        } else {
            format!("<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"3\" height=\"{:.1}\"/>", x0 - 1.5, LANE - 3.0)
        };
        put!(
            out,
            "<a href=\"#entry-{n}\" class=\"mark\" data-entry=\"entry-{n}\" data-kind=\"{}\"><title>{}</title>{mark}</a>",
            e.kind.as_str(),
            esc(&label),
            n = i + 1
        );
    }
    put!(out, "</svg>");
    put!(out, "<figcaption id=\"strip-caption\">{}</figcaption>", esc(caption));
    put!(out, "</figure>");
}

/// The ticks of the scale from month `start` to month `end` (months counted from year 0): every
/// month over two years or less, labelled every few months; else every year, labelled every few years.
fn scale(start: i64, end: i64, lang: Lang) -> Vec<(i64, String)> {
    let months = end - start;
    if months <= 24 {
        let every = if months <= 12 { 1 } else { 3 };
        (start..=end)
            .map(|m| {
                let label = if m % 12 == 0 || m == start {
                    format!("{} {}", month_word(m, lang), m.div_euclid(12))
                } else if (m - start) % every == 0 {
                    month_word(m, lang).to_string()
                } else {
                    String::new()
                };
                (month_start(m), label)
            })
            .collect()
    } else {
        let (first, last) = (start.div_euclid(12), (end + 11).div_euclid(12));
        let every = ((last - first) / 12 + 1).max(1);
        (first..=last).step_by(every as usize).map(|y| (month_start(y * 12), y.to_string())).collect()
    }
}

fn month_word(month: i64, lang: Lang) -> &'static str {
    const EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    const FR: [&str; 12] =
        ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."];
    let i = month.rem_euclid(12) as usize;
    match lang {
        Lang::En => EN[i],
        Lang::Fr => FR[i],
    }
}

/// The month a moment falls in, counted from January of year 0.
fn month_of(t: i64) -> i64 {
    use chrono::Datelike;
    let d = chrono::DateTime::from_timestamp(t, 0).unwrap_or_default();
    i64::from(d.year()) * 12 + i64::from(d.month0())
}

/// The first second of a month counted from January of year 0, in Unix seconds.
fn month_start(month: i64) -> i64 {
    let (year, m) = (month.div_euclid(12), month.rem_euclid(12));
    i32::try_from(year)
        .ok()
        .and_then(|y| chrono::NaiveDate::from_ymd_opt(y, m as u32 + 1, 1))
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(0, |d| d.and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_start_where_the_calendar_says() {
        assert_eq!(month_start(1970 * 12), 0);
        assert_eq!(month_start(2024 * 12) - month_start(2023 * 12), 365 * 86_400);
        assert_eq!(month_of(month_start(2023 * 12 + 3) + 5), 2023 * 12 + 3);
    }

    #[test]
    fn a_short_dispute_is_scaled_in_months_a_long_one_in_years() {
        let short = scale(2023 * 12 + 1, 2023 * 12 + 4, Lang::Fr);
        let labels: Vec<&str> = short.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["févr. 2023", "mars", "avr.", "mai"]);
        let long = scale(2001 * 12, 2023 * 12, Lang::En);
        assert_eq!(long.first().map(|(_, l)| l.as_str()), Some("2001"));
        assert!(long.len() <= 13, "{long:?}");
    }
}
