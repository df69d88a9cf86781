-- Canonical dump of the projections: one text line per row with every column that is a function of the log
-- (wall-clock columns such as indexed_at/updated_at and derived generated columns are left out), rendered in UTC.
-- Used by the replay check: live and rebuilt schemas must give identical appview.projection_checksums().
CREATE OR REPLACE FUNCTION appview.canonical_rows() RETURNS TABLE (tbl text, k text, line text)
    LANGUAGE sql STABLE SET timezone = 'UTC' AS
$$
SELECT 'records', did || ' ' || collection || ' ' || rkey, ROW(did, collection, rkey, rev, cid, deleted)::text FROM appview.records
UNION ALL
SELECT 'actors', did, ROW(did, handle, display_name, bio, avatar_cid, banner_cid, active, status, identity_seq, account_seq,
       account_time_us, created_at)::text
  FROM appview.actors
UNION ALL
SELECT 'communities', did, ROW(did, name, display_name, description, description_facets, avatar_cid, banner_cid, created_by,
       hosted_by, visibility, moderation_type, content_warnings, allow_external_discovery, subscriber_count, member_count,
       post_count, record_uri, record_cid, created_at)::text
  FROM appview.communities
UNION ALL
SELECT 'subscriptions', uri, ROW(uri, cid, subscriber_did, rkey, community_did, content_visibility, created_at)::text
  FROM appview.subscriptions
UNION ALL
SELECT 'community_blocks', uri, ROW(uri, cid, blocker_did, rkey, community_did, created_at)::text FROM appview.community_blocks
UNION ALL
SELECT 'posts', uri, ROW(uri, cid, community_did, rkey, author_did, title, content, facets, embed, embed_type, labels, langs, tags,
       created_at, deleted_at, upvotes, downvotes, comment_count, top_level_comment_count)::text
  FROM appview.posts
UNION ALL
SELECT 'comments', uri, ROW(uri, cid, author_did, rkey, root_uri, root_cid, parent_uri, parent_cid, depth, content, facets, embed,
       labels, langs, created_at, deleted_at, upvotes, downvotes, reply_count)::text
  FROM appview.comments
UNION ALL
SELECT 'votes', uri, ROW(uri, cid, voter_did, rkey, subject_uri, subject_cid, direction, created_at)::text FROM appview.votes
UNION ALL
SELECT 'aggregator_services', did, ROW(did, uri, cid, display_name, description, avatar_cid, config_schema, source_url,
       maintainer_did, created_at)::text
  FROM appview.aggregator_services
UNION ALL
SELECT 'aggregator_authorizations', uri, ROW(uri, cid, community_did, rkey, aggregator_did, enabled, config, created_by,
       created_at, disabled_at, disabled_by)::text
  FROM appview.aggregator_authorizations
$$;

CREATE OR REPLACE FUNCTION appview.projection_checksums() RETURNS TABLE (tbl text, row_count bigint, md5 text)
    LANGUAGE sql STABLE AS
$$
SELECT tbl, count(*), md5(string_agg(line, E'\n' ORDER BY k COLLATE "C", line COLLATE "C"))
  FROM appview.canonical_rows() GROUP BY tbl ORDER BY tbl
$$;
