-- Users signed in through this AppView (issue 23): the AppView is their atproto OAuth client. Tokens and DPoP keys
-- are sealed (AES-256-GCM, coves.api.sealing) with associated data naming the row and column they belong to.

-- A sign-in between /oauth/login and /oauth/callback, found by its OAuth state (single use: deleted when finished).
CREATE TABLE oauth_sign_ins (
    state               text PRIMARY KEY,
    browser_hash        text NOT NULL,          -- SHA-256 of the state cookie the starting browser holds
    did                 text NOT NULL,
    handle              text NOT NULL,
    pds_url             text NOT NULL,
    issuer              text NOT NULL,
    token_endpoint      text NOT NULL,
    revocation_endpoint text,
    verifier_sealed     bytea NOT NULL,         -- PKCE code verifier
    dpop_key_sealed     bytea NOT NULL,         -- the session's DPoP private key (JWK)
    dpop_nonce          text,
    app                 text NOT NULL,          -- 'web' or 'mobile'
    return_to           text NOT NULL,          -- where the app or browser goes back to
    client_state        text,                   -- the web app's own state, handed back
    expires_at          timestamptz NOT NULL
);
CREATE INDEX oauth_sign_ins_expiry ON oauth_sign_ins (expires_at);

-- A signed-in session. The sealed token the app holds names (did, session_id) and an expiry; revoked_at set = gone.
CREATE TABLE oauth_sessions (
    session_id          text PRIMARY KEY,
    did                 text NOT NULL,
    handle              text NOT NULL,
    pds_url             text NOT NULL,
    issuer              text NOT NULL,
    token_endpoint      text NOT NULL,
    revocation_endpoint text,
    scope               text NOT NULL,
    access_sealed       bytea NOT NULL,
    refresh_sealed      bytea,
    access_expires_at   timestamptz NOT NULL,
    dpop_key_sealed     bytea NOT NULL,
    as_nonce            text,                   -- the authorization server's latest DPoP nonce
    pds_nonce           text,                   -- the PDS's latest DPoP nonce
    created_at          timestamptz NOT NULL DEFAULT now(),
    refreshed_at        timestamptz,
    expires_at          timestamptz NOT NULL,   -- the newest sealed token's expiry
    revoked_at          timestamptz
);
CREATE INDEX oauth_sessions_did ON oauth_sessions (did);
