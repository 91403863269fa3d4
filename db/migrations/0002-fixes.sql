-- Schema version 2: the patches irqcheck generates for its findings, and
-- the check that each one was validated before it was offered.
CREATE TABLE fixes (
	id INTEGER PRIMARY KEY,
	finding_id INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
	semantic_patch TEXT NOT NULL,  -- the cocci/ file it came from
	patch TEXT NOT NULL,
	validated INTEGER NOT NULL DEFAULT 0,
	validation TEXT                -- what the validation found
);
PRAGMA user_version = 2;
