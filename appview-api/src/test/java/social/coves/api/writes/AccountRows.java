package social.coves.api.writes;

import social.coves.localstack.testing.SharedPostgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** Direct access to the API's {@code coves_api.community_accounts} rows: what an operator (or an attacker) would see. */
final class AccountRows {

    private AccountRows() {
    }

    static Connection db() throws SQLException {
        SharedPostgres.Connection pg = SharedPostgres.connection();
        return DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
    }

    /** Runs {@code sql} with one string parameter (the community's DID or name). */
    static void execute(String sql, String key) throws SQLException {
        try (Connection c = db(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, key);
            s.executeUpdate();
        }
    }

    static void expireAccessToken(String did) throws SQLException {
        execute("UPDATE coves_api.community_accounts SET access_expires_at = now() WHERE did = ?", did);
    }

    static void setSealed(String did, String column, byte[] value) throws SQLException {
        try (Connection c = db(); PreparedStatement s = c.prepareStatement(
                "UPDATE coves_api.community_accounts SET " + column + " = ? WHERE did = ?")) {
            s.setBytes(1, value);
            s.setString(2, did);
            s.executeUpdate();
        }
    }

    static byte[] column(String did, String column) throws SQLException {
        try (Connection c = db(); PreparedStatement s = c.prepareStatement(
                "SELECT " + column + " FROM coves_api.community_accounts WHERE did = ?")) {
            s.setString(1, did);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getBytes(1);
            }
        }
    }
}
