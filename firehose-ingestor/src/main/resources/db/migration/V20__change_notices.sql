-- Change notices (firehose-ingestor README, "Change notices"): every statement that changes what a read shows sends,
-- at its commit, a PostgreSQL notification on channel coves_index_changes, so API replicas keep the pages they
-- answered until the index under them changes, instead of for a guessed ttl. The payload is space-separated keys:
--   c:<community DID>   a post of that community, or the community's own row, changed
--   communities         some community's own row changed (listings of communities)
--   t:<root post URI>   a comment of that thread changed
--   u:<account DID>     that account's own votes, subscriptions or community blocks changed (what a viewer sees as theirs)
--   c:* t:* u:*         every key of that kind: one statement changed more than one notice can name (8,000 bytes)
--   *                   anything else a view may show changed (an author's handle, name, avatar or status; an
--                       aggregator declaration)
-- A notice is sent only when the transaction commits; one statement sends at most one. Statement-level triggers read
-- the statement's transition tables, so a batch of the fold costs one notice per table it wrote, not one per row.

-- keys: what changed; overflow: what to send instead when keys do not fit in one notice
CREATE FUNCTION appview.send_change_notice(keys text, overflow text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF keys IS NULL OR keys = '' THEN
        RETURN;
    END IF;
    PERFORM pg_notify('coves_index_changes', CASE WHEN octet_length(keys) > 7900 THEN overflow ELSE keys END);
END
$$;

-- The keys of the rows a statement changed: TG_ARGV[0] the key's kind ('c:'), [1] the column naming it, [2] what to
-- send when they do not fit in one notice, [3] a key sent first whenever one is sent ('' for none).
CREATE FUNCTION appview.notice_changed_rows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    keys text;
BEGIN
    EXECUTE format('SELECT string_agg(DISTINCT %L || %I, '' '') FROM %I WHERE %I IS NOT NULL', TG_ARGV[0], TG_ARGV[1],
                   CASE WHEN TG_OP = 'DELETE' THEN 'old_rows' ELSE 'new_rows' END, TG_ARGV[1]) INTO keys;
    IF keys IS NOT NULL AND TG_ARGV[3] <> '' THEN
        keys := TG_ARGV[3] || ' ' || keys;
    END IF;
    PERFORM appview.send_change_notice(keys, TG_ARGV[2]);
    RETURN NULL;
END
$$;

-- posts → their communities; comments → their threads; communities → themselves and every listing of communities;
-- an account's own votes, subscriptions and community blocks → that account (what views show as the viewer's, and
-- which communities their timeline walks)
CREATE TRIGGER posts_inserted_notice AFTER INSERT ON appview.posts REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION appview.notice_changed_rows('c:', 'community_did', 'c:*', '');
CREATE TRIGGER posts_updated_notice AFTER UPDATE ON appview.posts REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION appview.notice_changed_rows('c:', 'community_did', 'c:*', '');
CREATE TRIGGER posts_deleted_notice AFTER DELETE ON appview.posts REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION appview.notice_changed_rows('c:', 'community_did', 'c:*', '');
CREATE TRIGGER comments_inserted_notice AFTER INSERT ON appview.comments REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION appview.notice_changed_rows('t:', 'root_uri', 't:*', '');
CREATE TRIGGER comments_updated_notice AFTER UPDATE ON appview.comments REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION appview.notice_changed_rows('t:', 'root_uri', 't:*', '');
CREATE TRIGGER comments_deleted_notice AFTER DELETE ON appview.comments REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION appview.notice_changed_rows('t:', 'root_uri', 't:*', '');
CREATE TRIGGER communities_inserted_notice AFTER INSERT ON appview.communities REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION appview.notice_changed_rows('c:', 'did', 'communities c:*', 'communities');
CREATE TRIGGER communities_updated_notice AFTER UPDATE ON appview.communities REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION appview.notice_changed_rows('c:', 'did', 'communities c:*', 'communities');
CREATE TRIGGER communities_deleted_notice AFTER DELETE ON appview.communities REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION appview.notice_changed_rows('c:', 'did', 'communities c:*', 'communities');
CREATE TRIGGER votes_inserted_notice AFTER INSERT ON appview.votes REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION appview.notice_changed_rows('u:', 'voter_did', 'u:*', '');
CREATE TRIGGER votes_updated_notice AFTER UPDATE ON appview.votes REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION appview.notice_changed_rows('u:', 'voter_did', 'u:*', '');
CREATE TRIGGER votes_deleted_notice AFTER DELETE ON appview.votes REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION appview.notice_changed_rows('u:', 'voter_did', 'u:*', '');
CREATE TRIGGER subscriptions_inserted_notice AFTER INSERT ON appview.subscriptions REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION appview.notice_changed_rows('u:', 'subscriber_did', 'u:*', '');
CREATE TRIGGER subscriptions_updated_notice AFTER UPDATE ON appview.subscriptions REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION appview.notice_changed_rows('u:', 'subscriber_did', 'u:*', '');
CREATE TRIGGER subscriptions_deleted_notice AFTER DELETE ON appview.subscriptions REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION appview.notice_changed_rows('u:', 'subscriber_did', 'u:*', '');
CREATE TRIGGER community_blocks_inserted_notice AFTER INSERT ON appview.community_blocks REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION appview.notice_changed_rows('u:', 'blocker_did', 'u:*', '');
CREATE TRIGGER community_blocks_updated_notice AFTER UPDATE ON appview.community_blocks REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION appview.notice_changed_rows('u:', 'blocker_did', 'u:*', '');
CREATE TRIGGER community_blocks_deleted_notice AFTER DELETE ON appview.community_blocks REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION appview.notice_changed_rows('u:', 'blocker_did', 'u:*', '');

