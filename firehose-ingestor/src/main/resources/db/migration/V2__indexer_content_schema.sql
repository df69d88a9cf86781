-- Content projections of the indexer: subscriptions, blocks, posts, comments, votes.
-- Counts are maintained incrementally in the batch transaction and recounted by the reconciliation job
-- (definitions in firehose-ingestor/README.md, "Indexer"). URIs and rkeys use COLLATE "C" so TID order = text order.

-- Reddit-style time-invariant hot key: sign(score) * log10(max(|score|, 1)) + epoch_seconds(created_at) / 45000.
-- Epoch seconds of a timestamptz do not depend on the session time zone, so the function is truly immutable.
CREATE FUNCTION appview.hot_key(score bigint, created_at timestamptz) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT sign(score)::double precision * log(greatest(abs(score), 1)::double precision)
          + extract(epoch FROM created_at)::double precision / 45000.0 $$;

-- One row per subscription record (a user may hold several records for one community: counted once).
CREATE TABLE appview.subscriptions (
    uri                text COLLATE "C" PRIMARY KEY,
    cid                text,
    subscriber_did     text NOT NULL,
    rkey               text COLLATE "C" NOT NULL,
    community_did      text NOT NULL,
    content_visibility int  NOT NULL DEFAULT 3 CHECK (content_visibility BETWEEN 1 AND 5),
    created_at         timestamptz,
    indexed_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX subscriptions_subscriber ON appview.subscriptions (subscriber_did, community_did, rkey DESC);
CREATE INDEX subscriptions_community ON appview.subscriptions (community_did, subscriber_did);

CREATE TABLE appview.community_blocks (
    uri           text COLLATE "C" PRIMARY KEY,
    cid           text,
    blocker_did   text NOT NULL,
    rkey          text COLLATE "C" NOT NULL,
    community_did text NOT NULL,
    created_at    timestamptz,
    indexed_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX community_blocks_blocker ON appview.community_blocks (blocker_did, community_did);
CREATE INDEX community_blocks_community ON appview.community_blocks (community_did);

-- Posts live in the community's repo. Deleted posts stay as rows (deleted_at set, content blanked).
-- author_did / created_at are NULL only for a post known solely from its delete.
CREATE TABLE appview.posts (
    uri                     text COLLATE "C" PRIMARY KEY,
    cid                     text,
    community_did           text NOT NULL,
    rkey                    text COLLATE "C" NOT NULL,
    author_did              text,
    title                   text,
    content                 text,
    facets                  jsonb,
    embed                   jsonb,
    embed_type              text,
    labels                  text[],
    langs                   text[],
    tags                    text[],
    created_at              timestamptz,
    indexed_at              timestamptz NOT NULL DEFAULT now(),
    deleted_at              timestamptz,
    upvotes                 bigint NOT NULL DEFAULT 0,
    downvotes               bigint NOT NULL DEFAULT 0,
    score                   bigint GENERATED ALWAYS AS (upvotes - downvotes) STORED,
    comment_count           bigint NOT NULL DEFAULT 0,
    top_level_comment_count bigint NOT NULL DEFAULT 0,
    hot_key                 double precision GENERATED ALWAYS AS (appview.hot_key(upvotes - downvotes, created_at)) STORED
);
-- one index per feed sort; keyset tiebreak on uri
CREATE INDEX posts_community_hot ON appview.posts (community_did, hot_key DESC, uri DESC) WHERE deleted_at IS NULL;
CREATE INDEX posts_community_top ON appview.posts (community_did, score DESC, created_at DESC, uri DESC) WHERE deleted_at IS NULL;
CREATE INDEX posts_community_new ON appview.posts (community_did, created_at DESC, uri DESC) WHERE deleted_at IS NULL;
CREATE INDEX posts_hot ON appview.posts (hot_key DESC, uri DESC) WHERE deleted_at IS NULL;
CREATE INDEX posts_top ON appview.posts (score DESC, created_at DESC, uri DESC) WHERE deleted_at IS NULL;
CREATE INDEX posts_new ON appview.posts (created_at DESC, uri DESC) WHERE deleted_at IS NULL;
CREATE INDEX posts_author ON appview.posts (author_did, created_at DESC, uri DESC) WHERE deleted_at IS NULL;

-- Comments live in the commenter's repo. Deleted comments stay (content blanked) so threads keep their shape.
-- depth: 0 = direct reply to the post; NULL while an ancestor comment is unknown (filled when it arrives).
CREATE TABLE appview.comments (
    uri         text COLLATE "C" PRIMARY KEY,
    cid         text,
    author_did  text NOT NULL,
    rkey        text COLLATE "C" NOT NULL,
    root_uri    text COLLATE "C",
    root_cid    text,
    parent_uri  text COLLATE "C",
    parent_cid  text,
    depth       int,
    content     text,
    facets      jsonb,
    embed       jsonb,
    labels      text[],
    langs       text[],
    created_at  timestamptz,
    indexed_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at  timestamptz,
    upvotes     bigint NOT NULL DEFAULT 0,
    downvotes   bigint NOT NULL DEFAULT 0,
    score       bigint GENERATED ALWAYS AS (upvotes - downvotes) STORED,
    reply_count bigint NOT NULL DEFAULT 0,
    hot_key     double precision GENERATED ALWAYS AS (appview.hot_key(upvotes - downvotes, created_at)) STORED
);
-- thread reads by parent (deleted rows included: placeholders), one per sort
CREATE INDEX comments_parent_hot ON appview.comments (parent_uri, hot_key DESC, uri DESC);
CREATE INDEX comments_parent_top ON appview.comments (parent_uri, score DESC, created_at DESC, uri DESC);
CREATE INDEX comments_parent_new ON appview.comments (parent_uri, created_at DESC, uri DESC);
CREATE INDEX comments_root ON appview.comments (root_uri, created_at DESC, uri DESC);
CREATE INDEX comments_author ON appview.comments (author_did, created_at DESC, uri DESC) WHERE deleted_at IS NULL;

-- One row per live vote record; a deleted vote leaves only its tombstone in appview.records.
-- A voter's effective vote on a subject is their record with the greatest rkey (only that one is counted).
CREATE TABLE appview.votes (
    uri         text COLLATE "C" PRIMARY KEY,
    cid         text,
    voter_did   text NOT NULL,
    rkey        text COLLATE "C" NOT NULL,
    subject_uri text COLLATE "C" NOT NULL,
    subject_cid text,
    direction   text NOT NULL CHECK (direction IN ('up', 'down')),
    created_at  timestamptz,
    indexed_at  timestamptz NOT NULL DEFAULT now()
);
-- viewer vote lookup (voter, subjects of a page) and effective-vote lookup
CREATE INDEX votes_voter_subject ON appview.votes (voter_did, subject_uri, rkey DESC) INCLUDE (direction, uri, cid);
CREATE INDEX votes_subject ON appview.votes (subject_uri, voter_did, rkey DESC) INCLUDE (direction);

-- Read helpers: content of deactivated / taken-down / deleted accounts is hidden by joining appview.actors.
-- Simple views (inlined by the planner, so the indexes above still drive feed walks).
CREATE VIEW appview.visible_posts AS
SELECT p.* FROM appview.posts p
 WHERE p.deleted_at IS NULL
   AND NOT EXISTS (SELECT 1 FROM appview.actors a WHERE a.did = p.author_did AND NOT a.active)
   AND NOT EXISTS (SELECT 1 FROM appview.actors a WHERE a.did = p.community_did AND NOT a.active);

CREATE VIEW appview.visible_comments AS
SELECT c.*, (c.deleted_at IS NOT NULL OR a.active IS FALSE) AS hidden
  FROM appview.comments c
  LEFT JOIN appview.actors a ON a.did = c.author_did;

-- Reconciliation drift history (one row per counter per run that found drift).
CREATE TABLE appview.count_reconciliations (
    id          bigserial PRIMARY KEY,
    counter     text NOT NULL,
    rows_fixed  bigint NOT NULL,
    ran_at      timestamptz NOT NULL DEFAULT now()
);
