-- Schema version 5: a timeline page filtered by a date window reads only the entries near the window.

-- An entry whose bounds are both known and at most three years apart (94,867,200 s) sits near the
-- window by its sort key, which the order index finds by range; this index holds the others, open-ended
-- or long ranges, so that they are found without walking the whole case. The condition is the text the
-- query uses (`timeline::WIDE_ROWS`), which is how SQLite knows the index applies.
CREATE INDEX timeline_row_wide ON timeline_row(case_id, sort, rank, position, kind_rank, entry_id)
    WHERE (lo IS NULL OR hi IS NULL OR hi - lo > 94867200);
