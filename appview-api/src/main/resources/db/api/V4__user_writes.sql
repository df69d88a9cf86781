-- What signed-in users wrote through this AppView, newest per (user, collection, subject): the vote on a post, the
-- subscription to a community, a comment. Jetstream brings each record back to the index; until it has, this row is
-- what the user last did (a toggle must see the vote just made; a read shows it to its writer). Rows older than the
-- index's lag bound are dropped. Nothing here is ever counted: counts come only from the index.
CREATE TABLE user_writes (
    did        text NOT NULL,
    collection text NOT NULL,
    subject    text NOT NULL,      -- votes: the subject's URI; subscriptions and blocks: the community DID; comments: the comment URI
    uri        text NOT NULL,
    cid        text,
    record     jsonb,              -- null when deleted
    written_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (did, collection, subject)
);
CREATE INDEX user_writes_age ON user_writes (written_at);
