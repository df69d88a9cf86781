package social.coves.api.bench;

import social.coves.api.hydration.PostsByUri;
import social.coves.api.posts.PostRows;

import java.sql.Connection;
import java.util.List;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/** Prints the plan of the community hot feed query, as the API sends it, for the benchmark notes. */
final class QueryPlans {

    private QueryPlans() {
    }

    /** The timeline query for {@code viewer}, newest first, page 1 (one parameter: the viewer). */
    static final String TIMELINE = "SELECT " + PostsByUri.COLUMNS + " FROM (SELECT p.* FROM (SELECT DISTINCT ON (community_did) "
                + "community_did, content_visibility FROM appview.subscriptions WHERE subscriber_did = ? ORDER BY community_did, rkey DESC) s "
                + "CROSS JOIN LATERAL (SELECT * FROM appview.posts p WHERE p.community_did = s.community_did AND " + PostRows.VISIBLE
                + " ORDER BY p.created_at DESC, p.uri DESC LIMIT 16) p ORDER BY p.created_at DESC, p.uri DESC LIMIT 16) p "
                + "LEFT JOIN appview.actors aa ON aa.did = p.author_did "
                + "LEFT JOIN appview.communities c ON c.did = p.community_did LEFT JOIN appview.actors ca ON ca.did = p.community_did "
                + "ORDER BY p.created_at DESC, p.uri DESC";

    /** The community hot feed, page 1 (one parameter: the community). */
    static final String COMMUNITY_HOT = "SELECT " + PostsByUri.COLUMNS + PostsByUri.FROM + "WHERE " + PostRows.VISIBLE
            + " AND p.community_did = ? ORDER BY p.hot_key DESC, p.uri DESC LIMIT 16";

    /**
     * A query with its one parameter written in as a constant, for pgbench: colons are spelled {@code chr(58)} because
     * pgbench reads {@code :name} as a variable even inside quotes; the planner folds the constant expression.
     */
    static String withLiteral(String sql, String value) {
        String literal = "('" + value.replace("'", "''").replace(":", "' || chr(58) || '") + "')";
        return sql.replace("?", literal);
    }

    static void printTimeline(Connection c, String viewer) throws Exception {
        String sql = "EXPLAIN (ANALYZE, BUFFERS) " + TIMELINE;
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, viewer);
            try (ResultSet rs = s.executeQuery()) {
                System.out.println("plan of the timeline, page 1:");
                while (rs.next()) {
                    System.out.println("  " + rs.getString(1));
                }
            }
        }
    }

    /**
     * The community feeds as the API's prepared statements run them after a few executions: a generic plan, with the
     * page size a parameter too (the planner then cannot see the LIMIT).
     */
    static void printGeneric(Connection c, String community) throws Exception {
        try (var st = c.createStatement()) {
            st.execute("SET plan_cache_mode = force_generic_plan");
            for (String order : List.of("p.hot_key DESC, p.uri DESC", "p.created_at DESC, p.uri DESC")) {
                st.execute("DEALLOCATE ALL");
                st.execute("PREPARE feed(text, int) AS SELECT " + PostsByUri.COLUMNS + PostsByUri.FROM + "WHERE " + PostRows.VISIBLE
                        + " AND p.community_did = $1 ORDER BY " + order + " LIMIT $2");
                try (ResultSet rs = st.executeQuery("EXPLAIN (ANALYZE) EXECUTE feed('" + community + "', 16)")) {
                    System.out.println("generic plan, ORDER BY " + order + ":");
                    while (rs.next()) {
                        System.out.println("generic   " + rs.getString(1));
                    }
                }
            }
            st.execute("RESET plan_cache_mode");
        }
    }

    static void print(Connection c, String community) throws Exception {
        String sql = "EXPLAIN (ANALYZE, BUFFERS) " + COMMUNITY_HOT;
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, community);
            try (ResultSet rs = s.executeQuery()) {
                System.out.println("plan of the community hot feed, page 1:");
                while (rs.next()) {
                    System.out.println("  " + rs.getString(1));
                }
            }
        }
    }
}
