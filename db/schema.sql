-- irqcheck's store, schema version 1. Applied to an empty database; later
-- versions are reached by the files in db/migrations/, in order. Every
-- table belongs to a run except the caches and the baseline.

PRAGMA application_id = 1769107811; -- 0x69726363, "ircc"

CREATE TABLE runs (
	id INTEGER PRIMARY KEY,
	tree TEXT NOT NULL,            -- kernel tree, compile database or '-'
	revision TEXT,                 -- git HEAD of the tree, when it is one
	flags_source TEXT NOT NULL,    -- kernel, compdb or plain
	rules_hash TEXT NOT NULL,
	tool_version TEXT NOT NULL,
	started TEXT NOT NULL,
	finished TEXT,                 -- NULL: interrupted or failed
	files_considered INTEGER NOT NULL DEFAULT 0,
	files_parsed INTEGER NOT NULL DEFAULT 0,
	files_reused INTEGER NOT NULL DEFAULT 0,
	files_failed INTEGER NOT NULL DEFAULT 0,
	findings INTEGER NOT NULL DEFAULT 0
);

-- One row per file a run analysed or reused.
CREATE TABLE files (
	id INTEGER PRIMARY KEY,
	run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	path TEXT NOT NULL,            -- as shown (relative to the tree)
	content_hash TEXT NOT NULL,
	flags_hash TEXT NOT NULL,
	module TEXT NOT NULL,
	headers_id INTEGER REFERENCES header_sets(id),
	parse_errors INTEGER NOT NULL DEFAULT 0,
	first_error TEXT,
	not_built INTEGER NOT NULL DEFAULT 0,
	reused INTEGER NOT NULL DEFAULT 0, -- 1: results copied, not analysed
	UNIQUE (run_id, path)
);

-- The headers a file included, with their content hashes when parsed:
-- "path\thash\n" lines, sorted; shared by the files that include the same.
CREATE TABLE header_sets (
	id INTEGER PRIMARY KEY,
	digest TEXT NOT NULL UNIQUE,
	entries TEXT NOT NULL
);

-- Summaries a file's non-static functions offer the other files of its
-- module (JSON with sorted keys: equal summaries have equal texts).
CREATE TABLE functions (
	id INTEGER PRIMARY KEY,
	file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	summary TEXT NOT NULL
);

CREATE TABLE findings (
	id INTEGER PRIMARY KEY,
	file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
	rule TEXT NOT NULL,
	severity TEXT NOT NULL,
	path TEXT NOT NULL,            -- where it is reported
	line INTEGER NOT NULL,
	col INTEGER NOT NULL,
	function TEXT NOT NULL,
	message TEXT NOT NULL,
	fingerprint TEXT NOT NULL,
	is_note INTEGER NOT NULL DEFAULT 0, -- an analysis note, not a finding
	suppressed TEXT                -- the reason of an inline suppression
);
CREATE INDEX findings_by_fingerprint ON findings(fingerprint);

CREATE TABLE steps (
	finding_id INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
	seq INTEGER NOT NULL,
	path TEXT NOT NULL,
	line INTEGER NOT NULL,
	col INTEGER NOT NULL,
	text TEXT NOT NULL,
	PRIMARY KEY (finding_id, seq)
);

-- Inline suppressions met in the sources of a run.
CREATE TABLE suppressions (
	id INTEGER PRIMARY KEY,
	file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
	path TEXT NOT NULL,
	line INTEGER NOT NULL,
	rule TEXT NOT NULL,
	reason TEXT
);

-- Findings accepted as they are (irqcheck baseline save).
CREATE TABLE baseline (
	fingerprint TEXT PRIMARY KEY,
	rule TEXT NOT NULL,
	path TEXT NOT NULL,
	function TEXT NOT NULL,
	message TEXT NOT NULL,
	saved TEXT NOT NULL
);

-- Content hashes by (path, mtime, size): a file whose stat did not change
-- is not read again.
CREATE TABLE hash_cache (
	path TEXT PRIMARY KEY,
	mtime_ns INTEGER NOT NULL,
	size INTEGER NOT NULL,
	hash TEXT NOT NULL
);

PRAGMA user_version = 1;
