-- Schema version 19: redacted copies of evidence.

-- A redacted copy is file evidence of its own (a new PDF whose pages are pictures with the boxes
-- burned in and its words rebuilt without those under them); `redaction` says which original it was
-- made from and when, `redaction_box` where each box is and why (the redaction log). The original
-- is never changed, and cannot be deleted while a copy of it is kept.
CREATE TABLE redaction (
    evidence_id TEXT PRIMARY KEY REFERENCES evidence(id) ON DELETE CASCADE,
    original_id TEXT NOT NULL REFERENCES evidence(id),
    made_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX redaction_original ON redaction(original_id);

CREATE TABLE redaction_box (
    evidence_id TEXT NOT NULL REFERENCES redaction(evidence_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    page INTEGER NOT NULL CHECK (page >= 1),
    x REAL NOT NULL,
    y REAL NOT NULL,
    width REAL NOT NULL CHECK (width > 0),
    height REAL NOT NULL CHECK (height > 0),
    reason TEXT NOT NULL
        CHECK (reason IN ('personal_data', 'privilege', 'third_party', 'commercial', 'other')),
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (evidence_id, position)
) STRICT, WITHOUT ROWID;
