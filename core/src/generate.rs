//! Synthetic cases for benchmarks and for trying the app at scale (`dossier gen`): a case of N items
//! that looks like a long dispute, written through the same write path as any record (one batch, so
//! it is whole or absent). The same seed gives the same case.
//!
//! What a case holds, for N items: about 45% events, 25% letters (a third of them replies, a third
//! with a response deadline), 12% evidence (a quarter text files in the store, the rest web pages),
//! 6% allegations (each with one to three later status changes), 8% responses and 4% agreements (two
//! to six clauses each); 12 to 60 parties with roles. Dates span 2009–2024 and use every precision the record
//! knows (year, month, day, instant, about, before, after, between). Text is in English and French,
//! one to four sentences. Evidence is linked to earlier records with pinpoints; a third of the events
//! carry an attribution.

pub mod documents;

use std::io::Cursor;
use std::path::PathBuf;

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::record::agreement::{self, AgreementInput, ClauseInput};
use crate::record::allegation::{self, AllegationInput, StatusInput};
use crate::record::attribution::AttributionInput;
use crate::record::case::{self, CaseInput};
use crate::record::event::{self, EventInput};
use crate::record::evidence::{self, EvidenceInput, FileInput, LinkInput};
use crate::record::letter::{self, LetterInput};
use crate::record::party::{self, PartyInput};
use crate::record::response::{self, ResponseInput};
use crate::record::role;
use crate::store::Store;

/// What was generated.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Generated {
    pub case_slug: String,
    pub parties: usize,
    pub events: usize,
    pub letters: usize,
    pub evidence: usize,
    pub allegations: usize,
    pub status_changes: usize,
    pub responses: usize,
    pub agreements: usize,
    pub clauses: usize,
    pub links: usize,
}

/// Most items one case is generated with.
pub const MAX_ITEMS: usize = 2_000_000;

const ORG_HEADS: &[&str] = &[
    "Acme", "Boréal", "Cobalt", "Delta", "Éole", "Fjord", "Granit", "Helios", "Iris", "Jade", "Krypton", "Lumen",
    "Meridian", "Nova", "Orion", "Polaris", "Quartz", "Rhéa", "Sirius", "Tundra",
];
const ORG_TAILS: &[&str] =
    &["Data SA", "Holdings Ltd", "Analytics GmbH", "Médias SAS", "Networks Inc.", "Cloud SARL", "Labs LLP"];
const PEOPLE: &[&str] = &[
    "Claire Martin",
    "John Reyes",
    "Sofia Keller",
    "Hugo Lefèvre",
    "Amara Diallo",
    "Ingrid Holm",
    "Marc Dubois",
    "Priya Nair",
    "Léa Moreau",
    "Tomás Ortega",
    "Nadia Benali",
    "Oliver Grant",
];
const MEDIA: &[&str] = &["Le Quotidien", "The Daily Ledger", "Tech Wire", "La Gazette des Affaires", "Courier Weekly"];

const SUBJECTS_EN: &[&str] = &[
    "the licence fee",
    "the data-sharing clause",
    "the audit request",
    "the API volume limits",
    "the training data",
    "the termination notice",
    "the confidentiality undertaking",
    "the invoice of March",
    "the usage report",
];
const SUBJECTS_FR: &[&str] = &[
    "la redevance de licence",
    "la clause de partage des données",
    "la demande d’audit",
    "les limites de volume de l’API",
    "les données d’entraînement",
    "le préavis de résiliation",
    "l’engagement de confidentialité",
    "la facture de mars",
];
const VERBS_EN: &[&str] =
    &["disputes", "requests details on", "rejects", "acknowledges", "reserves its rights on", "asks for an audit of"];
const VERBS_FR: &[&str] = &[
    "conteste",
    "demande des précisions sur",
    "rejette",
    "prend acte de",
    "réserve ses droits sur",
    "demande un audit de",
];
const TAILS_EN: &[&str] = &[
    "within thirty days",
    "under clause 7.2",
    "as stated in the previous letter",
    "without prejudice",
    "according to the figures provided",
    "pending the expert's report",
];
const TAILS_FR: &[&str] = &[
    "dans un délai de trente jours",
    "au titre de l’article 7.2",
    "comme indiqué dans le courrier précédent",
    "sous toutes réserves",
    "selon les chiffres communiqués",
    "dans l’attente du rapport de l’expert",
];

/// A deterministic source of choices.
struct Gen {
    rng: fastrand::Rng,
}

