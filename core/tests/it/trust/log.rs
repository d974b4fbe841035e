//! M2, M3, M4: a log nobody can extend unseen, derived tables and history that check covers.
