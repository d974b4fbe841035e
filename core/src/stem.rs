//! Word forms for search: the stems of a text's words (Snowball, through `rust-stemmers`), so
//! "rate limits" is found by "rate limit", "redevance" by "redevances" and "иски" by "иск".
//!
//! English and French, the languages of most cases, are not guessed: every word is stemmed both ways
//! (a case mixes them). For the other languages Snowball has (Russian, German, Spanish, Italian,
//! Portuguese, Dutch, Arabic, Greek, …) the language of each script's words in a text is detected
//! (`whatlang`), and those words get that language's stems too, each marked with the language
//! ([`TAG`]), so that a query word stemmed as German only meets German text.
//!
//! Words are compared after Unicode's full case folding (`caseless`): "Straße" and "STRASSE" are one
//! word, and so are "ΟΔΟΣ" and "οδός". The stems go in their own column of the search index
//! (`store::derived`), only where they differ from the word, and a query word matches either its
//! exact form or one of its forms, among the words or the stems (`view::search`).

use std::collections::{BTreeSet, HashMap, HashSet};

use caseless::Caseless;
use rust_stemmers::{Algorithm, Stemmer};
use unicode_script::{Script, UnicodeScript};
use whatlang::Lang;

/// Words shorter than this are not stemmed ("a", "de", "le" carry no useful form).
const MIN_WORD: usize = 3;
/// Longest word stemmed; longer "words" (hashes, encoded data) are left out of the stems.
const MAX_WORD: usize = 40;
/// Most bytes of one script's words read to tell their language: a paragraph is plenty, and the
/// detector's time grows with what it reads.
const DETECT_CHARS: usize = 1_000;

/// Joins a language's code to a form of a word in that language (`de` + `vertrag`): a private-use
/// character, which the index's tokenizer keeps inside a token and no language writes, so the tagged
/// form is one token that no word of a text can be.
pub const TAG: char = '\u{E000}';

/// The Snowball languages other than English and French, each with the script it is written in.
const OTHERS: &[(Lang, Algorithm, &str, Script)] = &[
    (Lang::Ara, Algorithm::Arabic, "ar", Script::Arabic),
    (Lang::Dan, Algorithm::Danish, "da", Script::Latin),
    (Lang::Nld, Algorithm::Dutch, "nl", Script::Latin),
    (Lang::Fin, Algorithm::Finnish, "fi", Script::Latin),
    (Lang::Deu, Algorithm::German, "de", Script::Latin),
    (Lang::Ell, Algorithm::Greek, "el", Script::Greek),
    (Lang::Hun, Algorithm::Hungarian, "hu", Script::Latin),
    (Lang::Ita, Algorithm::Italian, "it", Script::Latin),
    (Lang::Nob, Algorithm::Norwegian, "no", Script::Latin),
    (Lang::Por, Algorithm::Portuguese, "pt", Script::Latin),
    (Lang::Ron, Algorithm::Romanian, "ro", Script::Latin),
    (Lang::Rus, Algorithm::Russian, "ru", Script::Cyrillic),
    (Lang::Spa, Algorithm::Spanish, "es", Script::Latin),
    (Lang::Swe, Algorithm::Swedish, "sv", Script::Latin),
    (Lang::Tam, Algorithm::Tamil, "ta", Script::Tamil),
    (Lang::Tur, Algorithm::Turkish, "tr", Script::Latin),
];

/// A word in Unicode's full case folding: lower case, "ß" as "ss", final "ς" as "σ".
pub fn fold(word: &str) -> String {
    word.chars().default_case_fold().collect()
}

/// Whether a word is one to stem: neither too short nor too long, nor made of digits.
fn stemmable(word: &str) -> bool {
    let n = word.chars().count();
    (MIN_WORD..=MAX_WORD).contains(&n) && !word.chars().all(|c| c.is_numeric())
}

/// The distinct English and French stems of one word (one when both agree); none for a word too
/// short or too long to stem, or made of digits.
pub fn of_word(word: &str) -> Vec<String> {
    if !stemmable(word) {
        return Vec::new();
    }
    let folded = fold(word);
    let mut out: Vec<String> = Vec::with_capacity(2);
    for algorithm in [Algorithm::English, Algorithm::French] {
        let stem = Stemmer::create(algorithm).stem(&folded).into_owned();
        if !stem.is_empty() && !out.contains(&stem) {
            out.push(stem);
        }
    }
    out
}

