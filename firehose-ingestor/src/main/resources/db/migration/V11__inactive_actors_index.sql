-- Reads exclude content of deactivated / taken-down / deleted accounts with
-- "author_did NOT IN (SELECT did FROM appview.actors WHERE NOT active)". This partial index keeps that sub-plan
-- to the handful of inactive accounts instead of a scan of every actor.
CREATE INDEX IF NOT EXISTS actors_inactive ON appview.actors (did) WHERE NOT active;
