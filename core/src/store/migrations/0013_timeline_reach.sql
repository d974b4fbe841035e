-- Schema version 13: the timeline filtered by a party or by a date window reads only what it shows.

-- Each timeline entry once per party its record involves or cites (`timeline_row` joined with
-- `record_party_row`), in timeline order under each party: a page filtered by one party is a range of
-- this key, where it used to test every entry of the case in order until a page was full. Kept by the
-- write path like the two tables it joins.
CREATE TABLE timeline_party_row (
    party_id  TEXT NOT NULL,
    case_id   TEXT NOT NULL,
    sort      INTEGER NOT NULL,
    rank      INTEGER NOT NULL,
    position  INTEGER NOT NULL,
    kind_rank INTEGER NOT NULL,
    entry_id  TEXT NOT NULL,
    PRIMARY KEY (party_id, case_id, sort, rank, position, kind_rank, entry_id)
) STRICT, WITHOUT ROWID;

INSERT INTO timeline_party_row (party_id, case_id, sort, rank, position, kind_rank, entry_id)
    SELECT rp.party_id, t.case_id, t.sort, t.rank, t.position, t.kind_rank, t.entry_id
      FROM timeline_row t JOIN record_party_row rp ON rp.record_id = t.record_id;

-- The entries of a case by how far apart their bounds are (`timeline::SPAN_IS`: two days, 32 days, 128
-- days, 367 days, three years, wider or open-ended), then in timeline order, with the bounds. An entry
-- overlapping a date window sorts at most its span before the window's start, so a window reads each
-- span's entries from just before the window, the bounds tested in the index, and the six are merged;
-- it used to read three years of entries before the window. The expression is the text the query
-- uses, which is how SQLite knows the index applies. It replaces version 5's index of the wide ones.
CREATE INDEX timeline_row_span ON timeline_row(
    case_id,
    (CASE WHEN hi - lo <= 172800 THEN 0 WHEN hi - lo <= 2764800 THEN 1 WHEN hi - lo <= 11059200 THEN 2
          WHEN hi - lo <= 31708800 THEN 3 WHEN hi - lo <= 94867200 THEN 4 ELSE 5 END),
    sort, rank, position, kind_rank, entry_id, lo, hi);

DROP INDEX timeline_row_wide;
