//! `dossier redact`: a redacted copy of a document, kept as new evidence beside its original (which
//! is never changed); the copy's id is printed last. What is redacted is given as boxes, or found:
//! words in their forms (`--find`), a party's names and aliases (`--party`), named patterns
//! (`--pattern`); `--dry-run` lists what was found and writes nothing.

use clap::Args;
use dossier_core::date::Lang;
use dossier_core::record::evidence::redact::{self, BoxInput, FindInput, RedactInput};
use dossier_core::vocabulary::TextState;
use dossier_core::{Error, Result, Store};

use crate::output::Out;

#[derive(Args)]
pub struct RedactArgs {
    /// The evidence whose file is redacted: a PDF, a picture (redacted as a PDF of itself with the
    /// words OCR reads), or a Word, OpenDocument or e-mail file (as a PDF of its text); the copy's
    /// note says which.
    id: String,
    /// A box: PAGE:x,y,width,height in points from the page's top left corner, then optionally
    /// :REASON (personal_data, privilege, third_party, commercial, other); repeat for several.
    #[arg(long = "box", value_name = "PAGE:x,y,w,h[:REASON]", required_unless_present_any = ["find", "pattern", "party"])]
    boxes: Vec<String>,
    /// A word or phrase to redact wherever it stands, in any case, with or without accents, and in
    /// its other forms (plural, conjugated: "redevances" finds "redevance"); repeat for several.
    #[arg(long, value_name = "TEXT")]
    find: Vec<String>,
    /// A party (id, name or alias) whose name and every alias are redacted; repeat for several.
    #[arg(long, value_name = "PARTY_ID")]
    party: Vec<String>,
    /// A kind of personal data to redact: email, phone, iban, nir (French social security number)
    /// or ssn (US social security number); repeat for several.
    #[arg(long, value_name = "NAME")]
    pattern: Vec<String>,
    /// Why what is found is redacted: personal_data (the default), privilege, third_party,
    /// commercial, other.
    #[arg(long, value_name = "REASON", default_value = "")]
    reason: String,
    /// What "other" means, or a note for the redaction log, for what is found.
    #[arg(long, value_name = "TEXT", default_value = "")]
    note: String,
    /// List what --find, --party and --pattern find (page, box, text) and write nothing.
    #[arg(long)]
    dry_run: bool,
}

pub fn run(store: &mut Store, out: &Out, args: RedactArgs) -> Result<()> {
    let mut boxes = args.boxes.iter().map(|b| parse(b)).collect::<Result<Vec<_>>>()?;
    let query = FindInput { words: args.find, parties: args.party, patterns: args.pattern };
    let searched = !(query.words.is_empty() && query.parties.is_empty() && query.patterns.is_empty());
    if args.dry_run && !searched {
        return Err(Error::rule(
            "dry-run",
            "nothing_to_find",
            None,
            "--dry-run lists what --find, --party or --pattern find: give one",
        ));
    }
    if searched {
        let hits = redact::find(store, &args.id, &query)?;
        redact::each_found(&query, &hits)?;
        if args.dry_run {
            let mut lines: Vec<String> = hits
                .iter()
                .map(|h| format!("{}:{:.1},{:.1},{:.1},{:.1}\t{}", h.page, h.x, h.y, h.width, h.height, h.text))
                .collect();
            lines.push(match out.language() {
                Lang::Fr => format!("{} endroit(s) trouvé(s) ; rien n'a été écrit", hits.len()),
                Lang::En => format!("{} place(s) found; nothing was written", hits.len()),
            });
            return out.either(&hits, &lines);
        }
        boxes.extend(hits.iter().map(|h| BoxInput { note: args.note.clone(), ..h.to_box(&args.reason) }));
    }
    let lang = if out.language() == Lang::Fr { "fr" } else { "en" };
    let mut copy = redact::redact(store, &RedactInput { evidence: args.id, boxes, lang: lang.into() })?;
    // The copy's text is read now, as `evidence add-file` reads a file's: the copy is kept either way.
    if copy.text.as_ref().is_some_and(|t| t.state == TextState::Pending) {
        match crate::evidence::read_text(store, out, &copy.id) {
            Ok(read) => copy = read,
            Err(error) => crate::evidence::text_not_read(&format!("the redacted copy {} was made", copy.id), &error),
        }
    }
    out.created(&copy.id, &copy)
}

/// `2:72,100,200,14:privilege` as a box.
fn parse(text: &str) -> Result<BoxInput> {
    let bad = || {
        Error::rule(
            "box",
            "bad_box",
            text.to_string(),
            format!("'{text}' is not a box: write PAGE:x,y,width,height[:REASON], e.g. 1:72,100,200,14:personal_data"),
        )
    };
    let mut parts = text.trim().splitn(3, ':');
    let page = parts.next().and_then(|p| p.trim().parse::<u32>().ok()).ok_or_else(bad)?;
    let numbers: Vec<f64> = parts
        .next()
        .ok_or_else(bad)?
        .split(',')
        .map(|n| n.trim().parse::<f64>().map_err(|_| bad()))
        .collect::<Result<_>>()?;
    let [x, y, width, height] = numbers[..] else { return Err(bad()) };
    let reason = parts.next().unwrap_or_default().trim().to_string();
    Ok(BoxInput { page, x, y, width, height, reason, note: String::new() })
}
