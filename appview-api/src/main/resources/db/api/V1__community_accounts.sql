-- The API's own schema (never the indexer's appview schema): what only the API knows.
-- Community accounts: the PDS credentials of every community this instance hosts, sealed (AES-256-GCM, SecretBox).
-- A community is made in steps, each finishing what a failed earlier attempt left:
--   reserved: the name is ours, the password chosen; the PDS account may or may not exist yet
--   account:  the PDS account exists (did known, tokens stored); the profile record may be missing
--   ready:    the profile record is written
CREATE TABLE community_accounts (
    name               text PRIMARY KEY,
    handle             text NOT NULL UNIQUE,
    did                text UNIQUE,
    pds_url            text NOT NULL,
    created_by         text NOT NULL,
    state              text NOT NULL CHECK (state IN ('reserved', 'account', 'ready')),
    password_sealed    bytea NOT NULL,
    access_sealed      bytea,
    refresh_sealed     bytea,
    access_expires_at  timestamptz,
    profile_uri        text,
    profile_cid        text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
