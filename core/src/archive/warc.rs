//! WARC files (ISO 28500:2017, WARC/1.1), written and read by hand. A record is a version line, named
//! fields as in HTTP, a blank line, `Content-Length` bytes of block and two line ends: short to write
//! exactly, and read here with httparse (the HTTP parser hyper uses) for the fields and for the HTTP
//! messages inside `request` and `response` records. The `warc` crate was not taken: its 0.4 pulls
//! older copies of nom (7) and uuid (0.8) beside the tree's, and what Dossier needs of it is these
//! few dozen lines, which its tests pin against files Webrecorder's tools write.

use std::io::{Read, Write};

use sha2::{Digest, Sha256};

use super::{refused, resolve, utc, Format, Page, MAX_ARCHIVE, MAX_BODY};
use crate::error::Result;

/// Most named fields read in one record or HTTP message.
const MAX_FIELDS: usize = 256;

/// Writes WARC/1.1 records, one after the other, to `out`.
pub struct Writer<W: Write> {
    out: W,
}

impl<W: Write> Writer<W> {
    pub fn new(out: W) -> Writer<W> {
        Writer { out }
    }

    /// Writes one record: its type (`warcinfo`, `request`, `response`, …), when it happened (UTC),
    /// its other fields (`WARC-Target-URI`, `WARC-Concurrent-To`, …), the media type of its block
    /// and the block itself. Returns the record's id (`<urn:uuid:…>`), which other records refer to.
    pub fn record(
        &mut self,
        kind: &str,
        at: chrono::DateTime<chrono::Utc>,
        fields: &[(&str, &str)],
        content_type: &str,
        block: &[u8],
    ) -> std::io::Result<String> {
        let id = format!("<urn:uuid:{}>", uuid::Uuid::now_v7());
        let digest: String = Sha256::digest(block).iter().map(|b| format!("{b:02x}")).collect();
        let mut head = format!(
            "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: {id}\r\nWARC-Date: {}\r\n",
            at.format("%Y-%m-%dT%H:%M:%SZ")
        );
        for (name, value) in fields {
            // A field is one line: a value that held a line end would forge another field.
            let value: String = value.chars().filter(|c| *c != '\r' && *c != '\n').collect();
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!(
            "Content-Type: {content_type}\r\nWARC-Block-Digest: sha256:{digest}\r\nContent-Length: {}\r\n\r\n",
            block.len()
        ));
        self.out.write_all(head.as_bytes())?;
        self.out.write_all(block)?;
        self.out.write_all(b"\r\n\r\n")?;
        Ok(id)
    }

    pub fn into_inner(self) -> W {
        self.out
    }
}

/// One exchange of a captured page: the request and the response as HTTP messages (head and body).
#[derive(Debug, Clone)]
pub struct Exchange {
    pub url: String,
    /// When the request began.
    pub at: chrono::DateTime<chrono::Utc>,
    /// The server's address, when known.
    pub ip: Option<String>,
    pub request: Vec<u8>,
    pub response: Vec<u8>,
}

/// The WARC file of a capture, as `dossier capture` and the app's capture window write it: a
/// `warcinfo` record naming the software (`software`, say `Dossier 0.1.0 (dossier capture)`) and
/// the user agent, then each exchange's response and request.
pub fn capture_file(software: &str, agent: &str, exchanges: &[Exchange]) -> Result<Vec<u8>> {
    let io = |e: std::io::Error| crate::error::Error::internal(format!("writing the WARC file: {e}"));
    let mut w = Writer::new(Vec::new());
    let info = format!(
        "software: {software}\r\nformat: WARC File Format 1.1\r\n\
         conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n\
         http-header-user-agent: {agent}\r\n"
    );
    let first = exchanges.first().map_or_else(chrono::Utc::now, |x| x.at);
    w.record("warcinfo", first, &[], "application/warc-fields", info.as_bytes()).map_err(io)?;
    for x in exchanges {
        let mut fields = vec![("WARC-Target-URI", x.url.as_str())];
        if let Some(ip) = x.ip.as_deref().filter(|ip| !ip.is_empty()) {
            fields.push(("WARC-IP-Address", ip));
        }
        let response =
            w.record("response", x.at, &fields, "application/http;msgtype=response", &x.response).map_err(io)?;
        fields.push(("WARC-Concurrent-To", response.as_str()));
        w.record("request", x.at, &fields, "application/http;msgtype=request", &x.request).map_err(io)?;
    }
    Ok(w.into_inner())
}

