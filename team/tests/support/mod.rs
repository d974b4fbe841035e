//! What the team tests share: a database of their own on the test binary's PostgreSQL cluster
//! (`pg`), and entries built as a client builds them.

pub mod pg;
