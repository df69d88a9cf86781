-- Verified handles (firehose-ingestor README, "Verified handles"). Identity events say which handle an account
-- claims (actors.handle, from the log); the indexer's HandleVerificationJob asks identity-service for the DID's
-- bidirectionally verified handle and keeps the answer here, outside the fold:
--   verified_handle     the verified handle, or 'handle.invalid' when the claim does not verify; NULL = not checked yet
--   handle_checked_at   when identity-service last answered
--   handle_next_check   when the job looks at the row next: at once for an account seen for the first time (the
--                       default) or after an identity event, back-off after no answer, recheck-after otherwise
--   shown_handle        what every view shows: the verified handle once checked, the claimed one until then
-- None of these columns is a function of the log: a replay leaves them to the job again.
ALTER TABLE appview.actors
    ADD COLUMN verified_handle    text,
    ADD COLUMN handle_checked_at  timestamptz,
    ADD COLUMN handle_attempts    integer NOT NULL DEFAULT 0,
    ADD COLUMN handle_next_check  timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN shown_handle       text GENERATED ALWAYS AS (coalesce(verified_handle, handle)) STORED;

-- the job's queue
CREATE INDEX actors_handle_due ON appview.actors (handle_next_check);
