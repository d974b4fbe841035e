//! Running another program on a file, bounded: the file goes to its standard input (so an encrypted
//! store's plaintext never lands on disk), its address space and CPU time are limited by `prlimit`,
//! it is killed when its time is up, and what it prints is read through a caller's reader.

use std::io::{self, Read, Write};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// Largest address space of one program (2 GiB: Tesseract's French and English models and one page
/// image fit; a decompression bomb does not).
const MEMORY: u64 = 2 << 30;
/// Last bytes of a program's error output kept for the message.
const STDERR_KEPT: usize = 2_000;

/// The environment variables that may hold a passphrase (the CLI reads them). No program Dossier
/// runs is given them: Poppler and Tesseract read hostile files by design, and a parser
/// exploit in one of them would otherwise find the passphrase in its environment (or anyone able to
/// read its `/proc/<pid>/environ`).
pub const PASSPHRASE_VARIABLES: [&str; 2] = ["DOSSIER_PASSPHRASE", "DOSSIER_NEW_PASSPHRASE"];

/// A command for the program `name`, without the passphrase variables in its environment: every
/// program the core runs starts here.
pub fn command(name: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut command = Command::new(name);
    for variable in PASSPHRASE_VARIABLES {
        command.env_remove(variable);
    }
    command
}

/// A program, its arguments and how long it may run.
pub(super) struct Program<'a> {
    pub name: &'a str,
    pub args: Vec<String>,
    pub seconds: u64,
}

/// Runs `program` with `input` on its standard input and hands its standard output to `read`, which
/// returns what the caller wants of it. The program is killed when its time is up or when `read`
/// returns early; then the error says which.
pub(super) fn run<T>(
    program: &Program<'_>,
    input: Box<dyn Read + Send>,
    read: impl FnOnce(&mut ChildStdout) -> Result<T>,
) -> Result<T> {
    let mut child = spawn(program)?;
    let mut stdin = child.stdin.take().ok_or_else(|| Error::internal("no standard input"))?;
    let mut stdout = child.stdout.take().ok_or_else(|| Error::internal("no standard output"))?;
    let mut stderr = child.stderr.take().ok_or_else(|| Error::internal("no error output"))?;
    // The input is written from a thread of its own: a program that prints as it reads would otherwise
    // wait on a full output pipe while this waits on a full input pipe.
    let writer = thread::spawn(move || {
        let mut input = input;
        // A program that stops reading early closes the pipe: not an error of the copy.
        let _ = io::copy(&mut input, &mut stdin);
        let _ = stdin.flush();
    });
    // Only the end of the error output is kept, however much a program prints.
    let errors = thread::spawn(move || {
        let mut kept: Vec<u8> = Vec::new();
        let mut chunk = [0u8; 8192];
        while let Ok(n) = stderr.read(&mut chunk) {
            if n == 0 {
                break;
            }
            kept.extend_from_slice(&chunk[..n]);
            if kept.len() > 2 * STDERR_KEPT {
                kept.drain(..kept.len() - STDERR_KEPT);
            }
        }
        let start = kept.len().saturating_sub(STDERR_KEPT);
        String::from_utf8_lossy(&kept[start..]).trim().to_string()
    });
    let child = Arc::new(Mutex::new(child));
    let timed_out = Arc::new(AtomicBool::new(false));
    let finished = Arc::new(AtomicBool::new(false));
    let watchdog = {
        let (child, timed_out, finished) = (Arc::clone(&child), Arc::clone(&timed_out), Arc::clone(&finished));
        let deadline = Instant::now() + Duration::from_secs(program.seconds);
        thread::spawn(move || {
            while !finished.load(Ordering::Relaxed) {
                if Instant::now() >= deadline {
                    timed_out.store(true, Ordering::Relaxed);
                    let _ = lock(&child).kill();
                    return;
                }
                thread::sleep(Duration::from_millis(20));
            }
        })
    };
    let out = read(&mut stdout);
    drop(stdout);
    if out.is_err() {
        let _ = lock(&child).kill();
    }
    // Waited for without holding the child, so the watchdog can still stop one that lingers after
    // closing its output.
    let status = loop {
        match lock(&child).try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => thread::sleep(Duration::from_millis(10)),
            Err(e) => {
                finished.store(true, Ordering::Relaxed);
                return Err(Error::internal(format!("{}: {e}", program.name)));
            }
        }
    };
    finished.store(true, Ordering::Relaxed);
    let _ = watchdog.join();
    let _ = writer.join();
    let message = errors.join().unwrap_or_default();
    if timed_out.load(Ordering::Relaxed) {
        return Err(failed(program.name, format!("took longer than {} s and was stopped", program.seconds)));
    }
    let out = out?;
    if !status.success() {
        let why = if message.is_empty() { status.to_string() } else { message };
        return Err(failed(program.name, why));
    }
    Ok(out)
}

fn lock(child: &Mutex<Child>) -> std::sync::MutexGuard<'_, Child> {
    child.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Starts the program under `prlimit` (its memory and CPU time bounded) when `prlimit` is there.
fn spawn(program: &Program<'_>) -> Result<Child> {
    let limited = which("prlimit");
    let mut child = if limited {
        let mut c = command("prlimit");
        c.arg(format!("--as={MEMORY}")).arg(format!("--cpu={}", program.seconds)).arg("--").arg(program.name);
        c
    } else {
        command(program.name)
    };
    if !which(program.name) {
        return Err(failed(program.name, "is not installed (the set-up script installs it)".to_string()));
    }
    child
        .args(&program.args)
        // One thread per program: Tesseract's own threads only compete with the app for two cores.
        .env("OMP_THREAD_LIMIT", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| failed(program.name, e.to_string()))
}

/// Whether `name` is a program on the `PATH`.
pub(super) fn which(name: &str) -> bool {
    let Some(path) = std::env::var_os("PATH") else { return false };
    std::env::split_paths(&path).any(|dir| dir.join(name).is_file())
}

fn failed(program: &str, why: String) -> Error {
    super::unreadable(Some(program.to_string()), &format!("{program} {why}"))
}

/// Reads at most `max` bytes of `from`; more is the error `too_much`.
pub(super) fn read_capped(from: &mut impl Read, max: usize, what: &str) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    from.take(max as u64 + 1).read_to_end(&mut out).map_err(|e| Error::internal(format!("{what}: {e}")))?;
    if out.len() > max {
        return Err(Error::rule(
            "file",
            "too_much_text",
            what.to_string(),
            format!("the file could not be read: {what} gives more than {} MiB of text", max >> 20),
        ));
    }
    Ok(out)
}
