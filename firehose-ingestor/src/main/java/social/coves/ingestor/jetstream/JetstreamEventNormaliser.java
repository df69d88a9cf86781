package social.coves.ingestor.jetstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.lexicon.envelope.Topics;
import social.coves.lexicon.syntax.Did;
import social.coves.lexicon.syntax.InvalidSyntaxException;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Turns one Jetstream v1 event (JSON text) into an {@link EventEnvelope} for Kafka, or a rejection with a reason.
 * Never throws on bad input: every frame ends up on exactly one topic.
 */
public final class JetstreamEventNormaliser {

    /** Where a frame goes. {@code cursor} is the Jetstream resume point ({@code cursor}, else {@code time_us}; -1 if unknown). */
    public sealed interface Outcome permits Accepted, Rejected {
        long cursor();

        /** Whether the event carried a server seq ({@code cursor} field), i.e. came from a new-generation server. */
        boolean hasSeq();

        /** The event's {@code time_us}, 0 when unknown. */
        long timeUs();
    }

    public record Accepted(String topic, EventEnvelope envelope, long cursor) implements Outcome {
        @Override
        public boolean hasSeq() {
            return envelope.seq() != null && envelope.seq() > 0;
        }

        @Override
        public long timeUs() {
            return envelope.timeUs();
        }
    }

    /** {@code key} is the DID when it could be read, else {@code null}. */
    public record Rejected(String key, String reason, long cursor, boolean hasSeq, long timeUs) implements Outcome {
        public Rejected(String key, String reason, long cursor) {
            this(key, reason, cursor, false, 0);
        }

        /**
         * The reason as a small fixed set, for the metric label ({@code reason} itself is free text and goes to the
         * rejects topic's header): {@code unparseable} (not JSON / not an object), {@code invalid_record} (the record
         * fails the Coves lexicon), {@code malformed_event} (the event's own fields).
         */
        public String category() {
            if (reason.startsWith("unparseable") || reason.startsWith("not a JSON object")) {
                return "unparseable";
            }
            return reason.startsWith("invalid ") && reason.contains(" record: ") ? "invalid_record" : "malformed_event";
        }
    }

    private static final Set<String> OPERATIONS = Set.of("create", "update", "delete");

    private final ObjectMapper mapper;
    private final String source;
    private final RecordCheck recordValidator;

    /**
     * Validates a commit's record: (repo DID, collection, rkey, record) → problems, empty when valid. The repo DID is
     * the event's: records that name the repo holding them must name this one.
     */
    @FunctionalInterface
    public interface RecordCheck {
        List<String> problems(String repoDid, String collection, String rkey, JsonNode record);
    }

    /**
     * @param source          the Jetstream host, recorded in every envelope
     * @param recordValidator the record check; rejected records go to the rejects topic with its problems
     */
    public JetstreamEventNormaliser(ObjectMapper mapper, String source, RecordCheck recordValidator) {
        this.mapper = mapper;
        this.source = source;
        this.recordValidator = recordValidator;
    }

    public Outcome normalise(byte[] frame, Instant receivedAt) {
        JsonNode event;
        try {
            event = mapper.readTree(frame);
        } catch (IOException e) {
            return new Rejected(null, "unparseable JSON: " + firstLine(e.getMessage()), -1);
        }
        if (event == null || !event.isObject()) {
            return new Rejected(null, "not a JSON object", -1);
        }
        String did = text(event, "did");
        boolean hasSeq = event.path("cursor").canConvertToLong() && event.path("cursor").asLong() > 0;
        long cursor = hasSeq ? event.path("cursor").asLong() : event.path("time_us").asLong(-1);
        long knownTime = event.path("time_us").canConvertToLong() ? event.path("time_us").asLong() : 0;
        Outcome outcome = normaliseEvent(event, did, cursor, receivedAt);
        if (outcome instanceof Rejected r) {
            return new Rejected(r.key(), r.reason(), r.cursor(), hasSeq, knownTime);
        }
        return outcome;
    }

    private Outcome normaliseEvent(JsonNode event, String did, long cursor, Instant receivedAt) {
        if (did == null) {
            return new Rejected(null, "missing did", cursor);
        }
        try {
            Did.parse(did);   // atproto's generic DID syntax; the methods' own rules are the resolver's business
        } catch (InvalidSyntaxException e) {
            return new Rejected(null, "event did: " + e.getMessage(), cursor);
        }
        if (!event.path("time_us").canConvertToLong()) {
            return new Rejected(did, "missing time_us", cursor);
        }
        long timeUs = event.path("time_us").asLong();
        Long seq = event.path("cursor").canConvertToLong() ? event.path("cursor").asLong() : null;
        String kind = text(event, "kind");
        if (kind == null) {
            return new Rejected(did, "missing kind", cursor);
        }
        return switch (kind) {
            case "commit" -> commit(event.path("commit"), did, timeUs, seq, cursor, receivedAt);
            case "identity" -> {
                JsonNode identity = event.path("identity");
                yield new Accepted(Topics.IDENTITY_EVENTS, new EventEnvelope(EventEnvelope.CURRENT_VERSION, kind, did, timeUs, seq, source,
                        receivedAt, null, new EventEnvelope.Identity(text(identity, "handle"), longOrNull(identity, "seq"),
                        text(identity, "time")), null), cursor);
            }
            case "account" -> {
                JsonNode account = event.path("account");
                if (!account.path("active").isBoolean()) {
                    yield new Rejected(did, "account event without boolean active", cursor);
                }
                yield new Accepted(Topics.IDENTITY_EVENTS, new EventEnvelope(EventEnvelope.CURRENT_VERSION, kind, did, timeUs, seq, source,
                        receivedAt, null, null, new EventEnvelope.Account(account.path("active").asBoolean(), text(account, "status"),
                        longOrNull(account, "seq"), text(account, "time"))), cursor);
            }
            default -> new Rejected(did, "unknown kind " + kind, cursor);
        };
    }

    private Outcome commit(JsonNode commit, String did, long timeUs, Long seq, long cursor, Instant receivedAt) {
        if (!commit.isObject()) {
            return new Rejected(did, "commit event without commit object", cursor);
        }
        String operation = text(commit, "operation");
        String collection = text(commit, "collection");
        String rkey = text(commit, "rkey");
        String rev = text(commit, "rev");
        if (operation == null || !OPERATIONS.contains(operation)) {
            return new Rejected(did, "invalid commit operation " + operation, cursor);
        }
        if (collection == null || rkey == null || rev == null) {
            return new Rejected(did, "commit without collection, rkey or rev", cursor);
        }
        JsonNode record = commit.get("record");
        String cid = text(commit, "cid");
        if (!"delete".equals(operation)) {
            if (record == null || !record.isObject() || cid == null) {
                return new Rejected(did, operation + " of " + collection + " without record or cid", cursor);
            }
            List<String> errors = recordValidator.problems(did, collection, rkey, record);
            if (!errors.isEmpty()) {
                return new Rejected(did, "invalid " + collection + " record: " + String.join("; ", errors), cursor);
            }
        } else {
            record = null;
            cid = null;
        }
        return new Accepted(Topics.REPO_EVENTS, new EventEnvelope(EventEnvelope.CURRENT_VERSION, "commit", did, timeUs, seq, source,
                receivedAt, new EventEnvelope.Commit(operation, collection, rkey, rev, cid, record), null, null), cursor);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static Long longOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.canConvertToLong() ? value.asLong() : null;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
