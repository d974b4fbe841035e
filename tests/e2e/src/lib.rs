//! No library: this crate only holds the desktop end-to-end tests (tests/app.rs).