/// Header fields that describe a body as it crossed the wire, which a browser hands over decoded:
/// kept under another name (`X-Archive-Orig-…`, as pywb and Webrecorder write them) so that a reader
/// does not undo a compression or a chunking that is no longer there.
const WIRE_FIELDS: &[&str] = &["Content-Encoding", "Transfer-Encoding", "Content-Length"];

/// An HTTP response as a browser received it, from its parts: the status, its header fields as the
/// browser reports them and the body it decoded. The fields of the body's wire form are renamed
/// (`WIRE_FIELDS`) and `Content-Length` is the body's own.
pub fn http_response(status: u16, fields: &[(String, String)], body: &[u8]) -> Vec<u8> {
    let reason = http_reason(status);
    let mut head = format!("HTTP/1.1 {status} {reason}\r\n");
    for (name, value) in fields {
        let value = one_field(value);
        match WIRE_FIELDS.iter().find(|w| w.eq_ignore_ascii_case(name)) {
            Some(_) => head.push_str(&format!("X-Archive-Orig-{}: {value}\r\n", one_field(name))),
            None => head.push_str(&format!("{}: {value}\r\n", one_field(name))),
        }
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut out = head.into_bytes();
    out.extend_from_slice(body);
    out
}

/// An HTTP request's head from its parts: the method, the address and the header fields known.
pub fn http_request(method: &str, url: &str, fields: &[(String, String)]) -> Vec<u8> {
    let parsed = url::Url::parse(url).ok();
    let target = parsed.as_ref().map_or_else(
        || "/".to_string(),
        |u| {
            let mut t = u.path().to_string();
            if let Some(q) = u.query() {
                t.push('?');
                t.push_str(q);
            }
            t
        },
    );
    let mut head = format!("{} {} HTTP/1.1\r\n", one_field(method), one_field(&target));
    if !fields.iter().any(|(n, _)| n.eq_ignore_ascii_case("Host")) {
        if let Some(host) = parsed.as_ref().and_then(|u| u.host_str()) {
            match parsed.as_ref().and_then(|u| u.port()) {
                Some(port) => head.push_str(&format!("Host: {host}:{port}\r\n")),
                None => head.push_str(&format!("Host: {host}\r\n")),
            }
        }
    }
    for (name, value) in fields {
        head.push_str(&format!("{}: {}\r\n", one_field(name), one_field(value)));
    }
    head.push_str("\r\n");
    head.into_bytes()
}

/// A header's name or value as one line: a line end would forge another field.
fn one_field(text: &str) -> String {
    text.chars().filter(|c| *c != '\r' && *c != '\n').collect()
}

/// The usual reason phrase of an HTTP status (RFC 9110), or none.
fn http_reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// One record read from a WARC file.
#[derive(Debug, Clone)]
pub struct Record<'a> {
    /// `WARC-Type`, lower case.
    pub kind: String,
    pub fields: Vec<(String, String)>,
    pub block: &'a [u8],
}

impl Record<'_> {
    /// The value of the named field (names compared without case).
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    fn target(&self) -> &str {
        // WARC/1.0 writers put the URI in angle brackets.
        self.field("WARC-Target-URI").unwrap_or("").trim().trim_start_matches('<').trim_end_matches('>')
    }
}

