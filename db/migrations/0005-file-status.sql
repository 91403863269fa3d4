-- Schema version 5: what became of each file: 'analysed' (parsed, with or
-- without errors), 'crashed' (the analyser died on it; the scan went on
-- without it) or 'timed-out' (it outlived the per-file time budget).
ALTER TABLE files ADD COLUMN status TEXT NOT NULL DEFAULT 'analysed'
	CHECK (status IN ('analysed', 'crashed', 'timed-out'));
PRAGMA user_version = 5;
