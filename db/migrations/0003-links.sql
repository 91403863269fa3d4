-- Schema version 3: what links each file to the other files of its module
-- (JSON: the functions it calls but does not define, its non-static
-- functions, its driver structures), so that a re-scan can reuse a file
-- while a module mate changed, and bring it back when the change reaches
-- it.
ALTER TABLE files ADD COLUMN links TEXT;
PRAGMA user_version = 3;