impl Gen {
    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.rng.usize(..list.len())]
    }

    fn chance(&mut self, percent: u32) -> bool {
        self.rng.u32(..100) < percent
    }

    /// One sentence, in English or French.
    fn sentence(&mut self, who: &str) -> String {
        if self.chance(50) {
            format!("{who} {} {} {}.", self.pick(VERBS_EN), self.pick(SUBJECTS_EN), self.pick(TAILS_EN))
        } else {
            format!("{who} {} {} {}.", self.pick(VERBS_FR), self.pick(SUBJECTS_FR), self.pick(TAILS_FR))
        }
    }

    fn paragraph(&mut self, who: &str) -> String {
        let n = 1 + self.rng.usize(..4);
        (0..n).map(|_| self.sentence(who)).collect::<Vec<_>>().join(" ")
    }

    /// A date near `day`, at a precision drawn from every kind the record knows.
    fn fuzzy(&mut self, day: NaiveDate) -> String {
        let month = day.format("%Y-%m");
        match self.rng.u32(..100) {
            0..40 => day.to_string(),
            40..60 => month.to_string(),
            60..68 => day.format("%Y").to_string(),
            68..78 => format!("~{month}"),
            78..84 => format!("<{day}"),
            84..90 => format!(">{day}"),
            90..95 => format!("{month}..{}", (day + Duration::days(62)).format("%Y-%m")),
            _ => format!("{day}T{:02}:{:02}:00+01:00", self.rng.u32(8..19), self.rng.u32(..60)),
        }
    }
}

/// Builds the case `slug` with `items` records (see the module docs), seeded by `seed`.
pub fn generate(store: &mut Store, slug: &str, items: usize, seed: u64) -> Result<Generated> {
    if items == 0 || items > MAX_ITEMS {
        return Err(Error::rule(
            "items",
            "out_of_range",
            items.to_string(),
            format!("{items} items: give between 1 and {MAX_ITEMS}"),
        ));
    }
    if case::resolve(store.reader(), slug).is_ok() {
        return Err(Error::Conflict(format!("a case '{slug}' exists already: generate into a new slug")));
    }
    let mut g = Gen { rng: fastrand::Rng::with_seed(seed) };
    store.batch(|s| build(s, &mut g, slug, items))
}

