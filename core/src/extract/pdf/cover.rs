//! What covers a PDF's pages: how much of each its pictures cover, and how much the boxes of its
//! words, each as a share of the page's area. Poppler measures both, run through `process` like the
//! other programs: `pdfimages -list` gives each picture a page draws, its size in pixels and the
//! resolution it is drawn at (so the area it covers, in points), and `pdftotext -bbox` gives each
//! page's size and the box of each of its words. Neither writes a picture anywhere.
//!
//! Their output is read a line at a time and only the first bytes of a line are kept, so a page of
//! countless words or pictures costs time (bounded like any program's), not memory.

use std::io::{BufRead, BufReader, Read};

use super::TEXT_SECONDS;
use crate::error::{Error, Result};
use crate::extract::process::{self, Program};
use crate::extract::Open;

/// The bytes of an output line kept: a word's or a picture's numbers come first, and the text after
/// them is not needed.
const LINE: u64 = 512;

/// How much of one page is covered, each from 0 (nothing) to 1 (all of it).
#[derive(Debug, Clone, Copy)]
pub(super) struct Cover {
    pub pictures: f64,
    pub words: f64,
}

/// How much of each page from `first` to `last` (from 0) its pictures and its words cover.
pub(super) fn measure(open: &Open<'_>, first: usize, last: usize) -> Result<Vec<Cover>> {
    // Each page's area, and its words' area, in square points.
    let mut pages: Vec<(f64, f64)> = Vec::new();
    let bbox = Program { name: "pdftotext", args: range("-bbox", first, last, &["-", "-"]), seconds: TEXT_SECONDS };
    process::run(&bbox, open()?, |out| {
        lines(out, |line| {
            let line = line.trim_start();
            if line.starts_with("<page ") && pages.len() <= last - first {
                let side = |name| attribute(line, name).unwrap_or(0.0).max(0.0);
                pages.push((side("width") * side("height"), 0.0));
            } else if line.starts_with("<word ") {
                if let (Some(page), Some(area)) = (pages.last_mut(), word_area(line)) {
                    page.1 += area;
                }
            }
        })
    })?;
    let mut pictures = vec![0.0; pages.len()];
    let list = Program { name: "pdfimages", args: range("-list", first, last, &["-"]), seconds: TEXT_SECONDS };
    process::run(&list, open()?, |out| {
        lines(out, |line| {
            let Some((page, area)) = picture(line) else { return };
            if let Some(total) = page.checked_sub(first + 1).and_then(|i| pictures.get_mut(i)) {
                *total += area;
            }
        })
    })?;
    Ok(pages
        .iter()
        .zip(pictures)
        .map(|(&(size, words), area)| Cover { pictures: share(area, size), words: share(words, size) })
        .collect())
}

/// The arguments `option -f FIRST -l LAST rest…` (pages from 1).
fn range(option: &str, first: usize, last: usize, rest: &[&str]) -> Vec<String> {
    let mut args = vec![option.to_string(), "-f".into(), (first + 1).to_string(), "-l".into(), (last + 1).to_string()];
    args.extend(rest.iter().map(|a| a.to_string()));
    args
}

/// `area` as a share of `size`, at most the whole page (pictures may overlap or spill over its edge).
fn share(area: f64, size: f64) -> f64 {
    if size > 0.0 {
        (area / size).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// The page (from 1) and the area in square points of one picture in a line of `pdfimages -list`:
/// `page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio`. A mask
/// (`smask`, `mask`) is the transparency of a picture listed too, so it is not counted again; a
/// stencil (a one-colour picture, as some scanners make) is.
fn picture(line: &str) -> Option<(usize, f64)> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    if fields.len() < 14 || !matches!(fields[2], "image" | "stencil") {
        return None;
    }
    let number = |i: usize| fields[i].parse::<f64>().ok().filter(|n| n.is_finite() && *n > 0.0);
    let page = fields[0].parse::<usize>().ok()?;
    // Pixels over pixels per inch, times 72 points an inch.
    let side = |pixels: usize, ppi: usize| Some(number(pixels)? / number(ppi)? * 72.0);
    Some((page, side(3, 12)? * side(4, 13)?))
}

/// The area of a `<word xMin=".." yMin=".." xMax=".." yMax="..">` line, in square points.
fn word_area(line: &str) -> Option<f64> {
    let width = attribute(line, "xMax")? - attribute(line, "xMin")?;
    let height = attribute(line, "yMax")? - attribute(line, "yMin")?;
    Some(width.max(0.0) * height.max(0.0))
}

/// The number in ` name="…"` of an element's line. A word's own text cannot hold a `"`: it is
/// written `&quot;`.
fn attribute(line: &str, name: &str) -> Option<f64> {
    let at = line.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = at + line[at..].find('"')?;
    line[at..end].parse().ok().filter(|n: &f64| n.is_finite())
}

/// Calls `each` with every line of `out`, cut to its first [`LINE`] bytes.
fn lines(out: &mut impl Read, mut each: impl FnMut(&str)) -> Result<()> {
    let failed = |e: std::io::Error| Error::internal(format!("measuring the pages: {e}"));
    let mut reader = BufReader::new(out);
    let mut line = Vec::new();
    loop {
        line.clear();
        let read = (&mut reader).take(LINE).read_until(b'\n', &mut line).map_err(failed)?;
        if read == 0 {
            return Ok(());
        }
        if line.last() != Some(&b'\n') {
            reader.skip_until(b'\n').map_err(failed)?;
        }
        each(&String::from_utf8_lossy(&line));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_picture_covers_its_pixels_at_its_resolution_and_a_mask_adds_nothing() {
        let check = |line: &str, expect: Option<(usize, f64)>| assert_eq!(picture(line), expect, "{line}");
        let header = "page   num  type   width height color comp bpc  enc interp  object ID x-ppi y-ppi size ratio";
        check(header, None);
        check(&"-".repeat(92), None);
        // 1240 × 1754 pixels at 150 ppi: 595.2 × 841.92 points, an A4 page.
        let scan = "   3     0 image    1240  1754  gray    1   8  jpeg   no        12  0   150   150 98.1K 4.6%";
        check(scan, Some((3, (1240.0 / 150.0 * 72.0) * (1754.0 / 150.0 * 72.0))));
        check(
            "   1     1 stencil   100   100  -       1   1  ccitt  no        9  0    72    72  2K 16%",
            Some((1, 10_000.0)),
        );
        check("   1     2 smask    1240  1754  gray    1   8  image  no        13  0   150   150 9K 1%", None);
        // Drawn so large its resolution rounds to 0: no area rather than an endless one.
        check("   2     0 image     100   100  rgb     3   8  image  no        7  0     0     0 1K 3%", None);
    }

    #[test]
    fn a_word_covers_its_box() {
        let word =
            r#"    <word xMin="40.000000" yMin="7.538000" xMax="61.006000" yMax="15.863000">x="&quot;1&quot;</word>"#;
        let area = word_area(word).expect("an area");
        assert!((area - 21.006 * 8.325).abs() < 1e-6, "{area}");
        assert_eq!(attribute(r#"<page width="595.000000" height="842.000000">"#, "height"), Some(842.0));
        assert_eq!(word_area(r#"<word xMin="a" yMin="1" xMax="2" yMax="3">"#), None);
    }
}
