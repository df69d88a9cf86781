-- Aggregators (issue 24): automated posters that declare themselves with a service record in their own repo and may
-- post only into communities whose repo holds an enabled authorization record for them.

-- social.coves.aggregator.service, rkey "self", in the aggregator's repo; did = the repo DID (checked at ingest).
-- Deleting the record removes the row (the aggregator is no longer declared; its authorizations stay, inert).
CREATE TABLE appview.aggregator_services (
    did            text PRIMARY KEY,
    uri            text COLLATE "C" NOT NULL,
    cid            text,
    display_name   text NOT NULL,
    description    text,
    avatar_cid     text,
    config_schema  jsonb,
    source_url     text,
    maintainer_did text,
    created_at     timestamptz,
    indexed_at     timestamptz NOT NULL DEFAULT now()
);

-- social.coves.aggregator.authorization, any rkey, in the community's repo; community_did = the repo DID (checked at
-- ingest). One row per record: an update that names another aggregator moves the row (the old pairing is gone).
CREATE TABLE appview.aggregator_authorizations (
    uri            text COLLATE "C" PRIMARY KEY,
    cid            text,
    community_did  text NOT NULL,
    rkey           text COLLATE "C" NOT NULL,
    aggregator_did text NOT NULL,
    enabled        boolean NOT NULL,
    config         jsonb,
    created_by     text,
    created_at     timestamptz,
    disabled_at    timestamptz,
    disabled_by    text,
    indexed_at     timestamptz NOT NULL DEFAULT now()
);
-- post.create's check (is this pair enabled?) and the two keyset listings (newest first, uri tiebreak)
CREATE INDEX aggregator_authorizations_pair ON appview.aggregator_authorizations (aggregator_did, community_did) WHERE enabled;
CREATE INDEX aggregator_authorizations_by_aggregator ON appview.aggregator_authorizations (aggregator_did, created_at DESC, uri DESC);
CREATE INDEX aggregator_authorizations_by_community ON appview.aggregator_authorizations (community_did, created_at DESC, uri DESC);
