//! Reading documents, bounded: how long a long PDF's text layer, a PDF of short pages (measured for
//! scans), a scanned page (OCR), scans under a court's stamp and a zip bomb (whole, and with its
//! central directory cut) take to read, and how much memory Dossier's own process holds meanwhile (the
//! programs it runs are capped at 2 GiB each by `prlimit`).
//!
//! `cargo bench -p dossier-core --bench documents [-- PAGES SCANS]` (defaults: 500 pages, 10 scans).

use std::io::{Cursor, Read, Write};
use std::time::Instant;

use dossier_core::extract::{self, Kind};
use dossier_core::generate::documents::{scanned_pdf, stamped_scan, text_pdf};

/// This process's peak resident memory so far, in MiB (`VmHWM`).
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

fn read(kind: Kind, bytes: &[u8]) -> (Result<extract::Pages, dossier_core::Error>, f64) {
    let open = || Ok(Box::new(Cursor::new(bytes.to_vec())) as Box<dyn Read + Send>);
    let start = Instant::now();
    let out = extract::read(kind, &open, &mut |_, _| true);
    (out, start.elapsed().as_secs_f64())
}

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let pages: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(500);
    let scans: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10);
    println!("| document | read | time | Dossier's peak memory |");
    println!("|---|---|---:|---:|");

    let line = "The licensee shall not exceed the rate limits set out in Schedule 2 of the agreement.";
    let page = vec![line; 40].join("\n");
    let texts: Vec<&str> = (0..pages).map(|_| page.as_str()).collect();
    let pdf = text_pdf(&texts);
    let (out, secs) = read(Kind::Pdf, &pdf);
    let got = out.map(|p| p.pages.len()).unwrap_or(0);
    println!(
        "| text PDF, {pages} pages ({:.1} MiB) | {got} pages | {secs:.2} s | {:.0} MiB |",
        pdf.len() as f64 / 1048576.0,
        peak_mib()
    );

    // The same with a short first and last page: every page between is measured too.
    let mut framed = texts.clone();
    framed[0] = line;
    framed[pages - 1] = line;
    let (out, secs) = read(Kind::Pdf, &text_pdf(&framed));
    let got = out.map(|p| format!("{} pages ({})", p.pages.len(), p.method.as_str())).unwrap_or_default();
    println!(
        "| the same, its first and last page of one line (those two measured) | {got} | {secs:.2} s | {:.0} MiB |",
        peak_mib()
    );

    // Pages of one line each: every one is measured for pictures and words, and none is a scan.
    let short: Vec<&str> = (0..pages).map(|_| line).collect();
    let pdf = text_pdf(&short);
    let (out, secs) = read(Kind::Pdf, &pdf);
    let got = out.map(|p| format!("{} pages ({})", p.pages.len(), p.method.as_str())).unwrap_or_default();
    println!(
        "| text PDF, {pages} pages of one line (measured for scans) | {got} | {secs:.2} s | {:.0} MiB |",
        peak_mib()
    );

    let scan = scanned_pdf("NOTICE OF BREACH\nThe licensee owes the fees due under clause 4.").expect("a scan");
    let mut total = 0.0;
    let mut read_ok = 0;
    for _ in 0..scans {
        let (out, secs) = read(Kind::Pdf, &scan);
        total += secs;
        read_ok += usize::from(out.is_ok_and(|p| p.pages[0].contains("licensee")));
    }
    println!(
        "| scanned page (OCR, eng+fra), {scans} times | {read_ok} of {scans} read | {:.2} s per page | {:.0} MiB |",
        total / scans as f64,
        peak_mib()
    );

    let stamp = "Case 1:23-cv-01234 Document 12 Filed 01/02/23 Page 1 of 1";
    let stamps = vec![stamp; scans];
    let filing =
        stamped_scan("NOTICE OF BREACH\nThe licensee owes the fees due under clause 4.", &stamps).expect("scan");
    let (out, secs) = read(Kind::Pdf, &filing);
    let read_ok = out.map(|p| p.pages.iter().filter(|p| p.contains("licensee")).count()).unwrap_or(0);
    println!(
        "| scanned pages under a court's stamp, {scans} | {read_ok} of {scans} read | {:.2} s per page | {:.0} MiB |",
        secs / scans as f64,
        peak_mib()
    );

    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("word/document.xml", options).expect("entry");
    let spaces = vec![b' '; 1 << 20];
    for _ in 0..1024 {
        zip.write_all(&spaces).expect("write");
    }
    let bomb = zip.finish().expect("zip").into_inner();
    let (out, secs) = read(Kind::Docx, &bomb);
    let said = out.err().map(|e| e.to_string()).unwrap_or_else(|| "read whole!".into());
    println!(
        "| zip bomb: {:.1} MiB .docx inflating to 1 GiB | refused: {said} | {secs:.2} s | {:.0} MiB |",
        bomb.len() as f64 / 1048576.0,
        peak_mib()
    );

    // The same bomb with its central directory cut: read from its local header, bounded the same.
    let directory = bomb.windows(4).rposition(|w| w == b"PK\x01\x02").expect("a central directory");
    let (out, secs) = read(Kind::Docx, &bomb[..directory + 10]);
    let said = out.err().map(|e| e.to_string()).unwrap_or_else(|| "read whole!".into());
    println!("| the same, its central directory cut | refused: {said} | {secs:.2} s | {:.0} MiB |", peak_mib());
}
