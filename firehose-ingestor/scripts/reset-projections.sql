-- Empties every projection and the stored offsets of the appview schema, so the next indexer start (or an
-- IndexerReplay) folds the topics again from offset 0. Stop the indexer pods first. Usage:
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f firehose-ingestor/scripts/reset-projections.sql
BEGIN;
TRUNCATE appview.records, appview.actors, appview.communities, appview.subscriptions, appview.community_blocks,
         appview.posts, appview.comments, appview.votes, appview.consumer_offsets, appview.index_rejects,
         appview.count_reconciliations;
COMMIT;
