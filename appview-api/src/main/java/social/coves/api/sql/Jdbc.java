package social.coves.api.sql;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The few blocking JDBC shapes the API's own stores use (schema {@code coves_api}: community credentials, sessions,
 * aggregator keys, recent writes), written once: a statement with positional arguments, the first row of a query, a
 * transaction. A failure is an {@link IllegalStateException} naming the store.
 */
public final class Jdbc {

    /** Maps the current row of a result. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    /** Work inside one transaction, on its connection. */
    @FunctionalInterface
    public interface InTransaction<T> {
        T run(Connection c) throws SQLException;
    }

    private Jdbc() {
    }

    /** Runs an INSERT/UPDATE/DELETE; answers the rows changed. */
    public static int update(DataSource db, String store, String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(store + ": " + e.getMessage(), e);
        }
    }

    /** The first row of a query, mapped; empty when there is none. */
    public static <T> Optional<T> first(DataSource db, String store, String sql, RowMapper<T> map, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.ofNullable(map.map(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(store + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public static <T> T inTransaction(DataSource db, String store, InTransaction<T> work) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(store + ": " + e.getMessage(), e);
        }
    }

    public static void bind(PreparedStatement s, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            s.setObject(i + 1, args[i]);
        }
    }
}
