package social.coves.api.changes;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the indexer changed, from the notices its tables send at each commit (channel {@code coves_index_changes},
 * firehose-ingestor migration V20: {@code c:<community DID>}, {@code communities}, {@code t:<thread root URI>},
 * {@code u:<account DID>}, a kind's wildcard such as {@code u:*}, and {@code *}; the API's own migration V5 sends
 * {@code u:} for the users' writes through it). Caches of
 * answers built from the index ask it whether anything under an answer changed since they read it, so they serve an
 * answer until the index under it changes rather than for a guessed time.
 *
 * <p>Each notice gets the next number of a counter; every key remembers the number of the last notice naming it, and
 * {@code *} the last notice that changed everything. A cache takes {@link #now()} <em>before</em> it reads the
 * index, and its answer stands while {@link #unchangedSince} holds for the answer's keys: a change committed before
 * that read is in the answer, one noticed after it makes the answer stale. The one window left is the notice's own
 * way from the commit to this replica (a millisecond on a quiet machine): a read in it may be served the answer of just
 * before. While this replica does not listen (starting, connection lost, reconnecting) {@link #now()} says so and the
 * caches read the index every time; a reconnection counts as a change of everything, since notices were missed.
 *
 * <p>Metrics: {@code coves_api_index_change_notices_total} (notices received), {@code coves_api_index_change_listening}
 * (1 while listening).
 */
@ApplicationScoped
public class IndexChanges {

    public static final String CHANNEL = "coves_index_changes";
    /** {@link #now()} while not listening: nothing may be cached. */
    public static final long NOT_LISTENING = -1;

    private static final Logger LOG = Logger.getLogger(IndexChanges.class);

    private final Vertx vertx;
    private final PgConnectOptions options;
    private final Counter notices;
    private final AtomicLong counter = new AtomicLong();
    private final ConcurrentHashMap<String, Long> lastChange = new ConcurrentHashMap<>();
    /** Per kind of key ({@code "u:"}): the last notice that changed every key of that kind ({@code u:*}). */
    private final ConcurrentHashMap<String, Long> lastKindChange = new ConcurrentHashMap<>();
    private volatile long everythingChanged;
    private volatile boolean listening;
    private volatile boolean stopped;
    private volatile PgConnection connection;

    /** The counter when the last forgetting ran: keys last changed before it can no longer make a kept answer stale. */
    private long forgetUpTo;
    private final long maxAgeMillis;

    public IndexChanges(Vertx vertx, MeterRegistry metrics, IndexCacheConfig config,
                        @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
                        @ConfigProperty(name = "quarkus.datasource.username") String user,
                        @ConfigProperty(name = "quarkus.datasource.password") String password) {
        this.vertx = vertx;
        this.options = PgConnectOptions.fromUri(url.startsWith("vertx-reactive:") ? url.substring("vertx-reactive:".length()) : url)
                .setUser(user).setPassword(password);
        this.notices = metrics.counter("coves_api_index_change_notices");
        // bound to this instance (a registry that outlives an app, as in tests, would keep an earlier app's gauge)
        metrics.getMeters().stream().filter(m -> m.getId().getName().equals("coves_api_index_change_listening")).toList()
                .forEach(metrics::remove);
        metrics.gauge("coves_api_index_change_listening", this, c -> c.listening ? 1 : 0);
        this.maxAgeMillis = Math.max(1000, config.maxAge().toMillis());
    }

    void start(@Observes StartupEvent event) {
        connect();
        vertx.setPeriodic(maxAgeMillis, id -> forgetOld());
    }

    /**
     * Keys are remembered as long as an answer kept from before their change may still be kept: every kept answer is
     * younger than {@link IndexCacheConfig#maxAge()}, so a key whose last change came before the counter of one max-age
     * ago can no longer make one stale (and the map does not grow with every account that ever voted).
     */
    private void forgetOld() {
        long upTo = forgetUpTo;
        forgetUpTo = counter.get();
        lastChange.values().removeIf(n -> n <= upTo);
        lastKindChange.values().removeIf(n -> n <= upTo);
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        listening = false;
        PgConnection c = connection;
        if (c != null) {
            c.close();
        }
    }

    /** Whether notices are being received (else nothing is kept). */
    public boolean listening() {
        return listening;
    }

    /** The number to keep beside an answer read from now on; {@link #NOT_LISTENING} when it must not be kept. */
    public long now() {
        return listening ? counter.get() : NOT_LISTENING;
    }

    /** No notice named any of {@code keys}, or everything, after {@code since} (a {@link #now()}), and still listening. */
    public boolean unchangedSince(long since, Collection<String> keys) {
        if (!listening || since == NOT_LISTENING || everythingChanged > since) {
            return false;
        }
        for (String key : keys) {
            Long last = lastChange.get(key);
            if (last != null && last > since) {
                return false;
            }
            Long kind = lastKindChange.isEmpty() ? null : lastKindChange.get(kind(key));
            if (kind != null && kind > since) {
                return false;
            }
        }
        return true;
    }

    /**
     * A change made by this replica (a user's write through it): applied here at once, before the notice its commit
     * sends to every replica comes back, so the writer's next read on this replica sees it.
     */
    public void changedHere(String key) {
        received(key);
    }

    /** Some community's own row changed (listings of communities). */
    public static final String COMMUNITIES = "communities";

    public static String community(String did) {
        return "c:" + did;
    }

    /** The community's row was deleted (sent only then: not by its posts or counters, unlike {@link #community}). */
    public static String communityGone(String did) {
        return "gone:" + did;
    }

    public static String thread(String rootUri) {
        return "t:" + rootUri;
    }

    /** An account's own votes, subscriptions and community blocks. */
    public static String user(String did) {
        return "u:" + did;
    }

    private static String kind(String key) {
        return key.substring(0, key.indexOf(':') + 1);
    }

    /** Applies one notice's payload. */
    void received(String payload) {
        notices.increment();
        long n = counter.incrementAndGet();
        if (payload == null || payload.isEmpty() || payload.equals("*")) {
            everythingChanged = n;
            return;
        }
        for (String key : payload.split(" ")) {
            if (key.endsWith(":*")) {
                lastKindChange.put(kind(key), n);
            } else if (!key.isEmpty()) {
                lastChange.put(key, n);
            }
        }
    }

    private void connect() {
        if (stopped) {
            return;
        }
        PgConnection.connect(vertx, options).compose(c -> {
            connection = c;
            c.notificationHandler(n -> {
                if (CHANNEL.equals(n.getChannel())) {
                    received(n.getPayload());
                }
            });
            c.closeHandler(v -> lost("the connection closed"));
            c.exceptionHandler(e -> LOG.debugf("change notices: %s", e.toString()));
            return c.query("LISTEN " + CHANNEL).execute();
        }).onSuccess(done -> {
            everythingChanged = counter.incrementAndGet(); // whatever was cached before may have missed notices
            listening = true;
            LOG.debug("listening for index change notices");
        }).onFailure(e -> lost(e.toString()));
    }

    private void lost(String why) {
        boolean was = listening;
        listening = false;
        everythingChanged = counter.incrementAndGet();
        PgConnection c = connection;
        connection = null;
        if (c != null) {
            c.closeHandler(null);
            c.close();
        }
        if (stopped) {
            return;
        }
        if (was) {
            LOG.warnf("index change notices lost (%s); answers are read from the index until they are back", why);
        }
        vertx.setTimer(1000, id -> connect());
    }
}
