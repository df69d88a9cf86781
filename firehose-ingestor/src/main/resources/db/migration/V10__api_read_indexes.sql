-- Read indexes for the API's community listings (appview-api: social.coves.community.list / search).
-- Numbered V10 so the indexer's own migrations (V3..V9) can land without colliding. The indexer applies it at start-up
-- (quarkus.flyway.migrate-at-start); an indexer build without this file refuses a database that already has it.

-- community.list: one keyset walk per sort, tiebreak on did
CREATE INDEX IF NOT EXISTS communities_popular ON appview.communities (subscriber_count DESC, did DESC);
CREATE INDEX IF NOT EXISTS communities_active ON appview.communities (post_count DESC, did DESC);
CREATE INDEX IF NOT EXISTS communities_new ON appview.communities (created_at DESC, did DESC);
CREATE INDEX IF NOT EXISTS communities_alphabetical ON appview.communities (name, did);

-- community.search: trigram matching (similarity and ILIKE) on name, display name and description.
-- pg_trgm is a trusted contrib extension (PostgreSQL 13+): the database owner may create it. It goes into public so
-- the API's default search_path finds it; the API still qualifies it (public.similarity, OPERATOR(public.%)).
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE INDEX IF NOT EXISTS communities_name_trgm ON appview.communities USING gin (name public.gin_trgm_ops);
CREATE INDEX IF NOT EXISTS communities_display_name_trgm ON appview.communities USING gin (display_name public.gin_trgm_ops);
CREATE INDEX IF NOT EXISTS communities_description_trgm ON appview.communities USING gin (description public.gin_trgm_ops);
