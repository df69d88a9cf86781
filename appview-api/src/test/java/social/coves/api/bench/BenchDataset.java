package social.coves.api.bench;

import java.sql.Connection;
import java.sql.Statement;

/**
 * A large synthetic dataset written straight into the projections with set-based SQL (the indexer's own throughput
 * is measured separately): {@code communities} communities, {@code posts} posts (one community holds a tenth of
 * them), a post with {@code comments} threaded comments, and a viewer subscribed to 50 communities (the big one among
 * them), plus {@link #VIEWERS} more viewers with 50 subscriptions each, spread over all communities.
 */
final class BenchDataset {

    static final String VIEWER = "did:plc:benchviewerbenchviewerbe";
    static final int VIEWERS = 100;

    /** Viewer {@code k} of 1..{@link #VIEWERS}. */
    static String viewer(int k) {
        return did("benchreader", k);
    }

    private BenchDataset() {
    }

    /** DID with a base32-only 24-character body built from a number. */
    static String did(String prefix, long n) {
        String digits = Long.toString(n);
        String body = (prefix + "z".repeat(24)).substring(0, 24 - digits.length()) + digits;
        return "did:plc:" + body.replace('0', 'a').replace('1', 'b').replace('8', 'c').replace('9', 'd');
    }

    static String didSql(String prefix, String numberExpr) {
        return "'did:plc:' || translate(rpad('" + prefix + "', 24 - length((" + numberExpr + ")::text), 'z') || (" + numberExpr
                + ")::text, '0189', 'abcd')";
    }

    static void create(Connection c, int communities, int posts, int comments) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT setseed(0.42)");
            s.execute("INSERT INTO appview.actors (did, handle) SELECT " + didSql("benchuser", "i") + ", 'u' || i || '.bench.test' "
                    + "FROM generate_series(1, 20000) i ON CONFLICT DO NOTHING");
            s.execute("INSERT INTO appview.actors (did, handle) SELECT " + didSql("benchcomm", "i") + ", 'c-bench' || i || '.bench.test' "
                    + "FROM generate_series(1, " + communities + ") i ON CONFLICT DO NOTHING");
            s.execute("INSERT INTO appview.communities (did, name, display_name, record_uri, created_at, post_count) SELECT "
                    + didSql("benchcomm", "i") + ", 'bench' || i, 'Bench ' || i, 'at://' || " + didSql("benchcomm", "i")
                    + " || '/social.coves.community.profile/self', now() - interval '400 days', 0 "
                    + "FROM generate_series(1, " + communities + ") i ON CONFLICT DO NOTHING");
            // community 1 gets a tenth of all posts; the rest spread evenly
            s.execute("INSERT INTO appview.posts (uri, cid, community_did, rkey, author_did, title, content, created_at, upvotes, downvotes, comment_count) "
                    + "SELECT 'at://' || cd || '/social.coves.community.post/' || rk, 'bafyreibench' || i, cd, rk, "
                    + didSql("benchuser", "1 + (i % 20000)") + ", 'Post number ' || i, 'Body of post ' || i, "
                    + "now() - (i * interval '31 seconds'), (random() * random() * 200)::int, (random() * 10)::int, 0 "
                    + "FROM (SELECT i, CASE WHEN i % 10 = 0 THEN " + didSql("benchcomm", "1") + " ELSE " + didSql("benchcomm", "2 + (i % " + (communities - 1) + ")")
                    + " END AS cd, translate(lpad(i::text, 13, 'z'), '0189', 'abcd') AS rk FROM generate_series(1, " + posts + ") i) g");
            s.execute("UPDATE appview.communities c SET post_count = n FROM (SELECT community_did, count(*) n FROM appview.posts GROUP BY 1) p "
                    + "WHERE p.community_did = c.did");
            // the thread: the newest post of community 1 gets `comments` comments, a third top-level, the rest replies
            s.execute("CREATE TEMP TABLE bench_root AS SELECT uri, cid FROM appview.posts WHERE community_did = " + didSql("benchcomm", "1")
                    + " ORDER BY created_at DESC LIMIT 1");
            s.execute("INSERT INTO appview.comments (uri, cid, author_did, rkey, root_uri, root_cid, parent_uri, parent_cid, depth, content, created_at, upvotes) "
                    + "SELECT 'at://' || " + didSql("benchuser", "1 + (i % 20000)") + " || '/social.coves.community.comment/' || translate(lpad(i::text, 13, 'y'), '0189', 'abcd'), "
                    + "'bafyreicomment' || i, " + didSql("benchuser", "1 + (i % 20000)") + ", translate(lpad(i::text, 13, 'y'), '0189', 'abcd'), r.uri, r.cid, "
                    + "CASE WHEN i <= " + Math.max(1, comments / 3) + " THEN r.uri ELSE 'at://' || " + didSql("benchuser", "1 + ((i / 3) % 20000)")
                    + " || '/social.coves.community.comment/' || translate(lpad((i / 3)::text, 13, 'y'), '0189', 'abcd') END, r.cid, "
                    + "CASE WHEN i <= " + Math.max(1, comments / 3) + " THEN 0 ELSE 1 END, 'Comment ' || i, now() - (i * interval '7 seconds'), (random() * 50)::int "
                    + "FROM generate_series(1, " + comments + ") i, bench_root r");
            s.execute("UPDATE appview.comments c SET reply_count = n FROM (SELECT parent_uri, count(*) n FROM appview.comments GROUP BY 1) k WHERE k.parent_uri = c.uri");
            s.execute("UPDATE appview.posts p SET comment_count = " + comments + " FROM bench_root r WHERE p.uri = r.uri");
            s.execute("INSERT INTO appview.subscriptions (uri, subscriber_did, rkey, community_did, content_visibility, created_at) "
                    + "SELECT 'at://" + VIEWER + "/social.coves.community.subscription/' || translate(lpad(i::text, 13, 'x'), '0189', 'abcd'), '"
                    + VIEWER + "', translate(lpad(i::text, 13, 'x'), '0189', 'abcd'), " + didSql("benchcomm", "i") + ", 5, now() "
                    + "FROM generate_series(1, 50) i ON CONFLICT DO NOTHING");
            // viewer k subscribes to communities 1 + (37k + 19j) mod N, j = 0..49: fifty distinct ones each
            s.execute("INSERT INTO appview.subscriptions (uri, subscriber_did, rkey, community_did, content_visibility, created_at) "
                    + "SELECT 'at://' || " + didSql("benchreader", "k") + " || '/social.coves.community.subscription/' || translate(lpad(j::text, 13, 'x'), '0189', 'abcd'), "
                    + didSql("benchreader", "k") + ", translate(lpad(j::text, 13, 'x'), '0189', 'abcd'), "
                    + didSql("benchcomm", "1 + (37 * k + 19 * j) % " + communities) + ", 3, now() "
                    + "FROM generate_series(1, " + VIEWERS + ") k, generate_series(0, 49) j ON CONFLICT DO NOTHING");
            s.execute("ANALYZE");
        }
    }

    static String rootPostUri(Connection c) throws Exception {
        try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT root_uri FROM appview.comments WHERE root_uri LIKE 'at://"
                + did("benchcomm", 1) + "/%' LIMIT 1")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
