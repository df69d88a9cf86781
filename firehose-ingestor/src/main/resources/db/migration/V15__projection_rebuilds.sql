-- Runs of ProjectionRebuild (firehose-ingestor README, "Rebuild"). A row with finished_at NULL is a rebuild in
-- progress (or one that crashed): its counters are not maintained yet, so a live indexer refuses to start until the
-- rebuild is run again to its end (it resumes from the stored offsets) or the projections are reset.
CREATE TABLE appview.projection_rebuilds (
    id               bigserial PRIMARY KEY,
    started_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    repo_events      bigint,
    identity_events  bigint,
    fold_seconds     double precision,
    recount_seconds  double precision
);

-- The read indexes a rebuild dropped while it folds (the fold never reads them; building each once at the end is
-- cheaper than maintaining it for every row written). Recreated from these definitions when the rebuild finishes.
CREATE TABLE appview.projection_rebuild_indexes (
    rebuild_id  bigint NOT NULL REFERENCES appview.projection_rebuilds (id) ON DELETE CASCADE,
    name        text NOT NULL,
    definition  text NOT NULL,
    PRIMARY KEY (rebuild_id, name)
);
