-- Schema version 15: a letter's deadline may be a rule rather than a typed date.

-- `received`: when the letter arrived, if not on its date (a fuzzy date, as typed dates are kept).
-- `deadline_rule`: a period (`15d`, `10bd`, `2w`, `1m`) counted from receipt, or from the letter's
-- date, in the courts' calendar `deadline_calendar`. With a rule, `deadline` and its sort columns hold
-- the date it gives, recomputed whenever the letter changes.
ALTER TABLE letter ADD COLUMN received TEXT;
ALTER TABLE letter ADD COLUMN deadline_rule TEXT;
ALTER TABLE letter ADD COLUMN deadline_calendar TEXT CHECK (deadline_calendar IN ('fr', 'ew', 'us'));
