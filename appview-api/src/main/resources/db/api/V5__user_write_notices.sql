-- A user's write through this AppView changes what views show as theirs (their vote, subscription or block) for every
-- replica, as the index's own changes do: the same notice (channel coves_index_changes, key u:<account DID>; the
-- firehose-ingestor README, "Change notices"), sent when the transaction commits.
CREATE FUNCTION user_writes_notice() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    keys text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        SELECT string_agg(DISTINCT 'u:' || did, ' ') INTO keys FROM old_rows;
    ELSE
        SELECT string_agg(DISTINCT 'u:' || did, ' ') INTO keys FROM new_rows;
    END IF;
    IF keys IS NOT NULL THEN
        PERFORM pg_notify('coves_index_changes', CASE WHEN octet_length(keys) > 7900 THEN 'u:*' ELSE keys END);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER user_writes_inserted_notice AFTER INSERT ON user_writes REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION user_writes_notice();
CREATE TRIGGER user_writes_updated_notice AFTER UPDATE ON user_writes REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION user_writes_notice();
CREATE TRIGGER user_writes_deleted_notice AFTER DELETE ON user_writes REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION user_writes_notice();
