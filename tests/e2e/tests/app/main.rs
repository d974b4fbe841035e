//! End to end: the built desktop app driven through tauri-driver and WebKitWebDriver, as a user works
//! it. Needs a display (scripts/test runs the suite under Xvfb); without one these tests fail, they do
//! not skip. Screenshots of every main view, in English and French, go to tests/e2e/screenshots/.

mod budget;
mod capture;
mod deadlines;
mod demo;
mod documents;
mod driver;
mod encryption;
mod erase;
mod privilege;
mod produce;
mod records;
mod redact;
mod redact_find;
mod scale;
mod scripts;
mod startup;
mod transfer;
mod upgrade;
mod window;
mod xss;