-- Actors: only what a view shows. The fold's first sight of an account inserts a bare row (no handle, no name,
-- active), which shows exactly what no row shows, and the handle job's bookkeeping columns show nothing: neither
-- sends a notice. An actor is shown in posts and comments of any community, so a shown change is '*'.
CREATE FUNCTION appview.notice_actors_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF EXISTS (SELECT 1 FROM old_rows) THEN
            PERFORM appview.send_change_notice('*', '*');
        END IF;
    ELSIF TG_OP = 'INSERT' THEN
        IF EXISTS (SELECT 1 FROM new_rows WHERE shown_handle IS NOT NULL OR display_name IS NOT NULL OR bio IS NOT NULL
                   OR avatar_cid IS NOT NULL OR banner_cid IS NOT NULL OR NOT active OR status IS NOT NULL) THEN
            PERFORM appview.send_change_notice('*', '*');
        END IF;
    ELSIF EXISTS (SELECT 1 FROM new_rows n JOIN old_rows o ON o.did = n.did
                  WHERE (n.shown_handle, n.display_name, n.bio, n.avatar_cid, n.banner_cid, n.active, n.status)
                        IS DISTINCT FROM (o.shown_handle, o.display_name, o.bio, o.avatar_cid, o.banner_cid, o.active, o.status)) THEN
        PERFORM appview.send_change_notice('*', '*');
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER actors_inserted_notice AFTER INSERT ON appview.actors REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION appview.notice_actors_changed();
CREATE TRIGGER actors_updated_notice AFTER UPDATE ON appview.actors REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION appview.notice_actors_changed();
CREATE TRIGGER actors_deleted_notice AFTER DELETE ON appview.actors REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION appview.notice_actors_changed();

-- Whether a post's author is an aggregator is shown on every post of theirs.
CREATE FUNCTION appview.notice_everything_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM appview.send_change_notice('*', '*');
    RETURN NULL;
END
$$;
CREATE TRIGGER aggregator_services_notice AFTER INSERT OR UPDATE OR DELETE ON appview.aggregator_services
    FOR EACH STATEMENT EXECUTE FUNCTION appview.notice_everything_changed();
