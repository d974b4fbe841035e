//! Synthetic cases for benchmarks and for trying the app at scale (`dossier gen`): a case of N items
//! that looks like a long dispute, written as an import is: one write, each record checked as when it
//! is typed in, the images logged a hundred records to a change-log entry (so it is whole or absent,
//! and as quick as the bulk path makes it). The same seed gives the same case.
//!
//! What a case holds, for N items: about 45% events, 25% letters (a third of them replies, a third
//! with a response deadline), 12% evidence (a quarter text files in the store, the rest web pages),
//! 6% allegations (each with one to three later status changes), 8% responses and 4% agreements (two
//! to six clauses each); 12 to 60 parties with roles. Dates span 2009–2024 and use every precision the record
//! knows (year, month, day, instant, about, before, after, between). Text is in English and French,
//! one to four sentences. Evidence is linked to earlier records with pinpoints; a third of the events
//! carry an attribution.

pub mod documents;

mod drawn;

use std::path::PathBuf;

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::record::agreement::{AgreementInput, ClauseInput};
use crate::record::allegation::{AllegationInput, StatusInput};
use crate::record::attribution::AttributionInput;
use crate::record::case::{self, CaseInput};
use crate::record::event::EventInput;
use crate::record::evidence::{self, EvidenceInput, FileInput, LinkInput};
use crate::record::letter::LetterInput;
use crate::record::party::PartyInput;
use crate::record::response::ResponseInput;
use crate::store::{registry, Store, RECORDS_PER_ENTRY};
use drawn::Drawn;

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
    fn new(seed: u64) -> Gen {
        Gen { rng: fastrand::Rng::with_seed(seed) }
    }

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

/// What the change log records of a generated case, in each entry of its one write.
#[derive(Serialize)]
struct GenerateDetail<'a> {
    case: &'a str,
    items: usize,
    seed: u64,
    /// Which entry of the write this is, from 1, when it took more than one.
    #[serde(skip_serializing_if = "Option::is_none")]
    part: Option<usize>,
    /// In the last entry: what was generated.
    #[serde(skip_serializing_if = "Option::is_none")]
    generated: Option<Generated>,
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
    // The write would refuse it, but only after the files were put in the evidence store.
    store.refuse_if_read_only()?;
    // The write names the case before it exists, so its id is made here.
    let case_id = registry::new_id();
    // A file goes into the evidence store before the write, which has no hand on the store: a first
    // draw stages the files, then the same draw (the same seed) writes the case. Drawing twice costs
    // far less than the write, and holds only the staged files in memory, never the whole case. The
    // files are flushed to disk together.
    let reading: &Store = store;
    let staged = reading.blobs().flushed_at_once(|| {
        let mut staged = Vec::new();
        draw(Gen::new(seed), &case_id, slug, items, &mut |record| {
            if let Drawn::File(input, text) = record {
                staged.push(evidence::stage_for(reading, case_id.clone(), input, text.as_bytes())?);
            }
            Ok(String::new())
        })?;
        Ok(staged)
    })?;
    let detail = |part: usize, parts: usize, made: &Generated| {
        Ok(GenerateDetail {
            case: slug,
            items,
            seed,
            part: (parts > 1).then_some(part),
            generated: (part == parts).then(|| made.clone()),
        })
    };
    let mut files = staged.into_iter();
    store.write_in_parts("generate case", Some(&case_id), RECORDS_PER_ENTRY, detail, |w| {
        draw(Gen::new(seed), &case_id, slug, items, &mut |record| drawn::write(w, record, &mut files))
    })
}

/// Draws the case `slug`, whose id is `case_id`, from `g`, handing each record to `put` as soon as it
/// is drawn (after the records it names), which returns its id. The draw depends only on `g`: what
/// `put` does and the ids it returns change nothing of the case.
fn draw(
    g: Gen,
    case_id: &str,
    slug: &str,
    items: usize,
    put: &mut dyn FnMut(Drawn<'_>) -> Result<String>,
) -> Result<Generated> {
    let mut d = Drawing {
        g,
        case_id,
        slug,
        put,
        parties: Vec::new(),
        letters: Vec::new(),
        allegations: Vec::new(),
        linkable: Vec::new(),
        agreements: Vec::new(),
        out: Generated { case_slug: slug.trim().to_string(), ..Default::default() },
    };
    d.case(items)?;
    d.parties(items)?;
    let start = NaiveDate::from_ymd_opt(2009, 1, 1).unwrap_or_default();
    let span = (NaiveDate::from_ymd_opt(2024, 12, 31).unwrap_or_default() - start).num_days();
    for i in 0..items {
        // Items come in date order, with some jitter, so replies and answers follow what they answer.
        let day = start + Duration::days((i as i64 * span) / items as i64 + d.g.rng.i64(0..3));
        let id = d.item(i, day)?;
        d.linkable.push(id);
    }
    Ok(d.out)
}

/// A draw under way: the records drawn so far that later ones name, and the tally.
struct Drawing<'a> {
    g: Gen,
    case_id: &'a str,
    slug: &'a str,
    put: &'a mut dyn FnMut(Drawn<'_>) -> Result<String>,
    parties: Vec<String>,
    letters: Vec<String>,
    /// With the day each was raised.
    allegations: Vec<(String, NaiveDate)>,
    linkable: Vec<String>,
    agreements: Vec<String>,
    out: Generated,
}

