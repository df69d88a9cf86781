package social.coves.api.bench;

import social.coves.api.posts.PostRows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/** Prints the plan of the community hot feed query, as the API sends it, for the benchmark notes. */
final class QueryPlans {

    private QueryPlans() {
    }

    static void print(Connection c, String community) throws Exception {
        String sql = "EXPLAIN (ANALYZE, BUFFERS) SELECT " + PostRows.COLUMNS + PostRows.FROM
                + " AND p.community_did = ? ORDER BY p.hot_key DESC, p.uri DESC LIMIT 16";
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
