-- Schema version 6: what `irqcheck check` collects when kbuild runs it
-- once per object (make C=1 CHECK="irqcheck check"). Each source tree has
-- one collection: a run that stays unfinished (so no reader takes it for
-- a result) whose file rows are each file's own analysis, replaced when
-- the file is checked again. The readers (show, report, baseline, fix)
-- settle a collection that changed since into a finished run: the
-- cross-file rounds, from the stored results, re-parsing only the files
-- whose module mates change what their analysis says.
CREATE TABLE collections (
	run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
	tree TEXT NOT NULL UNIQUE,         -- the source tree checked
	generation INTEGER NOT NULL DEFAULT 0, -- one more per file checked
	settled INTEGER NOT NULL DEFAULT 0     -- the generation last settled
);

-- Every file the build checked, analysed or not.
CREATE TABLE checked_files (
	run_id INTEGER NOT NULL REFERENCES collections(run_id)
		ON DELETE CASCADE,
	path TEXT NOT NULL,            -- as shown (relative to the tree)
	args TEXT NOT NULL,            -- its compiler arguments, JSON array
	rules_hash TEXT NOT NULL,      -- the rule pack and binary it met
	analysed INTEGER NOT NULL,     -- 0: names no interrupt API, not parsed
	checked TEXT NOT NULL,
	PRIMARY KEY (run_id, path)
);
PRAGMA user_version = 6;
