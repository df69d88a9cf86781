package social.coves.ingestor.jetstream;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code coves.jetstream.*}: where and how the jetstream role subscribes. */
@ConfigMapping(prefix = "coves.jetstream")
public interface JetstreamConfig {

    /** Full v1 URL including {@code /subscribe}, e.g. {@code wss://host/subscribe}. Env: COVES_JETSTREAM_URL. */
    String url();

    /** Collections to ask for (exact NSIDs or {@code prefix.*}); identity and account events always come. */
    @WithDefault("social.coves.community.profile,social.coves.community.subscription,social.coves.community.block,"
            + "social.coves.community.post,social.coves.community.comment,social.coves.feed.vote,social.coves.actor.profile")
    List<String> wantedCollections();

    /**
     * Cursor for the very first connection, when nothing is durable in Kafka yet: {@code 0} replays the server's
     * whole window (what an AppView wants on first start), empty means the live tip.
     */
    Optional<Long> initialCursor();

    /** How many sequence numbers to rewind from the last durable cursor on resume (downstream is idempotent). */
    @WithDefault("100")
    long rewindEvents();

    /** Rewind for time cursors (servers without seq), covering witness-time skew. */
    @WithDefault("PT10S")
    Duration rewindTime();

    /** Largest WebSocket message accepted (Jetstream events are bounded by the 2 MB atproto record limit). */
    @WithDefault("8388608")
    int maxMessageBytes();

    @WithDefault("PT0.25S")
    Duration reconnectMinDelay();

    @WithDefault("PT30S")
    Duration reconnectMaxDelay();
}
