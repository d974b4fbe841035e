//! Fetching a page as a WARC file records it: one HTTP/1.1 exchange per connection, each redirect
//! followed by hand and kept, and every byte hyper writes and reads recorded as it crossed the
//! connection (after TLS), so that the WARC's `request` and `response` records hold the messages as
//! they were sent and received — header names and order, chunked framing and all.
//!
//! Bounded: at most [`Limits::bytes`] received in one response and [`Limits::time`] for the whole
//! capture, redirects included, [`MAX_REDIRECTS`] redirects; past any of them the capture fails,
//! keeping nothing, with one line that says which bound and what had arrived.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use chrono::{DateTime, Utc};
use dossier_core::Error;
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// Most redirects followed.
pub const MAX_REDIRECTS: usize = 10;

/// The bounds of one capture.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most bytes received in one response (head, framing and body as sent).
    pub bytes: usize,
    /// Longest the whole capture may take, redirects included.
    pub time: Duration,
}

/// One request and its response, as they crossed the connection.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub url: String,
    /// When the request began.
    pub at: DateTime<Utc>,
    pub ip: Option<SocketAddr>,
    pub request: Vec<u8>,
    pub response: Vec<u8>,
    pub status: u16,
}

/// What crossed one connection, both ways.
#[derive(Default)]
struct Wire {
    sent: Vec<u8>,
    received: Vec<u8>,
    /// Set when a response went past the byte limit.
    over: bool,
}

/// A connection whose bytes are kept in a shared [`Wire`] as they pass.
struct Recorded<S> {
    inner: S,
    wire: Arc<Mutex<Wire>>,
    limit: usize,
}

impl<S: AsyncRead + Unpin> AsyncRead for Recorded<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = polled {
            let limit = self.limit;
            let mut wire = self.wire.lock().unwrap_or_else(|e| e.into_inner());
            wire.received.extend_from_slice(&buf.filled()[before..]);
            if wire.received.len() > limit {
                wire.over = true;
                return Poll::Ready(Err(io::Error::other("the response is over the size limit")));
            }
        }
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Recorded<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if let Poll::Ready(Ok(n)) = polled {
            self.wire.lock().unwrap_or_else(|e| e.into_inner()).sent.extend_from_slice(&buf[..n]);
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The error of a capture that failed, naming the address: an I/O error (the network's, or a bound
/// reached), one line.
fn failed(url: &str, why: impl std::fmt::Display) -> Error {
    let why = why.to_string().replace(['\n', '\r'], " ");
    Error::Io { path: url.to_string(), source: io::Error::other(format!("not captured: {why}; nothing was kept")) }
}

/// Fetches `url`, following redirects; returns every exchange, the page's last. The fetch runs on a
/// thread of its own with its own runtime, so that a caller already inside one (the app's blocking
/// tasks) can wait for it.
pub fn fetch(url: &str, user_agent: &str, limits: Limits) -> Result<Vec<Exchange>, Error> {
    std::thread::scope(|scope| {
        scope
            .spawn(|| fetch_here(url, user_agent, limits))
            .join()
            .unwrap_or_else(|_| Err(Error::internal("the capture's thread failed")))
    })
}

fn fetch_here(url: &str, user_agent: &str, limits: Limits) -> Result<Vec<Exchange>, Error> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::internal(format!("the capture's runtime: {e}")))?;
    let mut exchanges = Vec::new();
    let all = async {
        let mut next = web_url(url)?;
        loop {
            let exchange = exchange(&next, user_agent, limits.bytes).await?;
            let location = location(&exchange.response);
            let status = exchange.status;
            exchanges.push(exchange);
            let Some(location) = location.filter(|_| (300..400).contains(&status) && status != 304) else {
                return Ok(());
            };
            if exchanges.len() > MAX_REDIRECTS {
                return Err(failed(url, format!("it redirects more than {MAX_REDIRECTS} times")));
            }
            next = next.join(&location).map_err(|e| failed(url, format!("a redirect to '{location}': {e}")))?;
            if !matches!(next.scheme(), "http" | "https") {
                return Err(failed(url, format!("it redirects to '{next}', which is not an http(s) address")));
            }
        }
    };
    match runtime.block_on(async { tokio::time::timeout(limits.time, all).await }) {
        Ok(Ok(())) => Ok(exchanges),
        Ok(Err(e)) => Err(e),
        Err(_) => Err(failed(url, format!("it did not arrive whole within {} s", limits.time.as_secs_f64()))),
    }
}