/// Every record of a WARC file (gzipped whole or record by record, as `.warc.gz` files are, or not).
pub fn records(bytes: &[u8]) -> Result<Vec<Record<'_>>> {
    let mut out = Vec::new();
    let mut at = 0;
    loop {
        while at < bytes.len() && matches!(bytes[at], b'\r' | b'\n') {
            at += 1;
        }
        if at >= bytes.len() {
            return Ok(out);
        }
        let rest = &bytes[at..];
        let Some(line_end) = rest.iter().position(|&b| b == b'\n') else {
            return Err(refused(format!("record {} is cut short", out.len() + 1)));
        };
        if !rest.starts_with(b"WARC/") {
            return Err(refused(format!("record {} does not begin with a WARC version line", out.len() + 1)));
        }
        let mut slots = [httparse::EMPTY_HEADER; MAX_FIELDS];
        let (used, fields) = match httparse::parse_headers(&rest[line_end + 1..], &mut slots) {
            Ok(httparse::Status::Complete((used, fields))) => (used, fields),
            Ok(httparse::Status::Partial) => return Err(refused(format!("record {} is cut short", out.len() + 1))),
            Err(e) => return Err(refused(format!("record {}: {e}", out.len() + 1))),
        };
        let fields: Vec<(String, String)> =
            fields.iter().map(|f| (f.name.to_string(), String::from_utf8_lossy(f.value).trim().to_string())).collect();
        let length = fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("Content-Length"))
            .and_then(|(_, v)| v.parse::<usize>().ok())
            .ok_or_else(|| refused(format!("record {} has no Content-Length", out.len() + 1)))?;
        let start = line_end + 1 + used;
        let block = rest
            .get(start..start.saturating_add(length))
            .ok_or_else(|| refused(format!("record {} is cut short", out.len() + 1)))?;
        let kind = fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("WARC-Type"))
            .map(|(_, v)| v.to_ascii_lowercase())
            .unwrap_or_default();
        out.push(Record { kind, fields, block });
        at += start + length;
    }
}

/// An HTTP response as a `response` record holds it: status, fields, and the body as sent.
struct Response<'a> {
    status: u16,
    fields: Vec<(String, String)>,
    body: &'a [u8],
}

impl Response<'_> {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

fn response(block: &[u8]) -> Option<Response<'_>> {
    let mut slots = [httparse::EMPTY_HEADER; MAX_FIELDS];
    let mut parsed = httparse::Response::new(&mut slots);
    let httparse::Status::Complete(used) = parsed.parse(block).ok()? else { return None };
    let fields = parsed
        .headers
        .iter()
        .map(|f| (f.name.to_string(), String::from_utf8_lossy(f.value).trim().to_string()))
        .collect();
    Some(Response { status: parsed.code?, fields, body: &block[used..] })
}

/// The page a WARC file holds: the first HTTP response, followed through its redirects to the
/// response of the address each one names.
pub(super) fn page(bytes: &[u8]) -> Result<Page> {
    let inflated;
    let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
        inflated = gunzip(bytes, MAX_ARCHIVE).map_err(|e| refused(format!("it does not unpack: {e}")))?;
        &inflated[..]
    } else {
        bytes
    };
    let records = records(bytes)?;
    let responses: Vec<(&Record<'_>, Response<'_>)> =
        records.iter().filter(|r| r.kind == "response").filter_map(|r| Some((r, response(r.block)?))).collect();
    let Some(first) = responses.first() else {
        return Err(refused("it holds no HTTP response".into()));
    };
    let mut page = first;
    // A redirect is followed only forward, and only as many times as there are responses.
    for _ in 0..responses.len() {
        let next = match (page.1.status, page.1.field("Location")) {
            (300..=399, Some(location)) => resolve(page.0.target(), location),
            _ => None,
        };
        match next.and_then(|u| responses.iter().find(|(r, _)| normalized(r.target()) == u)) {
            Some(found) if !std::ptr::eq(found, page) => page = found,
            _ => break,
        }
    }
    let (record, http) = page;
    let (body, problem) = decoded(http);
    let software = records
        .iter()
        .filter(|r| r.kind == "warcinfo")
        .flat_map(|r| String::from_utf8_lossy(r.block).lines().map(str::to_string).collect::<Vec<_>>())
        .find_map(|line| line.strip_prefix("software:").map(|s| s.trim().to_string()));
    let screenshot = records
        .iter()
        .filter(|r| matches!(r.kind.as_str(), "resource" | "metadata" | "conversion"))
        .filter(|r| {
            let t = r.target();
            t.starts_with("urn:view:") || t.starts_with("urn:screenshot:")
        })
        .find(|r| r.block.starts_with(b"\x89PNG\r\n\x1a\n"))
        .map(|r| r.block.to_vec());
    Ok(Page {
        format: Format::Warc,
        url: first.0.target().to_string(),
        final_url: record.target().to_string(),
        captured_at: record.field("WARC-Date").and_then(utc).unwrap_or_default(),
        status: Some(http.status),
        made_by: software.unwrap_or_default(),
        media_type: media_type(http.field("Content-Type").unwrap_or("")),
        charset: charset(http.field("Content-Type").unwrap_or("")),
        body,
        problem,
        screenshot,
    })
}

