-- Empties every projection and the stored offsets of the appview schema, so the next indexer start (or an
-- IndexerReplay, or a rebuild) folds the topics again from offset 0. Stop the indexer pods first. Usage:
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f firehose-ingestor/scripts/reset-projections.sql
BEGIN;
-- an unfinished rebuild dropped the read indexes: build them again before its record goes
DO $$
DECLARE d text;
BEGIN
    FOR d IN SELECT definition FROM appview.projection_rebuild_indexes ORDER BY name LOOP
        EXECUTE d;
    END LOOP;
END $$;
-- and switched autovacuum off for the tables it fills
ALTER TABLE appview.records RESET (autovacuum_enabled);
ALTER TABLE appview.actors RESET (autovacuum_enabled);
ALTER TABLE appview.communities RESET (autovacuum_enabled);
ALTER TABLE appview.subscriptions RESET (autovacuum_enabled);
ALTER TABLE appview.community_blocks RESET (autovacuum_enabled);
ALTER TABLE appview.posts RESET (autovacuum_enabled);
ALTER TABLE appview.comments RESET (autovacuum_enabled);
ALTER TABLE appview.votes RESET (autovacuum_enabled);
ALTER TABLE appview.aggregator_services RESET (autovacuum_enabled);
ALTER TABLE appview.aggregator_authorizations RESET (autovacuum_enabled);
TRUNCATE appview.records, appview.actors, appview.communities, appview.subscriptions, appview.community_blocks,
         appview.posts, appview.comments, appview.votes, appview.aggregator_services, appview.aggregator_authorizations,
         appview.consumer_offsets, appview.index_rejects,
         appview.count_reconciliations, appview.projection_rebuild_indexes, appview.projection_rebuilds;
COMMIT;
