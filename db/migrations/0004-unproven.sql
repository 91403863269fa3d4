-- Schema version 4: why a finding's path is not shown feasible (it rests
-- on a value the analysis could not establish), or NULL. Unproven
-- findings are kept for `irqcheck show --unproven` but are not shown,
-- counted or gated by default.
ALTER TABLE findings ADD COLUMN unproven TEXT;
PRAGMA user_version = 4;
