-- Aggregators (issue 24): what only the API knows about them. Their service and authorization records are the
-- indexer's (appview.aggregator_services / aggregator_authorizations).

-- An aggregator registered with this instance: its DID proved by https://{domain}/.well-known/atproto-did.
CREATE TABLE aggregator_registrations (
    did           text PRIMARY KEY,
    domain        text NOT NULL,
    handle        text,
    registered_at timestamptz NOT NULL DEFAULT now()
);

-- One API key per aggregator, stored only as its SHA-256 (hex) and the first 12 characters; a new key replaces the
-- old one. Checked on every request (no cache), so a revocation holds on every replica at once.
CREATE TABLE aggregator_api_keys (
    aggregator_did text PRIMARY KEY REFERENCES aggregator_registrations (did) ON DELETE CASCADE,
    key_prefix     text NOT NULL,
    key_hash       text NOT NULL UNIQUE,
    created_at     timestamptz NOT NULL DEFAULT now(),
    revoked_at     timestamptz,
    last_used_at   timestamptz
);

-- The posting quota: one row per post an aggregator made (or is making) in a community, kept for the rolling window.
-- Reservations are taken under an advisory lock per (aggregator, community), so every API replica counts the same.
CREATE TABLE aggregator_posts (
    id             bigserial PRIMARY KEY,
    aggregator_did text NOT NULL,
    community_did  text NOT NULL,
    posted_at      timestamptz NOT NULL,
    post_uri       text
);
CREATE INDEX aggregator_posts_window ON aggregator_posts (aggregator_did, community_did, posted_at);
