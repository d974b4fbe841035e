//! `dossier redact`: a redacted copy of a PDF evidence's file, kept as new evidence beside its
//! original (which is never changed); the copy's id is printed last.

use clap::Args;
use dossier_core::record::evidence::redact::{self, BoxInput, RedactInput};
use dossier_core::vocabulary::TextState;
use dossier_core::{Error, Result, Store};

use crate::output::Out;

#[derive(Args)]
pub struct RedactArgs {
    /// The evidence whose file is redacted (a PDF).
    id: String,
    /// A box: PAGE:x,y,width,height in points from the page's top left corner, then optionally
    /// :REASON (personal_data, privilege, third_party, commercial, other); repeat for several.
    #[arg(long = "box", value_name = "PAGE:x,y,w,h[:REASON]", required = true)]
    boxes: Vec<String>,
}

pub fn run(store: &mut Store, out: &Out, args: RedactArgs) -> Result<()> {
    let boxes = args.boxes.iter().map(|b| parse(b)).collect::<Result<Vec<_>>>()?;
    let lang = if out.language() == dossier_core::date::Lang::Fr { "fr" } else { "en" };
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
