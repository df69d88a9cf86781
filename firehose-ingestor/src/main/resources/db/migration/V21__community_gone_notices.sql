-- A community row deleted also sends gone:<community DID> (firehose-ingestor README, "Change notices"): what only the
-- community's existence decides (the check every feed and listing naming a community makes first) is then kept until
-- the community is gone, not dropped on every post and counter change of the community as c:<DID> would drop it.
-- A deactivated community account sends '*' (the actors trigger of V20).
CREATE TRIGGER communities_deleted_gone_notice AFTER DELETE ON appview.communities REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION appview.notice_changed_rows('gone:', 'did', 'gone:*', '');
