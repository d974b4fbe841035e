-- Schema version 1: the record of a dispute.
-- Shipped migrations are never edited; a change is a new file.
--
-- Conventions
-- * Every record of every kind has a row in `record`; its own table's `id` references it. Evidence links,
--   tags and attributions point at `record`, so "link evidence to any record" is checked by a foreign key.
-- * References between records are RESTRICT (the default): deleting a party that a letter names fails.
--   Rows that only make sense inside their parent (aliases, clauses, recipients, status history) CASCADE.
-- * A fuzzy date is stored as five columns: X (the date as recorded, canonical text), X_sort (its place in
--   a chronology, Unix seconds), X_lo / X_hi (bounds in Unix seconds, NULL = unbounded, hi exclusive) and
--   X_rank (qualifier and precision, for ordering items at the same place: store::order_rank). All are written by the core
--   from one parsed value; nothing else writes them.

CREATE TABLE record (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('case', 'party', 'agreement', 'clause', 'letter',
                                             'allegation', 'response', 'event', 'evidence')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE case_file (
    id      TEXT PRIMARY KEY REFERENCES record(id),
    slug    TEXT NOT NULL UNIQUE,
    title   TEXT NOT NULL,
    status  TEXT NOT NULL CHECK (status IN ('open', 'in_litigation', 'dormant', 'settled', 'closed')),
    summary TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE case_tag (
    case_id TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    tag     TEXT NOT NULL,
    PRIMARY KEY (case_id, tag)
) STRICT, WITHOUT ROWID;

CREATE TABLE party (
    id          TEXT PRIMARY KEY REFERENCES record(id),
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('organisation', 'person', 'public_body', 'court', 'media')),
    description TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX party_name ON party(name COLLATE NOCASE);

CREATE TABLE party_alias (
    party_id TEXT NOT NULL REFERENCES party(id) ON DELETE CASCADE,
    alias    TEXT NOT NULL,
    PRIMARY KEY (party_id, alias)
) STRICT, WITHOUT ROWID;
CREATE INDEX party_alias_alias ON party_alias(alias COLLATE NOCASE);

-- A person's ties to an organisation: "counsel at Quinn Emanuel", "spokesperson of Microsoft".
CREATE TABLE affiliation (
    person_id       TEXT NOT NULL REFERENCES party(id) ON DELETE CASCADE,
    organisation_id TEXT NOT NULL REFERENCES party(id),
    role            TEXT NOT NULL,
    PRIMARY KEY (person_id, organisation_id, role)
) STRICT, WITHOUT ROWID;
CREATE INDEX affiliation_organisation ON affiliation(organisation_id);

-- Parties are shared across cases; each case gives a party one or more roles.
CREATE TABLE case_party (
    case_id      TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    party_id     TEXT NOT NULL REFERENCES party(id),
    role         TEXT NOT NULL CHECK (role IN ('claimant', 'respondent', 'counsel', 'third_party', 'regulator',
                                               'court', 'reporter', 'source', 'witness', 'other')),
    on_behalf_of TEXT REFERENCES party(id),
    PRIMARY KEY (case_id, party_id, role)
) STRICT, WITHOUT ROWID;
CREATE INDEX case_party_party ON case_party(party_id);

CREATE TABLE agreement (
    id               TEXT PRIMARY KEY REFERENCES record(id),
    case_id          TEXT NOT NULL REFERENCES case_file(id),
    title            TEXT NOT NULL,
    kind             TEXT NOT NULL DEFAULT '',
    terms            TEXT NOT NULL DEFAULT '',
    effective        TEXT, effective_sort INTEGER, effective_lo INTEGER, effective_hi INTEGER, effective_rank INTEGER,
    terminated       TEXT, terminated_sort INTEGER, terminated_lo INTEGER, terminated_hi INTEGER, terminated_rank INTEGER
) STRICT;
CREATE INDEX agreement_case ON agreement(case_id);

CREATE TABLE agreement_party (
    agreement_id TEXT NOT NULL REFERENCES agreement(id) ON DELETE CASCADE,
    party_id     TEXT NOT NULL REFERENCES party(id),
    PRIMARY KEY (agreement_id, party_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX agreement_party_party ON agreement_party(party_id);

CREATE TABLE clause (
    id           TEXT PRIMARY KEY REFERENCES record(id),
    agreement_id TEXT NOT NULL REFERENCES agreement(id) ON DELETE CASCADE,
    reference    TEXT NOT NULL,
    text         TEXT NOT NULL DEFAULT '',
    position     INTEGER NOT NULL,
    UNIQUE (agreement_id, reference)
) STRICT;

CREATE TABLE letter (
    id               TEXT PRIMARY KEY REFERENCES record(id),
    case_id          TEXT NOT NULL REFERENCES case_file(id),
    channel          TEXT NOT NULL CHECK (channel IN ('letter', 'email', 'press_statement', 'social_media',
                                                      'court_filing', 'call', 'meeting', 'other')),
    sender_party_id  TEXT NOT NULL REFERENCES party(id),
    sender_person_id TEXT REFERENCES party(id),
    subject          TEXT NOT NULL,
    body             TEXT NOT NULL DEFAULT '',
    in_reply_to      TEXT REFERENCES letter(id),
    position         INTEGER NOT NULL DEFAULT 0,
    date             TEXT NOT NULL, date_sort INTEGER NOT NULL, date_lo INTEGER, date_hi INTEGER, date_rank INTEGER NOT NULL,
    deadline         TEXT, deadline_sort INTEGER, deadline_lo INTEGER, deadline_hi INTEGER, deadline_rank INTEGER
) STRICT;
CREATE INDEX letter_case_date ON letter(case_id, date_sort);
CREATE INDEX letter_reply ON letter(in_reply_to);
CREATE INDEX letter_sender ON letter(sender_party_id);
CREATE INDEX letter_sender_person ON letter(sender_person_id);

CREATE TABLE letter_recipient (
    letter_id TEXT NOT NULL REFERENCES letter(id) ON DELETE CASCADE,
    party_id  TEXT NOT NULL REFERENCES party(id),
    kind      TEXT NOT NULL CHECK (kind IN ('to', 'cc')),
    PRIMARY KEY (letter_id, party_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX letter_recipient_party ON letter_recipient(party_id);

CREATE TABLE event (
    id          TEXT PRIMARY KEY REFERENCES record(id),
    case_id     TEXT NOT NULL REFERENCES case_file(id),
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0,
    date        TEXT NOT NULL, date_sort INTEGER NOT NULL, date_lo INTEGER, date_hi INTEGER, date_rank INTEGER NOT NULL
) STRICT;
CREATE INDEX event_case_date ON event(case_id, date_sort);

CREATE TABLE event_party (
    event_id TEXT NOT NULL REFERENCES event(id) ON DELETE CASCADE,
    party_id TEXT NOT NULL REFERENCES party(id),
    PRIMARY KEY (event_id, party_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX event_party_party ON event_party(party_id);

CREATE TABLE allegation (
    id               TEXT PRIMARY KEY REFERENCES record(id),
    case_id          TEXT NOT NULL REFERENCES case_file(id),
    made_by          TEXT NOT NULL REFERENCES party(id),
    against          TEXT NOT NULL REFERENCES party(id),
    raised_in_letter TEXT REFERENCES letter(id),
    raised_in_event  TEXT REFERENCES event(id),
    agreement_id     TEXT REFERENCES agreement(id),
    summary          TEXT NOT NULL,
    detail           TEXT NOT NULL DEFAULT '',
    position         INTEGER NOT NULL DEFAULT 0,
    date             TEXT NOT NULL, date_sort INTEGER NOT NULL, date_lo INTEGER, date_hi INTEGER, date_rank INTEGER NOT NULL,
    CHECK (raised_in_letter IS NULL OR raised_in_event IS NULL)
) STRICT;
CREATE INDEX allegation_case_date ON allegation(case_id, date_sort);
CREATE INDEX allegation_made_by ON allegation(made_by);
CREATE INDEX allegation_against ON allegation(against);
CREATE INDEX allegation_letter ON allegation(raised_in_letter);
CREATE INDEX allegation_event ON allegation(raised_in_event);
CREATE INDEX allegation_agreement ON allegation(agreement_id);

CREATE TABLE allegation_clause (
    allegation_id TEXT NOT NULL REFERENCES allegation(id) ON DELETE CASCADE,
    clause_id     TEXT NOT NULL REFERENCES clause(id),
    PRIMARY KEY (allegation_id, clause_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX allegation_clause_clause ON allegation_clause(clause_id);

-- The dated history of an allegation's status; the current status is the latest entry.
CREATE TABLE allegation_status (
    id            INTEGER PRIMARY KEY,
    allegation_id TEXT NOT NULL REFERENCES allegation(id) ON DELETE CASCADE,
    status        TEXT NOT NULL CHECK (status IN ('alleged', 'under_review', 'disputed', 'admitted', 'withdrawn',
                                                  'upheld', 'dismissed')),
    note          TEXT NOT NULL DEFAULT '',
    position      INTEGER NOT NULL DEFAULT 0,
    date          TEXT NOT NULL, date_sort INTEGER NOT NULL, date_lo INTEGER, date_hi INTEGER, date_rank INTEGER NOT NULL
) STRICT;
CREATE INDEX allegation_status_allegation ON allegation_status(allegation_id, date_sort);

CREATE TABLE response (
    id        TEXT PRIMARY KEY REFERENCES record(id),
    case_id   TEXT NOT NULL REFERENCES case_file(id),
    by_party  TEXT NOT NULL REFERENCES party(id),
    letter_id TEXT REFERENCES letter(id),
    stance    TEXT NOT NULL CHECK (stance IN ('denies', 'admits', 'partly_admits', 'will_review', 'no_comment')),
    text      TEXT NOT NULL DEFAULT '',
    position  INTEGER NOT NULL DEFAULT 0,
    date      TEXT NOT NULL, date_sort INTEGER NOT NULL, date_lo INTEGER, date_hi INTEGER, date_rank INTEGER NOT NULL
) STRICT;
CREATE INDEX response_case_date ON response(case_id, date_sort);
CREATE INDEX response_by ON response(by_party);
CREATE INDEX response_letter ON response(letter_id);

CREATE TABLE response_allegation (
    response_id   TEXT NOT NULL REFERENCES response(id) ON DELETE CASCADE,
    allegation_id TEXT NOT NULL REFERENCES allegation(id),
    PRIMARY KEY (response_id, allegation_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX response_allegation_allegation ON response_allegation(allegation_id);

-- Evidence: a stored file (content-addressed by SHA-256), a URL, or a publication reference.
CREATE TABLE evidence (
    id            TEXT PRIMARY KEY REFERENCES record(id),
    case_id       TEXT NOT NULL REFERENCES case_file(id),
    kind          TEXT NOT NULL CHECK (kind IN ('file', 'url', 'publication')),
    title         TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    sha256        TEXT CHECK (sha256 IS NULL OR (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*')),
    size          INTEGER,
    media_type    TEXT,
    original_name TEXT,
    url           TEXT,
    publisher     TEXT,
    date          TEXT, date_sort INTEGER, date_lo INTEGER, date_hi INTEGER, date_rank INTEGER,
    CHECK ((kind = 'file') = (sha256 IS NOT NULL AND size IS NOT NULL)),
    CHECK (kind <> 'url' OR url IS NOT NULL)
) STRICT;
CREATE INDEX evidence_case ON evidence(case_id);
CREATE INDEX evidence_sha256 ON evidence(sha256);

CREATE TABLE evidence_link (
    evidence_id TEXT NOT NULL REFERENCES evidence(id) ON DELETE CASCADE,
    record_id   TEXT NOT NULL REFERENCES record(id) ON DELETE CASCADE,
    pinpoint    TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (evidence_id, record_id, pinpoint)
) STRICT, WITHOUT ROWID;
CREATE INDEX evidence_link_record ON evidence_link(record_id);

-- Who asserts an allegation, event or response, and which source reports it.
CREATE TABLE attribution (
    id          INTEGER PRIMARY KEY,
    record_id   TEXT NOT NULL REFERENCES record(id) ON DELETE CASCADE,
    asserted_by TEXT REFERENCES party(id),
    reported_by TEXT REFERENCES party(id),
    how         TEXT NOT NULL DEFAULT '',
    certainty   TEXT NOT NULL CHECK (certainty IN ('confirmed', 'reported', 'alleged', 'rumoured')),
    CHECK (asserted_by IS NOT NULL OR reported_by IS NOT NULL)
) STRICT;
CREATE INDEX attribution_record ON attribution(record_id);
CREATE INDEX attribution_asserted ON attribution(asserted_by);
CREATE INDEX attribution_reported ON attribution(reported_by);

CREATE TABLE record_tag (
    record_id TEXT NOT NULL REFERENCES record(id) ON DELETE CASCADE,
    tag       TEXT NOT NULL,
    PRIMARY KEY (record_id, tag)
) STRICT, WITHOUT ROWID;
CREATE INDEX record_tag_tag ON record_tag(tag);

-- Append-only change log: every write in the core adds one row, chained by SHA-256 so that an edited or
-- removed row breaks the chain. The triggers below make accidental edits fail loudly.
CREATE TABLE change_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    action    TEXT NOT NULL,
    record_id TEXT,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
) STRICT;
CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;

-- Deleting a record's row also deletes its registry row, which takes its links, tags and attributions.
CREATE TRIGGER case_file_forget AFTER DELETE ON case_file BEGIN DELETE FROM record WHERE id = OLD.id; END;
CREATE TRIGGER party_forget AFTER DELETE ON party BEGIN DELETE FROM record WHERE id = OLD.id; END;
CREATE TRIGGER agreement_forget AFTER DELETE ON agreement BEGIN DELETE FROM record WHERE id = OLD.id; END;
CREATE TRIGGER clause_forget AFTER DELETE ON clause BEGIN DELETE FROM record WHERE id = OLD.id; END;
CREATE TRIGGER letter_forget AFTER DELETE ON letter BEGIN DELETE FROM record WHERE id = OLD.id; END;
CREATE TRIGGER allegation_forget AFTER DELETE ON allegation BEGIN DELETE FROM record WHERE id = OLD.id; END;
CREATE TRIGGER response_forget AFTER DELETE ON response BEGIN DELETE FROM record WHERE id = OLD.id; END;
CREATE TRIGGER event_forget AFTER DELETE ON event BEGIN DELETE FROM record WHERE id = OLD.id; END;
CREATE TRIGGER evidence_forget AFTER DELETE ON evidence BEGIN DELETE FROM record WHERE id = OLD.id; END;

-- The parties each record involves (senders, recipients, accusers and accused, parties to an event).
CREATE VIEW record_party (record_id, party_id) AS
    SELECT id, sender_party_id FROM letter
    UNION SELECT id, sender_person_id FROM letter WHERE sender_person_id IS NOT NULL
    UNION SELECT letter_id, party_id FROM letter_recipient
    UNION SELECT event_id, party_id FROM event_party
    UNION SELECT id, made_by FROM allegation
    UNION SELECT id, against FROM allegation
    UNION SELECT id, by_party FROM response
    UNION SELECT agreement_id, party_id FROM agreement_party;

-- The parties a record names as sources: who asserts it, who reports it.
CREATE VIEW record_source (record_id, party_id) AS
    SELECT record_id, asserted_by FROM attribution WHERE asserted_by IS NOT NULL
    UNION SELECT record_id, reported_by FROM attribution WHERE reported_by IS NOT NULL;

-- Every dated thing in a case, one row per timeline entry. `entry_id` is unique; `record_id` is the
-- record the entry opens. `kind_rank` orders different kinds that share a date and position.
CREATE VIEW timeline_entry AS
    SELECT case_id, 'agreement_effective' AS kind, 1 AS kind_rank, id AS record_id, id || ':effective' AS entry_id,
           effective AS date, effective_sort AS sort, effective_lo AS lo, effective_hi AS hi, effective_rank AS rank,
           0 AS position, title, NULL AS status
      FROM agreement WHERE effective IS NOT NULL
    UNION ALL
    SELECT case_id, 'agreement_terminated', 2, id, id || ':terminated',
           terminated, terminated_sort, terminated_lo, terminated_hi, terminated_rank, 0, title, NULL
      FROM agreement WHERE terminated IS NOT NULL
    UNION ALL
    SELECT case_id, 'event', 3, id, id, date, date_sort, date_lo, date_hi, date_rank, position, title, NULL FROM event
    UNION ALL
    SELECT case_id, 'letter', 4, id, id, date, date_sort, date_lo, date_hi, date_rank, position, subject, NULL FROM letter
    UNION ALL
    SELECT a.case_id, 'allegation', 5, a.id, a.id, a.date, a.date_sort, a.date_lo, a.date_hi, a.date_rank, a.position,
           a.summary, NULL
      FROM allegation a
    UNION ALL
    SELECT case_id, 'response', 6, id, id, date, date_sort, date_lo, date_hi, date_rank, position,
           CASE WHEN text = '' THEN stance ELSE text END, NULL
      FROM response
    UNION ALL
    -- A status change after the first ("alleged") entry, which the allegation's own entry already shows.
    SELECT a.case_id, 'status_change', 7, a.id, a.id || ':status:' || s.id,
           s.date, s.date_sort, s.date_lo, s.date_hi, s.date_rank, s.position, a.summary, s.status
      FROM allegation_status s JOIN allegation a ON a.id = s.allegation_id
     WHERE s.id <> (SELECT min(f.id) FROM allegation_status f WHERE f.allegation_id = s.allegation_id)
    UNION ALL
    SELECT case_id, 'deadline', 8, id, id || ':deadline',
           deadline, deadline_sort, deadline_lo, deadline_hi, deadline_rank, position, subject, NULL
      FROM letter WHERE deadline IS NOT NULL
    UNION ALL
    SELECT case_id, 'evidence', 9, id, id, date, date_sort, date_lo, date_hi, date_rank, 0, title, NULL
      FROM evidence WHERE date IS NOT NULL;
