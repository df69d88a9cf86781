-- Shared identity cache: pods read here before going to the network and write what they fetched.
CREATE TABLE cache_entry (
    cache_key  text        PRIMARY KEY,          -- a DID, or 'handle:' + normalised handle
    did        text,                             -- the DID the entry is about (purges delete by it)
    status     text        NOT NULL,             -- found | not_found | deactivated | invalid | failed
    value      text,                             -- DID document JSON (DID keys) or DID (handle keys)
    message    text        NOT NULL DEFAULT '',
    source     text        NOT NULL,
    fetched_at timestamptz NOT NULL,
    stale_at   timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX cache_entry_did ON cache_entry (did);
CREATE INDEX cache_entry_expires_at ON cache_entry (expires_at);