/// An address as the `url` crate writes it (`http://host` is `http://host/`), to compare two.
fn normalized(address: &str) -> String {
    url::Url::parse(address).map(String::from).unwrap_or_else(|_| address.to_string())
}

/// The `charset` parameter of a `Content-Type`, if it has one.
fn charset(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (name, value) = p.split_once('=')?;
        name.trim().eq_ignore_ascii_case("charset").then(|| value.trim().trim_matches('"').to_string())
    })
}

/// A `Content-Type` without its parameters, in lower case.
pub(super) fn media_type(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// The body of a response as its sender meant it: chunks joined, gzip or deflate undone (an encoding
/// Dossier cannot undo leaves the body as sent, and says so).
fn decoded(http: &Response<'_>) -> (Vec<u8>, Option<String>) {
    let chunked = http.field("Transfer-Encoding").is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
    let joined = if chunked { dechunked(http.body) } else { http.body[..http.body.len().min(MAX_BODY)].to_vec() };
    let encoding = http.field("Content-Encoding").unwrap_or("").trim().to_ascii_lowercase();
    match encoding.as_str() {
        "" | "identity" => (joined, None),
        "gzip" | "x-gzip" => match gunzip(&joined, MAX_BODY) {
            Ok(body) => (body, None),
            Err(e) => (joined, Some(format!("the page's gzip encoding does not unpack: {e}"))),
        },
        "deflate" => {
            let mut out = Vec::new();
            let zlib = flate2::read::ZlibDecoder::new(&joined[..]).take(MAX_BODY as u64).read_to_end(&mut out);
            if zlib.is_err() {
                out.clear();
                let raw = flate2::read::DeflateDecoder::new(&joined[..]).take(MAX_BODY as u64).read_to_end(&mut out);
                if let Err(e) = raw {
                    return (joined, Some(format!("the page's deflate encoding does not unpack: {e}")));
                }
            }
            (out, None)
        }
        other => (joined, Some(format!("the page is encoded as '{other}', which Dossier does not read"))),
    }
}

/// A chunked body joined (what follows a malformed chunk size is left out).
fn dechunked(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = body.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&body[..line_end]);
        let size_text = size_text.split(';').next().unwrap_or("").trim();
        let Ok(size) = usize::from_str_radix(size_text, 16) else { break };
        body = &body[line_end + 2..];
        if size == 0 || out.len() >= MAX_BODY {
            break;
        }
        let take = size.min(body.len());
        out.extend_from_slice(&body[..take.min(MAX_BODY - out.len())]);
        body = body.get(take + 2..).unwrap_or(&[]);
    }
    out
}

/// Unpacks gzip (every member, as `.warc.gz` files have one per record), at most `limit` bytes.
fn gunzip(bytes: &[u8], limit: usize) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes).take(limit as u64 + 1).read_to_end(&mut out)?;
    if out.len() > limit {
        return Err(std::io::Error::other(format!("it unpacks to over {} MiB", limit >> 20)));
    }
    Ok(out)
}
