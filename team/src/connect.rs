//! One connection to the team server from a libpq connection string, with TLS as its `sslmode` asks,
//! and the server's failures turned into the core's errors.
//!
//! tokio-postgres knows only `disable`, `prefer` and `require`, none of which checks the server's
//! certificate. libpq's `verify-ca` and `verify-full` (the memo's recommended setting) are read here,
//! with `sslrootcert`, and enforced by OpenSSL's own verification; tokio-postgres is then told
//! `require`.

use std::error::Error as _;
use std::path::PathBuf;
use std::time::Duration;

use dossier_core::error::{Error, Invalid, Result};
use openssl::ssl::{SslConnector, SslMethod, SslVerifyMode};
use postgres::config::{Host, SslMode};
use postgres::Client;
use postgres_openssl::MakeTlsConnector;

mod params;

/// How long a connection attempt waits for the server, unless the string sets `connect_timeout`.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// libpq's `sslmode` values (`allow` is taken as `prefer`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl Mode {
    fn parse(value: &str) -> Option<Mode> {
        Some(match value {
            "disable" => Mode::Disable,
            "allow" | "prefer" => Mode::Prefer,
            "require" => Mode::Require,
            "verify-ca" => Mode::VerifyCa,
            "verify-full" => Mode::VerifyFull,
            _ => return None,
        })
    }

    fn verifies(self) -> bool {
        matches!(self, Mode::VerifyCa | Mode::VerifyFull)
    }
}

/// Opens a connection to the team server. `url` is any libpq connection string: a URL
/// (`postgres://bob@db.example.org/dossier?sslmode=verify-full`) or `key=value` pairs
/// (`host=/run/postgresql dbname=dossier`, a folder as host meaning its unix socket). TLS follows
/// `sslmode` (libpq's default, `prefer`, when absent); `verify-ca` and `verify-full` check the
/// server's certificate against `sslrootcert` (a file, or `system`), else `~/.postgresql/root.crt`
/// when it exists, else the system's trusted authorities.
///
/// A server that cannot be reached is [`Error::Offline`]; a login or database the server refuses is
/// [`Error::Rejected`]; a malformed string is [`Error::Invalid`].
pub fn connect(url: &str) -> Result<Client> {
    let (rest, tls) = params::split_tls(url).map_err(|why| malformed(&why))?;
    let mode = match tls.sslmode.as_deref() {
        None => Mode::Prefer,
        Some(value) => Mode::parse(value).ok_or_else(|| malformed(&format!("no sslmode '{value}'")))?,
    };
    let mut config: postgres::Config = rest.parse().map_err(|e: postgres::Error| malformed(&describe(&e)))?;
    config.ssl_mode(match mode {
        Mode::Disable => SslMode::Disable,
        Mode::Prefer => SslMode::Prefer,
        Mode::Require | Mode::VerifyCa | Mode::VerifyFull => SslMode::Require,
    });
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    let connector = tls_connector(mode, tls.sslrootcert.as_deref())?;
    let target = target(&config);
    config.connect(connector).map_err(|e| match failure(e) {
        Error::Offline(why) => Error::Offline(format!("cannot connect to {target}: {why}")),
        Error::Rejected(why) => Error::Rejected(format!("{target} refused the connection: {why}")),
        other => other,
    })
}

fn malformed(why: &str) -> Error {
    Error::invalid("server", Invalid::rule("connection_string", None, format!("not a connection string: {why}")))
}

/// OpenSSL set up for `mode`: no verification for `prefer` and `require` (libpq's meaning: encrypted,
/// not authenticated), the chain for `verify-ca`, the chain and the host name for `verify-full`.
fn tls_connector(mode: Mode, root: Option<&str>) -> Result<MakeTlsConnector> {
    let tls_error = |e: openssl::error::ErrorStack| Error::Offline(format!("cannot set up TLS: {e}"));
    let mut builder = SslConnector::builder(SslMethod::tls_client()).map_err(tls_error)?;
    if mode.verifies() {
        let default_root = dirs_root_crt().filter(|p| p.is_file());
        match root {
            Some("system") => {}
            Some(file) => builder
                .set_ca_file(file)
                .map_err(|e| Error::Offline(format!("cannot read the server's root certificate {file}: {e}")))?,
            None => {
                if let Some(file) = default_root {
                    builder.set_ca_file(&file).map_err(tls_error)?;
                }
            }
        }
    } else {
        builder.set_verify(SslVerifyMode::NONE);
    }
    let mut connector = MakeTlsConnector::new(builder.build());
    if mode != Mode::VerifyFull {
        connector.set_callback(|config, _| {
            config.set_verify_hostname(false);
            Ok(())
        });
    }
    Ok(connector)
}

/// libpq's default root certificate, `~/.postgresql/root.crt`.
fn dirs_root_crt() -> Option<PathBuf> {
    std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".postgresql/root.crt"))
}

/// Where a connection goes, for messages: its hosts (or socket folders) and port.
fn target(config: &postgres::Config) -> String {
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .map(|host| match host {
            Host::Tcp(name) => format!("{name}:{port}"),
            Host::Unix(dir) => format!("the socket folder {} (port {port})", dir.display()),
        })
        .collect();
    if hosts.is_empty() {
        "the team server (no host given)".to_string()
    } else {
        format!("the team server at {}", hosts.join(", "))
    }
}

/// A PostgreSQL failure as one line: the server's own message, or the chain of causes.
pub(crate) fn describe(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return db.message().to_string();
    }
    let mut line = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            if matches!(io.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::ConnectionRefused) {
                line = format!("no server is listening there ({text})");
                break;
            }
        }
        line = format!("{line}: {text}");
        source = cause.source();
    }
    line
}

/// The SQLSTATE of a server-side error, if the server answered.
pub(crate) fn sqlstate(e: &postgres::Error) -> Option<&str> {
    e.as_db_error().map(|db| db.code().code())
}

/// A PostgreSQL failure as the core's error. The server's own refusals (its trigger and functions
/// raise DSREJ and DSREV; permissions and row level security raise 42501) are refusals; a connection
/// that could not be made, was cut, or a server shutting down is offline.
pub(crate) fn failure(e: postgres::Error) -> Error {
    let why = describe(&e);
    match sqlstate(&e) {
        None => Error::Offline(why),
        Some("DSREV") => Error::Revoked(why),
        Some(code) if code.starts_with("08") || code.starts_with("57P") || code.starts_with("53") => {
            Error::Offline(why)
        }
        Some("23505") => Error::Rejected(format!("already on the server: {why}")),
        Some("42P01") | Some("42883") => Error::Rejected(format!(
            "this database is not a Dossier team server, or an older one ({why}): its DBA runs `dossier team server-sql`"
        )),
        Some(_) => Error::Rejected(why),
    }
}
