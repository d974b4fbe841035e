-- Schema version 4: records kept out of what is published.

-- A record listed here is private: a journalist's source, a note not to be published. It stays in the
-- record, in the reports made for the people working the case and in JSON bundles, and never leaves in
-- a publish export (the static site, TimelineJS). A case itself is never listed.
CREATE TABLE record_private (
    record_id TEXT PRIMARY KEY REFERENCES record(id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
