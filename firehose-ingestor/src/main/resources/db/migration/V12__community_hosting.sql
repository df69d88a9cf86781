-- did:web hostedBy verification of communities (firehose-ingestor README, "hostedBy verification").
-- The fold never waits for the network: it stores the profile with the verdict pending, and the indexer's
-- HostingVerificationJob asks identity-service later (social.coves.identity.verifyHosting) and writes the verdict here.
--   hosted_by_verified    NULL = pending (not asked yet, or identity-service could not answer); true / false = verdict
--   hosted_by_reason      identity-service's reason (Verified, DomainMismatch, AliasMissing, NotDidWeb, ...) or, while
--                         pending, Pending / Unreachable / ResolutionFailed
--   hosted_by_handle      the community handle the verdict is about (the DID's bidirectionally verified handle)
--   hosted_by_next_check  when the job looks at the row next: now for new or changed hostedBy, back-off after a failed
--                         attempt, recheck-after for decided verdicts
-- None of these columns is a function of the log: replay leaves them pending and the job decides again.
ALTER TABLE appview.communities
    ADD COLUMN hosted_by_verified   boolean,
    ADD COLUMN hosted_by_reason     text NOT NULL DEFAULT 'Pending',
    ADD COLUMN hosted_by_message    text,
    ADD COLUMN hosted_by_handle     text,
    ADD COLUMN hosted_by_checked_at timestamptz,
    ADD COLUMN hosted_by_attempts   integer NOT NULL DEFAULT 0,
    ADD COLUMN hosted_by_next_check timestamptz NOT NULL DEFAULT now();

-- the job's queue
CREATE INDEX communities_hosting_due ON appview.communities (hosted_by_next_check);
-- discovery leaves out communities whose hosting was refused (a small set, read as a hashed sub-plan)
CREATE INDEX communities_hosting_refused ON appview.communities (did) WHERE hosted_by_verified IS FALSE;
