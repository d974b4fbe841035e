-- Schema version 18: records withheld as privileged.

-- A record listed here is privileged (legal advice, litigation, work product, a French lawyer's
-- professional secrecy): it stays in the record and in the reports made for the people working the
-- case, is never published, and is listed in the case's privilege log with its basis and a
-- description that does not reveal what it says. A case itself is never listed.
CREATE TABLE record_privilege (
    record_id TEXT PRIMARY KEY REFERENCES record(id) ON DELETE CASCADE,
    basis TEXT NOT NULL
        CHECK (basis IN ('legal_advice', 'litigation', 'work_product', 'professional_secrecy', 'other')),
    description TEXT NOT NULL DEFAULT ''
) STRICT, WITHOUT ROWID;
