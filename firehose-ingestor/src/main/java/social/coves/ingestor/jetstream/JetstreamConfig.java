package social.coves.ingestor.jetstream;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code coves.jetstream.*}: where and how the jetstream role subscribes. */
@ConfigMapping(prefix = "coves.jetstream")
public interface JetstreamConfig {

    /**
     * Full v1 URL including {@code /subscribe}, e.g. {@code wss://host/subscribe}; a comma-separated list is tried in
     * order for failover. Env: COVES_JETSTREAM_URL.
     */
    List<String> url();

    /** Collections to ask for (exact NSIDs or {@code prefix.*}); identity and account events always come. */
    @WithDefault("social.coves.community.profile,social.coves.community.subscription,social.coves.community.block,"
            + "social.coves.community.post,social.coves.community.comment,social.coves.feed.vote,social.coves.actor.profile,"
            + "social.coves.aggregator.service,social.coves.aggregator.authorization")
    List<String> wantedCollections();

    /**
     * Cursor for the very first connection, when nothing is durable in Kafka yet: {@code 0} replays the server's
     * whole window (what an AppView wants on first start), empty means the live tip.
     */
    Optional<Long> initialCursor();

    /** How many sequence numbers to rewind from the last durable cursor on resume (downstream is idempotent). */
    @WithDefault("100")
    long rewindEvents();

    /** Rewind for time cursors (servers without seq, host switches, resets), covering witness-time skew. */
    @WithDefault("PT10S")
    Duration rewindTime();

    /** Largest WebSocket message accepted (Jetstream events are bounded by the 2 MB atproto record limit). */
    @WithDefault("8388608")
    int maxMessageBytes();

    /** The legacy zstd dictionary ({@code legacy_subscribe.zdict}); when set the role asks for {@code compress=true}. */
    Optional<Path> zstdDictionary();

    /** Cap on the decompressed size of one frame (decompression-bomb guard). */
    @WithDefault("16777216")
    int maxDecompressedBytes();

    @WithDefault("PT0.25S")
    Duration reconnectMinDelay();

    @WithDefault("PT30S")
    Duration reconnectMaxDelay();

    /** Interval of client pings; the read deadline is checked at the same pace. */
    @WithDefault("PT20S")
    Duration pingInterval();

    /** No frame (message or pong) for this long drops the connection and resumes from the durable cursor. */
    @WithDefault("PT60S")
    Duration readTimeout();

    /** Events read but not yet acknowledged by Kafka; at this many the role stops reading (see README). */
    @WithDefault("20000")
    int maxInFlight();

    /** Reading resumes when the in-flight count has drained to this many. */
    @WithDefault("5000")
    int resumeInFlight();

    /** Consecutive failed connections (no new event) before moving to the next host of {@link #url()}. */
    @WithDefault("2")
    int failoverAfter();
}