impl Drawing<'_> {
    fn case(&mut self, items: usize) -> Result<()> {
        let input = CaseInput {
            title: format!("Synthetic dispute {}", self.slug),
            slug: self.slug.to_string(),
            summary: format!("A generated case of {items} items, for benchmarks. {}", self.g.paragraph("Each party")),
            ..Default::default()
        };
        (self.put)(Drawn::Case(self.case_id, &input))?;
        Ok(())
    }

    /// Organisations, people and media, each name once; the first two are the disputants.
    fn parties(&mut self, items: usize) -> Result<()> {
        let g = &mut self.g;
        let wanted = (12 + items / 2_000).min(60);
        let mut names = std::collections::HashSet::new();
        while self.parties.len() < wanted {
            let (name, kind) = match self.parties.len() % 5 {
                3 => (g.pick(PEOPLE).to_string(), "person"),
                4 => (g.pick(MEDIA).to_string(), "media"),
                _ => (format!("{} {}", g.pick(ORG_HEADS), g.pick(ORG_TAILS)), "organisation"),
            };
            let name = if names.contains(&name) { format!("{name} ({})", self.parties.len()) } else { name };
            names.insert(name.clone());
            self.parties.push((self.put)(Drawn::Party(&PartyInput { name, kind: kind.into(), ..Default::default() }))?);
        }
        self.out.parties = self.parties.len();
        (self.put)(Drawn::Role(self.case_id, &self.parties[0], "claimant"))?;
        (self.put)(Drawn::Role(self.case_id, &self.parties[1], "respondent"))?;
        for p in self.parties.iter().skip(2).filter(|_| g.chance(30)) {
            (self.put)(Drawn::Role(self.case_id, p, "third_party"))?;
        }
        Ok(())
    }

    /// The item `i`, on `day` or near it, between two parties drawn; returns its id.
    fn item(&mut self, i: usize, day: NaiveDate) -> Result<String> {
        let n = self.parties.len();
        let (a, b) = (self.g.rng.usize(..n), self.g.rng.usize(..n));
        let (from, to) = (self.parties[a].clone(), self.parties[if a == b { (b + 1) % n } else { b }].clone());
        let roll = self.g.rng.u32(..100);
        if roll < 45 {
            self.event(i, day, &from, &to)
        } else if roll < 70 {
            self.letter(i, day, &from, &to)
        } else if roll < 82 {
            self.evidence(i, day)
        } else if roll < 88 {
            self.allegation(i, day, &from, &to)
        } else if roll < 96 && !self.allegations.is_empty() {
            self.response(day, &to)
        } else {
            self.agreement(i, day, &from, &to)
        }
    }

    fn event(&mut self, i: usize, day: NaiveDate, from: &str, to: &str) -> Result<String> {
        let g = &mut self.g;
        let mut input = EventInput {
            case: self.case_id.to_string(),
            title: g.sentence(&format!("E{i}:")).trim_end_matches('.').to_string(),
            date: g.fuzzy(day),
            description: g.paragraph("La partie"),
            parties: vec![from.to_string(), to.to_string()],
            ..Default::default()
        };
        if g.chance(33) {
            input.attributions.push(AttributionInput {
                asserted_by: from.to_string(),
                reported_by: self.parties[g.rng.usize(..self.parties.len())].clone(),
                how: "statement".into(),
                certainty: g.pick(&["confirmed", "reported", "alleged", "rumoured"]).into(),
            });
        }
        self.out.events += 1;
        (self.put)(Drawn::Event(&input))
    }

    /// A letter: a third of them replies to a recent one, a third with a response deadline.
    fn letter(&mut self, i: usize, day: NaiveDate, from: &str, to: &str) -> Result<String> {
        let g = &mut self.g;
        let reply = !self.letters.is_empty() && g.chance(33);
        let deadline = g.chance(33);
        let input = LetterInput {
            case: self.case_id.to_string(),
            channel: g.pick(&["letter", "email", "email", "press_statement", "court_filing"]).into(),
            sender: from.to_string(),
            to: vec![to.to_string()],
            subject: {
                let list = if g.chance(50) { SUBJECTS_EN } else { SUBJECTS_FR };
                format!("L{i}: {}", g.pick(list))
            },
            body: g.paragraph("Nous"),
            date: if deadline { day.to_string() } else { g.fuzzy(day) },
            deadline: if deadline { (day + Duration::days(14 + g.rng.i64(0..30))).to_string() } else { String::new() },
            in_reply_to: if reply {
                self.letters[g.rng.usize(self.letters.len().saturating_sub(20)..self.letters.len())].clone()
            } else {
                String::new()
            },
            ..Default::default()
        };
        self.out.letters += 1;
        let id = (self.put)(Drawn::Letter(&input))?;
        self.letters.push(id.clone());
        Ok(id)
    }

    /// A text file (a quarter of them) or a web page, linked to one to three recent records.
    fn evidence(&mut self, i: usize, day: NaiveDate) -> Result<String> {
        let g = &mut self.g;
        let title = format!("Exhibit {i}: {}", g.pick(SUBJECTS_EN));
        let id = if g.chance(25) {
            let text =
                (0..(3 + g.rng.usize(..12))).map(|_| g.paragraph("The parties")).collect::<Vec<_>>().join("\n\n");
            let input = FileInput {
                case: self.case_id.to_string(),
                path: PathBuf::from(format!("exhibit-{i}.txt")),
                title,
                date: day.to_string(),
                ..Default::default()
            };
            (self.put)(Drawn::File(&input, &text))?
        } else {
            let input = EvidenceInput {
                case: self.case_id.to_string(),
                kind: "url".into(),
                title,
                url: format!("https://example.org/dossier/{}/{i}", self.slug),
                publisher: g.pick(MEDIA).into(),
                date: g.fuzzy(day),
                ..Default::default()
            };
            (self.put)(Drawn::Url(&input))?
        };
        let linkable = &self.linkable;
        for _ in 0..(1 + g.rng.usize(..3)).min(linkable.len()) {
            let record = linkable[g.rng.usize(linkable.len().saturating_sub(200)..linkable.len())].clone();
            let pinpoint = if g.chance(50) {
                format!("p. {}", 1 + g.rng.u32(..40))
            } else {
                format!("¶ {}", 1 + g.rng.u32(..30))
            };
            (self.put)(Drawn::Link(&LinkInput { evidence: id.clone(), record, pinpoint, ..Default::default() }))?;
            self.out.links += 1;
        }
        self.out.evidence += 1;
        Ok(id)
    }

    /// An allegation raised in the last letter, under the last agreement, with one to three later
    /// changes of status.
    fn allegation(&mut self, i: usize, day: NaiveDate, from: &str, to: &str) -> Result<String> {
        let g = &mut self.g;
        let input = AllegationInput {
            case: self.case_id.to_string(),
            made_by: from.to_string(),
            against: to.to_string(),
            raised_in: self.letters.last().cloned().unwrap_or_default(),
            agreement: self.agreements.last().cloned().unwrap_or_default(),
            summary: g.sentence(&format!("A{i}:")).trim_end_matches('.').to_string(),
            detail: g.paragraph("Il est allégué que la partie"),
            date: day.to_string(),
            ..Default::default()
        };
        let id = (self.put)(Drawn::Allegation(&input))?;
        for k in 0..(1 + g.rng.usize(..3)) {
            let status = g.pick(&["under_review", "disputed", "admitted", "withdrawn", "upheld", "dismissed"]);
            let date = (day + Duration::days(10 * (k as i64 + 1))).to_string();
            (self.put)(Drawn::Status(&id, &StatusInput { status: status.into(), date, ..Default::default() }))?;
            self.out.status_changes += 1;
        }
        self.allegations.push((id.clone(), day));
        self.out.allegations += 1;
        Ok(id)
    }

    /// A response by `to` to one of the last ten allegations, after it was raised.
    fn response(&mut self, day: NaiveDate, to: &str) -> Result<String> {
        let g = &mut self.g;
        let recent = self.allegations.len().saturating_sub(10)..self.allegations.len();
        let (answered, when) = self.allegations[g.rng.usize(recent)].clone();
        let input = ResponseInput {
            allegations: vec![answered],
            by: to.to_string(),
            stance: g.pick(&["denies", "admits", "partly_admits", "will_review", "no_comment"]).into(),
            text: g.paragraph("La défenderesse"),
            date: (when.max(day) + Duration::days(1)).to_string(),
            ..Default::default()
        };
        self.out.responses += 1;
        (self.put)(Drawn::Response(&input))
    }

    /// An agreement between the two parties, with two to six clauses.
    fn agreement(&mut self, i: usize, day: NaiveDate, from: &str, to: &str) -> Result<String> {
        let g = &mut self.g;
        let input = AgreementInput {
            case: self.case_id.to_string(),
            title: format!("Agreement {i}: {}", g.pick(SUBJECTS_EN)),
            kind: g.pick(&["licence", "data sharing", "services", "settlement"]).into(),
            parties: vec![from.to_string(), to.to_string()],
            effective: g.fuzzy(day),
            terms: g.paragraph("The licensee"),
            ..Default::default()
        };
        let id = (self.put)(Drawn::Agreement(&input))?;
        for k in 0..(2 + g.rng.usize(..5)) {
            let text = g.paragraph("The licensee");
            let clause = ClauseInput { reference: format!("{}.{}", 1 + k / 3, 1 + k % 3), text };
            (self.put)(Drawn::Clause(&id, &clause))?;
            self.out.clauses += 1;
        }
        self.agreements.push(id.clone());
        self.out.agreements += 1;
        Ok(id)
    }
}
