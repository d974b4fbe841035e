//! The second security review (`shared/reviews/security-2026-12-06.md`): one test per finding, named
//! after it (`h1_…`, `m2_…`), each running the review's reproduction, which now fails safely.

mod bundles;
mod documents;
mod keys;
mod log;
mod markup;
mod plaintext;
mod publishing;
mod residuals;
