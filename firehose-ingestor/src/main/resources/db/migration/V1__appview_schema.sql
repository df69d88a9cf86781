-- The appview schema: projections of the Kafka log, owned by the indexer role.
-- Revs are TIDs (base32-sortable); "C" collation makes text comparison match their order.

CREATE SCHEMA IF NOT EXISTS appview;

-- Kafka offsets applied to this schema, written in the same transaction as the projections (exactly-once effects).
CREATE TABLE appview.consumer_offsets (
    group_id    text   NOT NULL,
    topic       text   NOT NULL,
    partition   int    NOT NULL,
    next_offset bigint NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, topic, partition)
);

-- Per-record bookkeeping: the newest rev applied for (did, collection, rkey); deletes stay as tombstones so a
-- replayed older create cannot resurrect the record.
CREATE TABLE appview.records (
    did        text NOT NULL,
    collection text NOT NULL,
    rkey       text NOT NULL,
    rev        text COLLATE "C" NOT NULL,
    cid        text,
    deleted    boolean NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (did, collection, rkey)
);

-- Every account we have heard of: users and communities alike (a community is an atproto account).
CREATE TABLE appview.actors (
    did          text PRIMARY KEY,
    handle       text,
    display_name text,
    bio          text,
    avatar_cid   text,
    banner_cid   text,
    active       boolean NOT NULL DEFAULT true,
    status       text,
    identity_seq bigint,
    created_at   timestamptz,
    indexed_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX actors_handle ON appview.actors (lower(handle));

CREATE TABLE appview.communities (
    did                      text PRIMARY KEY,
    name                     text NOT NULL,
    display_name             text,
    description              text,
    description_facets       jsonb,
    avatar_cid               text,
    banner_cid               text,
    created_by               text,
    hosted_by                text,
    visibility               text NOT NULL DEFAULT 'public',
    moderation_type          text NOT NULL DEFAULT 'moderator',
    content_warnings         text[] NOT NULL DEFAULT '{}',
    allow_external_discovery boolean NOT NULL DEFAULT true,
    subscriber_count         bigint NOT NULL DEFAULT 0,
    member_count             bigint NOT NULL DEFAULT 0,
    post_count               bigint NOT NULL DEFAULT 0,
    record_uri               text NOT NULL,
    record_cid               text,
    created_at               timestamptz,
    indexed_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX communities_name ON appview.communities (name);

-- Envelopes the indexer could not decode: kept with their position so nothing is lost silently.
CREATE TABLE appview.index_rejects (
    topic      text   NOT NULL,
    partition  int    NOT NULL,
    "offset"   bigint NOT NULL,
    reason     text   NOT NULL,
    payload    text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition, "offset")
);
