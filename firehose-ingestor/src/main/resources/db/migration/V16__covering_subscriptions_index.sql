-- Every timeline request first reads the viewer's subscriptions with their contentVisibility. With the visibility in
-- the index that is an index-only scan already in (community_did, rkey DESC) order: no heap page per subscription and
-- no sort (benchmark dataset, 50 subscriptions: bitmap heap scan of 53 buffers plus a sort, 0.16 ms per call under
-- load, before). Same keys as subscriptions_subscriber, so its other readers (viewer state) walk it as they did.
-- (On a large live table, build it with CREATE INDEX CONCURRENTLY by hand before running this migration.)
CREATE INDEX IF NOT EXISTS subscriptions_subscriber_cover ON appview.subscriptions (subscriber_did, community_did, rkey DESC)
    INCLUDE (content_visibility);
DROP INDEX appview.subscriptions_subscriber;