/// A word's forms in one other language, tagged with it: its stem and the word itself, so that a
/// word whose stem is another word finds it ("Газпрома", stemmed "газпром", finds "Газпром", whose
/// own stem is "газпр").
fn tagged(word: &str, (_, algorithm, code, _): &(Lang, Algorithm, &str, Script)) -> [String; 2] {
    let folded = fold(word);
    let stem = Stemmer::create(*algorithm).stem(&folded).into_owned();
    [format!("{code}{TAG}{stem}"), format!("{code}{TAG}{folded}")]
}

/// The script a word is written in: that of its first letter.
fn script_of(word: &str) -> Option<Script> {
    word.chars()
        .filter(|c| c.is_alphabetic())
        .map(|c| c.script())
        .find(|s| !matches!(s, Script::Common | Script::Inherited))
}

/// Every form a query word can be found by: its English and French stems, and its tagged forms in
/// each other language written in its script (the language of a word or two cannot be told, and a
/// tagged form only meets text of its language).
pub fn forms(word: &str) -> Vec<String> {
    let mut out = of_word(word);
    if stemmable(word) {
        let script = script_of(word);
        for language in OTHERS.iter().filter(|l| Some(l.3) == script) {
            for form in tagged(word, language) {
                if !out.contains(&form) {
                    out.push(form);
                }
            }
        }
    }
    out
}

/// Every distinct form of the words of `text`, space-separated, in a stable order: each word's
/// English and French stems where they differ from the word (the index holds the word already, and
/// most short words are their own stem), and the tagged forms of the words of each script whose language was
/// detected as another Snowball language. Words are split as the index splits them: at every
/// character that is not a letter or a digit.
pub fn of_text(text: &str) -> String {
    let mut by_script: HashMap<Script, Vec<&str>> = HashMap::new();
    let mut seen = HashSet::new();
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        // Each distinct word is stemmed once: a long text repeats most of its words.
        if seen.insert(word) && stemmable(word) {
            if let Some(script) = script_of(word) {
                by_script.entry(script).or_default().push(word);
            }
        }
    }
    let mut stems = BTreeSet::new();
    for word in &seen {
        stems.extend(of_word(word).into_iter().filter(|stem| !indexed_as(stem, word)));
    }
    for (script, words) in by_script {
        let Some(language) = language_of(script, &words) else { continue };
        for word in words {
            stems.extend(tagged(word, language));
        }
    }
    stems.into_iter().collect::<Vec<_>>().join(" ")
}

/// Whether the index already holds `form` as the word `word` itself: the form is the word in lower
/// case, and folding changes nothing more ("ß" and final "ς" do, and keep their form). Such a form is
/// left out of a text's forms, since a query looks for forms among the words too.
fn indexed_as(form: &str, word: &str) -> bool {
    let lower = word.to_lowercase();
    form == lower && lower == fold(word)
}

/// The other Snowball language the words of one script are written in, if it is one.
fn language_of(script: Script, words: &[&str]) -> Option<&'static (Lang, Algorithm, &'static str, Script)> {
    if !OTHERS.iter().any(|l| l.3 == script) {
        return None;
    }
    let mut sample = String::new();
    for word in words {
        if sample.len() + word.len() >= DETECT_CHARS {
            break;
        }
        sample.push_str(word);
        sample.push(' ');
    }
    let lang = detector().detect(&sample)?.lang();
    OTHERS.iter().find(|l| l.0 == lang && l.3 == script)
}

/// The language detector, told apart among the languages that matter here in the Latin script (the
/// Snowball ones, English and French) and among all of the other scripts' languages. Scoring 14
/// Latin languages rather than 37 was most of its time, the largest part of a write's.
fn detector() -> &'static whatlang::Detector {
    static DETECTOR: std::sync::OnceLock<whatlang::Detector> = std::sync::OnceLock::new();
    DETECTOR.get_or_init(|| {
        let kept = |l: &Lang| matches!(l, Lang::Eng | Lang::Fra) || OTHERS.iter().any(|o| o.0 == *l);
        let others = whatlang::Script::Latin.langs().iter().copied().filter(|l| !kept(l)).collect();
        whatlang::Detector::with_denylist(others)
    })
}
