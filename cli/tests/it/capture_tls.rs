//! `dossier capture` over HTTPS, against OpenSSL's own test server on 127.0.0.1 with a certificate
//! the test makes: the page is fetched through TLS when its certificate is trusted (the test trusts
//! it through `SSL_CERT_FILE`, as OpenSSL reads it), and refused in one line naming the certificate
//! when it is not, with nothing kept.

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::Db;

const PAGE: &str = "<html><head><title>Sealed notice</title></head><body>\
    <p>The nautilus quay closed on Monday.</p></body></html>";

/// `openssl s_server` serving the files of a folder, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn run(program: &str, args: &[&str], dir: &Path) {
    let status = Command::new(program).args(args).current_dir(dir).stdout(Stdio::null()).stderr(Stdio::null()).status();
    assert!(status.is_ok_and(|s| s.success()), "{program} {args:?}");
}

/// A self-signed certificate for 127.0.0.1 (`cert.pem`, `key.pem`) and the page, in `dir`; then the
/// server on a free port, once it accepts connections.
fn serve(dir: &Path) -> Server {
    let name = "subjectAltName=IP:127.0.0.1,DNS:localhost";
    let args = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem"];
    run("openssl", &[&args[..], &["-days", "1", "-subj", "/CN=127.0.0.1", "-addext", name]].concat(), dir);
    std::fs::write(dir.join("page.html"), PAGE).expect("the page");
    let port = TcpListener::bind("127.0.0.1:0").expect("a free port").local_addr().expect("address").port();
    let accept = format!("127.0.0.1:{port}");
    let child = Command::new("openssl")
        .args(["s_server", "-accept", &accept, "-cert", "cert.pem", "-key", "key.pem", "-WWW", "-quiet"])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("openssl s_server");
    let server = Server { child, port };
    let started = Instant::now();
    while TcpStream::connect(&accept).is_err() {
        assert!(started.elapsed() < Duration::from_secs(10), "the TLS server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    server
}

#[test]
fn a_page_is_captured_over_https_only_when_its_certificate_is_trusted() {
    let db = Db::new();
    db.ok(&["case", "add", "--title", "Quay", "--slug", "quay"]);
    let site = tempfile::tempdir().expect("temp dir");
    let server = serve(site.path());
    let url = format!("https://127.0.0.1:{}/page.html", server.port);
    let capture = ["capture", url.as_str(), "--case", "quay", "--no-screenshot"];

    // Not trusted: refused in one line that says why, and nothing kept.
    let before = db.writes();
    let refused = db.command(&capture).env("SSL_CERT_FILE", "/dev/null").output().expect("run dossier");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success(), "an untrusted certificate is refused");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains(&url) && stderr.contains("certificate is not trusted (self-signed"), "{stderr}");
    assert_eq!(db.writes(), before, "nothing written");

    // Trusted: fetched through TLS and kept as a capture.
    let cert = site.path().join("cert.pem");
    let kept = db.command(&capture).env("SSL_CERT_FILE", &cert).output().expect("run dossier");
    assert!(kept.status.success(), "{}", String::from_utf8_lossy(&kept.stderr));
    let id = String::from_utf8_lossy(&kept.stdout).lines().last().expect("the id").to_string();
    let e = db.json(&["evidence", "show", &id]);
    assert_eq!((e["title"].as_str(), e["capture"]["final_url"].as_str()), (Some("Sealed notice"), Some(url.as_str())));
    let warc = std::fs::read(db.ok(&["evidence", "path", &id]).trim()).expect("the WARC");
    assert!(String::from_utf8_lossy(&warc).contains(&format!("WARC-Target-URI: {url}\r\n")));
    assert!(db.ok(&["evidence", "text", &id]).contains("The nautilus quay closed on Monday."));
}
