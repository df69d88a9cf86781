package social.coves.api.oauth;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import social.coves.localstack.pds.PdsAccounts;
import social.coves.localstack.testing.OAuthBrowser;
import social.coves.localstack.testing.SharedPostgres;
import social.coves.localstack.testing.TestTls;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signing test users in through the AppView with a real browser ({@link OAuthBrowser} on the PDS's own pages), the
 * calls an app then makes with its sealed token, and the stored session rows ({@code coves_api.oauth_sessions}) as an
 * operator sees them. {@code publicUrl} is the AppView's HTTPS origin (its OAuth client id's), e.g.
 * {@code SignInAppResource.publicUrl()}; calls without a base URL go to the app under test (RestAssured's default).
 */
public final class SignIns {

    public static final String APP_REDIRECT = "social.coves:/callback";
    public static final String SESSION_COOKIE = "coves_session";
    public static final String BROWSER_COOKIE = "coves_oauth_browser";

    private static final AtomicInteger SUBJECTS = new AtomicInteger();

    private SignIns() {
    }

    /** What the app's deep link carried back from a mobile sign-in. */
    public record Session(String token, String did, String sessionId, String handle) {
        public String bearer() {
            return "Bearer " + token;
        }

        /** The same session with another sealed token (a refreshed one). */
        public Session withToken(String other) {
            return new Session(other, did, sessionId, handle);
        }
    }

    /** The callback a browser was about to make (stopped before it was sent), and the browser's sign-in cookie. */
    public record Callback(String state, String code, String iss, String browserCookie) {
        public Callback withState(String other) {
            return new Callback(other, code, iss, browserCookie);
        }

        public Callback withIss(String other) {
            return new Callback(state, code, other, browserCookie);
        }

        public Callback withBrowserCookie(String other) {
            return new Callback(state, code, iss, other);
        }
    }

    public static String password(PdsAccounts.Account user) {
        return "password-" + user.handle().substring(0, user.handle().indexOf('.'));
    }

    public static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The mobile sign-in's start for {@code handle}, coming back to {@link #APP_REDIRECT}. */
    public static String mobileLogin(String publicUrl, String handle) {
        return publicUrl + "/oauth/mobile/login?handle=" + enc(handle) + "&redirect_uri=" + enc(APP_REDIRECT);
    }

    /** The browser from {@code startUrl} as {@code identifier} until it is about to open a URL starting with {@code stopPrefix}. */
    public static OAuthBrowser.Result browse(String startUrl, String identifier, String password, String stopPrefix) {
        OAuthBrowser.Result result = OAuthBrowser.signIn(startUrl, identifier, password, List.of(stopPrefix),
                List.of(TestTls.shared().hostname()));
        assertThat(result.stoppedAt()).as("browser reached %s: %s", stopPrefix, result.navigations()).startsWith(stopPrefix);
        return result;
    }

    /** A mobile sign-in of {@code user} in a real browser: the deep link's token, did, session_id and handle. */
    public static Session signInOnMobile(String publicUrl, PdsAccounts.Account user) {
        Map<String, String> back = browse(mobileLogin(publicUrl, user.handle()), user.handle(), password(user), APP_REDIRECT)
                .stopQuery();
        assertThat(back.get("did")).isEqualTo(user.did());
        return new Session(back.get("token"), back.get("did"), back.get("session_id"), back.get("handle"));
    }

    /**
     * The browser signs in at {@code startUrl} as {@code identifier} and is stopped as it is about to open the
     * AppView's callback: its query and the browser's sign-in cookie, for the test to replay (or alter).
     */
    public static Callback stopAtCallback(String publicUrl, String startUrl, String identifier, String password) {
        OAuthBrowser.Result result = browse(startUrl, identifier, password, publicUrl + "/oauth/callback");
        Map<String, String> query = result.stopQuery();
        String cookie = result.cookie(BROWSER_COOKIE).map(OAuthBrowser.Cookie::value).orElseThrow(() ->
                new AssertionError("the browser has no " + BROWSER_COOKIE + " cookie: " + result.cookies()));
        return new Callback(query.get("state"), query.get("code"), query.get("iss"), cookie);
    }

    /** Replays {@code callback} to the app under test as the browser would (a null cookie is not sent); no redirects followed. */
    public static Response callback(Callback callback) {
        RequestSpecification request = given().redirects().follow(false);
        if (callback.browserCookie() != null) {
            request.cookie(BROWSER_COOKIE, callback.browserCookie());
        }
        if (callback.state() != null) {
            request.queryParam("state", callback.state());
        }
        if (callback.code() != null) {
            request.queryParam("code", callback.code());
        }
        if (callback.iss() != null) {
            request.queryParam("iss", callback.iss());
        }
        return request.when().get("/oauth/callback");
    }

    public static Response me(String token) {
        return given().header("Authorization", "Bearer " + token).when().get("/api/me");
    }

    /** A read that needs a viewer. */
    public static Response timeline(String token) {
        return given().header("Authorization", "Bearer " + token).when().get("/xrpc/social.coves.feed.getTimeline");
    }

    public static Response refresh(Session session) {
        return refresh(given(), session);
    }

    /** {@code POST /oauth/refresh} on {@code request}'s instance. */
    public static Response refresh(RequestSpecification request, Session session) {
        return request.contentType("application/json")
                .body(Map.of("did", session.did(), "session_id", session.sessionId(), "sealed_token", session.token()))
                .when().post("/oauth/refresh");
    }

    public static Response as(String token, String nsid, Object body) {
        return as(given(), token, nsid, body);
    }

    public static Response as(RequestSpecification request, String token, String nsid, Object body) {
        return request.header("Authorization", "Bearer " + token).contentType("application/json").body(body)
                .when().post("/xrpc/" + nsid);
    }

    /**
     * A post nobody wrote, to vote on: a vote is a write to the voter's own repository that needs nothing indexed
     * (the PDS does not check what a vote points at).
     */
    public static Map<String, String> somePost() {
        return Map.of("uri", "at://did:plc:aaaaaaaaaaaaaaaaaaaaaaaa/social.coves.community.post/3kvote" + SUBJECTS.incrementAndGet() + "aa",
                "cid", "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm");
    }

    /** An up vote on {@code subject} (a strong reference) with the sealed token. */
    public static Response voteUp(RequestSpecification request, String token, Map<String, String> subject) {
        return as(request, token, "social.coves.feed.vote.create", Map.of("subject", subject, "direction", "up"));
    }

    public static Response voteUp(String token, Map<String, String> subject) {
        return voteUp(given(), token, subject);
    }

    // ---- the stored rows ----

    public static Connection db() throws SQLException {
        SharedPostgres.Connection pg = SharedPostgres.connection();
        return DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
    }

    /** The session's row, column name to value (bytea as byte[]). */
    public static Map<String, Object> sessionRow(String sessionId) {
        try (Connection c = db(); PreparedStatement s = c.prepareStatement(
                "SELECT * FROM coves_api.oauth_sessions WHERE session_id = ?")) {
            s.setString(1, sessionId);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as("session %s is stored", sessionId).isTrue();
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
                }
                return row;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many rows {@code sql} (one parameter: {@code key}) counts. */
    public static int count(String sql, String key) {
        try (Connection c = db(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, key);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sessions stored for {@code did}, signed out or not. */
    public static int sessionsOf(String did) {
        return count("SELECT count(*) FROM coves_api.oauth_sessions WHERE did = ?", did);
    }

    /** Sets one column of the session's row ({@code value} as is; SQL {@code now()} is not a value, use a Timestamp). */
    public static void setSessionColumn(String sessionId, String column, Object value) {
        try (Connection c = db(); PreparedStatement s = c.prepareStatement(
                "UPDATE coves_api.oauth_sessions SET " + column + " = ? WHERE session_id = ?")) {
            if (value == null) {
                s.setNull(1, Types.NULL);
            } else {
                s.setObject(1, value);
            }
            s.setString(2, sessionId);
            assertThat(s.executeUpdate()).isEqualTo(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The sum of a counter over its label sets that contain every one of {@code labels} (e.g. {@code outcome="ok"}),
     * as an instance's {@code /q/metrics} shows it; 0 when absent.
     */
    public static double counter(String metrics, String name, String... labels) {
        return metrics.lines()
                .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> java.util.Arrays.stream(labels).allMatch(l::contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
