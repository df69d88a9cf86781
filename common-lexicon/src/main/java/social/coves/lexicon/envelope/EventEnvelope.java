package social.coves.lexicon.envelope;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Objects;

/**
 * One normalised network event as it travels through Kafka (version 1 of the envelope).
 *
 * <p>Exactly one of {@link #commit}, {@link #identity} or {@link #account} is set, matching {@link #kind}.
 * The source fields ({@code timeUs}, {@code seq}, {@code source}) say where in the Jetstream stream the event came
 * from, so that consumers and analysts can trace and de-duplicate it.
 *
 * @param v          envelope schema version, {@link #CURRENT_VERSION}
 * @param kind       {@code commit}, {@code identity} or {@code account}
 * @param did        the repository / account DID (also the Kafka key)
 * @param timeUs     Jetstream {@code time_us} (display time, microseconds since the epoch)
 * @param seq        Jetstream {@code cursor} (server sequence); {@code null} on servers that do not send one
 * @param source     the Jetstream host that delivered the event
 * @param receivedAt when the ingestor read the frame
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventEnvelope(
        int v,
        String kind,
        String did,
        long timeUs,
        Long seq,
        String source,
        Instant receivedAt,
        Commit commit,
        Identity identity,
        Account account) {

    public static final int CURRENT_VERSION = 1;
    public static final String KIND_COMMIT = "commit";
    public static final String KIND_IDENTITY = "identity";
    public static final String KIND_ACCOUNT = "account";

    public EventEnvelope {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(did, "did");
        int parts = (commit == null ? 0 : 1) + (identity == null ? 0 : 1) + (account == null ? 0 : 1);
        if (parts != 1) {
            throw new IllegalArgumentException("exactly one of commit, identity, account must be set");
        }
        String expected = commit != null ? KIND_COMMIT : identity != null ? KIND_IDENTITY : KIND_ACCOUNT;
        if (!expected.equals(kind)) {
            throw new IllegalArgumentException("kind " + kind + " does not match the " + expected + " payload");
        }
    }

    /** A record operation in a repository. {@code record} and {@code cid} are absent on deletes. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Commit(String operation, String collection, String rkey, String rev, String cid, JsonNode record) {
        public static final String CREATE = "create";
        public static final String UPDATE = "update";
        public static final String DELETE = "delete";

        @JsonIgnore // derived from operation; not part of the wire form
        public boolean isDelete() {
            return DELETE.equals(operation);
        }

        /** {@code at://did/collection/rkey} of the record this commit touches. */
        public String uri(String did) {
            return "at://" + did + "/" + collection + "/" + rkey;
        }
    }

    /** An identity change (handle or DID document). {@code seq} and {@code time} are the upstream relay's. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Identity(String handle, Long seq, String time) {
    }

    /** An account status change; {@code status} is set when {@code active} is false. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Account(boolean active, String status, Long seq, String time) {
    }
}