fn web_url(url: &str) -> Result<url::Url, Error> {
    let parsed = url::Url::parse(url.trim()).map_err(|e| failed(url, e))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(Error::rule("url", "not_web_url", url.to_string(), format!("'{url}' is not an http(s) address")));
    }
    Ok(parsed)
}

/// The `Location` of a response as it was received.
fn location(response: &[u8]) -> Option<String> {
    let mut slots = [httparse::EMPTY_HEADER; 128];
    let mut parsed = httparse::Response::new(&mut slots);
    let _ = parsed.parse(response);
    parsed
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("location"))
        .map(|h| String::from_utf8_lossy(h.value).trim().to_string())
}

/// One request for `url` on a connection of its own, and its whole response.
async fn exchange(url: &url::Url, user_agent: &str, limit: usize) -> Result<Exchange, Error> {
    let shown = url.as_str();
    let host = url.host_str().unwrap_or_default().to_string();
    let port = url.port_or_known_default().unwrap_or(80);
    let at = Utc::now();
    let tcp = TcpStream::connect((host.trim_start_matches('[').trim_end_matches(']'), port))
        .await
        .map_err(|e| failed(shown, e))?;
    let ip = tcp.peer_addr().ok();
    let wire = Arc::new(Mutex::new(Wire::default()));
    let status = if url.scheme() == "https" {
        let tls = native_tls().map_err(|e| failed(shown, e))?;
        let stream = tls.connect(&host, tcp).await.map_err(|e| failed(shown, handshake(&e)))?;
        send(Recorded { inner: stream, wire: wire.clone(), limit }, url, user_agent).await
    } else {
        send(Recorded { inner: tcp, wire: wire.clone(), limit }, url, user_agent).await
    };
    let wire = std::mem::take(&mut *wire.lock().unwrap_or_else(|e| e.into_inner()));
    let status = match status {
        Ok(status) => status,
        Err(_) if wire.over => {
            return Err(failed(shown, format!("it is larger than {} MiB", limit as f64 / (1 << 20) as f64)));
        }
        Err(e) => return Err(failed(shown, e)),
    };
    Ok(Exchange { url: shown.to_string(), at, ip, request: wire.sent, response: wire.received, status })
}

/// Why a TLS handshake failed, in words: OpenSSL's own line names a routine and a source file, and
/// only its last part ("self-signed certificate", "certificate has expired") says what a user can act
/// on.
fn handshake(e: &tokio_native_tls::native_tls::Error) -> String {
    let said = e.to_string();
    if !said.contains("certificate verify failed") {
        return format!("the secure connection failed ({said})");
    }
    let why = said.rsplit_once('(').map(|(_, why)| why.trim_end_matches(')').trim()).filter(|w| !w.is_empty());
    match why {
        Some(why) => format!("the site's certificate is not trusted ({why})"),
        None => "the site's certificate is not trusted".to_string(),
    }
}

fn native_tls() -> Result<tokio_native_tls::TlsConnector, tokio_native_tls::native_tls::Error> {
    Ok(tokio_native_tls::TlsConnector::from(tokio_native_tls::native_tls::TlsConnector::new()?))
}

/// Sends the request on `io` and reads the response to its end; returns its status.
async fn send<S>(io: Recorded<S>, url: &url::Url, user_agent: &str) -> Result<u16, String>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::Builder::new()
        .title_case_headers(true)
        .handshake::<_, Empty<Bytes>>(TokioIo::new(io))
        .await
        .map_err(|e| e.to_string())?;
    let driven = tokio::spawn(connection);
    let authority = match url.port() {
        Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_string(),
    };
    let target = &url[url::Position::BeforePath..url::Position::AfterQuery];
    let request = hyper::Request::get(if target.is_empty() { "/" } else { target })
        .header("Host", authority)
        .header("User-Agent", user_agent)
        .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
        // Asked as it is, so the body kept is the page itself (the WARC holds what came either way).
        .header("Accept-Encoding", "identity")
        .header("Connection", "close")
        .body(Empty::<Bytes>::new())
        .map_err(|e| e.to_string())?;
    let response = sender.send_request(request).await.map_err(|e| reason(&e))?;
    let status = response.status().as_u16();
    let mut body = response.into_body();
    while let Some(frame) = body.frame().await {
        frame.map_err(|e| reason(&e))?;
    }
    drop(sender);
    let _ = driven.await;
    Ok(status)
}

/// A hyper error with its cause, which says what happened on the connection.
fn reason(e: &hyper::Error) -> String {
    match std::error::Error::source(e) {
        Some(cause) => format!("{e}: {cause}"),
        None => e.to_string(),
    }
}