fn build(s: &mut Store, g: &mut Gen, slug: &str, items: usize) -> Result<Generated> {
    let mut out = Generated::default();
    let c = case::create(
        s,
        &CaseInput {
            title: format!("Synthetic dispute {slug}"),
            slug: slug.to_string(),
            summary: format!("A generated case of {items} items, for benchmarks. {}", g.paragraph("Each party")),
            ..Default::default()
        },
    )?;
    out.case_slug = c.slug.clone();

    // Parties: organisations, people and media, each name once; the first two are the disputants.
    let wanted = (12 + items / 2_000).min(60);
    let mut parties: Vec<String> = Vec::new();
    let mut names = std::collections::HashSet::new();
    while parties.len() < wanted {
        let (name, kind) = match parties.len() % 5 {
            3 => (g.pick(PEOPLE).to_string(), "person"),
            4 => (g.pick(MEDIA).to_string(), "media"),
            _ => (format!("{} {}", g.pick(ORG_HEADS), g.pick(ORG_TAILS)), "organisation"),
        };
        let name = if names.contains(&name) { format!("{name} ({})", parties.len()) } else { name };
        names.insert(name.clone());
        parties.push(party::create(s, &PartyInput { name, kind: kind.into(), ..Default::default() })?.id);
    }
    out.parties = parties.len();
    role::add_role(s, &c.id, &parties[0], "claimant", None)?;
    role::add_role(s, &c.id, &parties[1], "respondent", None)?;
    for p in parties.iter().skip(2).filter(|_| g.chance(30)) {
        role::add_role(s, &c.id, p, "third_party", None)?;
    }

    let start = NaiveDate::from_ymd_opt(2009, 1, 1).unwrap_or_default();
    let span = (NaiveDate::from_ymd_opt(2024, 12, 31).unwrap_or_default() - start).num_days();
    let mut letters: Vec<String> = Vec::new();
    let mut allegations: Vec<(String, NaiveDate)> = Vec::new();
    let mut linkable: Vec<String> = Vec::new();
    let mut agreements: Vec<String> = Vec::new();
    for i in 0..items {
        // Items come in date order, with some jitter, so replies and answers follow what they answer.
        let day = start + Duration::days((i as i64 * span) / items as i64 + g.rng.i64(0..3));
        let (a, b) = (g.rng.usize(..parties.len()), g.rng.usize(..parties.len()));
        let (from, to) = (&parties[a], &parties[if a == b { (b + 1) % parties.len() } else { b }]);
        let roll = g.rng.u32(..100);
        let id = if roll < 45 {
            let mut input = EventInput {
                case: c.id.clone(),
                title: g.sentence(&format!("E{i}:")).trim_end_matches('.').to_string(),
                date: g.fuzzy(day),
                description: g.paragraph("La partie"),
                parties: vec![from.clone(), to.clone()],
                ..Default::default()
            };
            if g.chance(33) {
                input.attributions.push(AttributionInput {
                    asserted_by: from.clone(),
                    reported_by: parties[g.rng.usize(..parties.len())].clone(),
                    how: "statement".into(),
                    certainty: g.pick(&["confirmed", "reported", "alleged", "rumoured"]).into(),
                });
            }
            out.events += 1;
            event::create(s, &input)?.id
        } else if roll < 70 {
            let reply = !letters.is_empty() && g.chance(33);
            let deadline = g.chance(33);
            let input = LetterInput {
                case: c.id.clone(),
                channel: g.pick(&["letter", "email", "email", "press_statement", "court_filing"]).into(),
                sender: from.clone(),
                to: vec![to.clone()],
                subject: {
                    let list = if g.chance(50) { SUBJECTS_EN } else { SUBJECTS_FR };
                    format!("L{i}: {}", g.pick(list))
                },
                body: g.paragraph("Nous"),
                date: if deadline { day.to_string() } else { g.fuzzy(day) },
                deadline: if deadline {
                    (day + Duration::days(14 + g.rng.i64(0..30))).to_string()
                } else {
                    String::new()
                },
                in_reply_to: if reply {
                    letters[g.rng.usize(letters.len().saturating_sub(20)..letters.len())].clone()
                } else {
                    String::new()
                },
                ..Default::default()
            };
            out.letters += 1;
            let l = letter::create(s, &input)?;
            letters.push(l.id.clone());
            l.id
        } else if roll < 82 {
            let title = format!("Exhibit {i}: {}", g.pick(SUBJECTS_EN));
            let e = if g.chance(25) {
                let text =
                    (0..(3 + g.rng.usize(..12))).map(|_| g.paragraph("The parties")).collect::<Vec<_>>().join("\n\n");
                let input = FileInput {
                    case: c.id.clone(),
                    path: PathBuf::from(format!("exhibit-{i}.txt")),
                    title,
                    date: day.to_string(),
                    ..Default::default()
                };
                evidence::add_stream(s, &input, Cursor::new(text.into_bytes()))?
            } else {
                let input = EvidenceInput {
                    case: c.id.clone(),
                    kind: "url".into(),
                    title,
                    url: format!("https://example.org/dossier/{slug}/{i}"),
                    publisher: g.pick(MEDIA).into(),
                    date: g.fuzzy(day),
                    ..Default::default()
                };
                evidence::create(s, &input)?
            };
            for _ in 0..(1 + g.rng.usize(..3)).min(linkable.len()) {
                let record = linkable[g.rng.usize(linkable.len().saturating_sub(200)..linkable.len())].clone();
                let pinpoint = if g.chance(50) {
                    format!("p. {}", 1 + g.rng.u32(..40))
                } else {
                    format!("¶ {}", 1 + g.rng.u32(..30))
                };
                if evidence::link(s, &LinkInput { evidence: e.id.clone(), record, pinpoint, ..Default::default() })
                    .is_ok()
                {
                    out.links += 1;
                }
            }
            out.evidence += 1;
            e.id
        } else if roll < 88 {
            let input = AllegationInput {
                case: c.id.clone(),
                made_by: from.clone(),
                against: to.clone(),
                raised_in: letters.last().cloned().unwrap_or_default(),
                agreement: agreements.last().cloned().unwrap_or_default(),
                summary: g.sentence(&format!("A{i}:")).trim_end_matches('.').to_string(),
                detail: g.paragraph("Il est allégué que la partie"),
                date: day.to_string(),
                ..Default::default()
            };
            let a = allegation::create(s, &input)?;
            for k in 0..(1 + g.rng.usize(..3)) {
                let status = g.pick(&["under_review", "disputed", "admitted", "withdrawn", "upheld", "dismissed"]);
                let date = (day + Duration::days(10 * (k as i64 + 1))).to_string();
                allegation::set_status(s, &a.id, &StatusInput { status: status.into(), date, ..Default::default() })?;
                out.status_changes += 1;
            }
            allegations.push((a.id.clone(), day));
            out.allegations += 1;
            a.id
        } else if roll < 96 && !allegations.is_empty() {
            let (answered, when) =
                allegations[g.rng.usize(allegations.len().saturating_sub(10)..allegations.len())].clone();
            let input = ResponseInput {
                allegations: vec![answered],
                by: to.clone(),
                stance: g.pick(&["denies", "admits", "partly_admits", "will_review", "no_comment"]).into(),
                text: g.paragraph("La défenderesse"),
                date: (when.max(day) + Duration::days(1)).to_string(),
                ..Default::default()
            };
            out.responses += 1;
            response::create(s, &input)?.id
        } else {
            let input = AgreementInput {
                case: c.id.clone(),
                title: format!("Agreement {i}: {}", g.pick(SUBJECTS_EN)),
                kind: g.pick(&["licence", "data sharing", "services", "settlement"]).into(),
                parties: vec![from.clone(), to.clone()],
                effective: g.fuzzy(day),
                terms: g.paragraph("The licensee"),
                ..Default::default()
            };
            let a = agreement::create(s, &input)?;
            for k in 0..(2 + g.rng.usize(..5)) {
                let text = g.paragraph("The licensee");
                agreement::add_clause(
                    s,
                    &a.id,
                    &ClauseInput { reference: format!("{}.{}", 1 + k / 3, 1 + k % 3), text },
                )?;
                out.clauses += 1;
            }
            agreements.push(a.id.clone());
            out.agreements += 1;
            a.id
        };
        linkable.push(id);
    }
    Ok(out)
}
