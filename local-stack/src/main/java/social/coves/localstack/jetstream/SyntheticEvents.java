package social.coves.localstack.jetstream;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Random;

/**
 * Lexicon-valid Coves commits with unique natural keys, for fault tests and load benchmarks: community
 * subscriptions from many distinct accounts, every one a distinct (did, rev, collection, rkey).
 */
public final class SyntheticEvents {

    private final JsonNodeFactory json = JsonNodeFactory.instance;
    private final Random random;
    private final String community;
    private long clockUs;

    public SyntheticEvents(long seed, Instant start) {
        this.random = new Random(seed);
        this.community = SampleIds.plcDid(random);
        this.clockUs = start.toEpochMilli() * 1000;
    }

    /** The next subscription create, from a new account; {@code time_us} advances by 1 µs per event. */
    public ObjectNode next() {
        clockUs++;
        String did = SampleIds.plcDid(random);
        ObjectNode record = json.objectNode()
                .put("$type", SampleNetwork.SUBSCRIPTION)
                .put("subject", community)
                .put("contentVisibility", 1 + random.nextInt(5))
                .put("createdAt", Instant.ofEpochMilli(clockUs / 1000).toString());
        String rkey = SampleIds.tid(clockUs, 7);
        ObjectNode event = json.objectNode().put("did", did).put("time_us", clockUs).put("kind", "commit");
        event.putObject("commit").put("rev", SampleIds.tid(clockUs, 9)).put("operation", "create")
                .put("collection", SampleNetwork.SUBSCRIPTION).put("rkey", rkey)
                .put("cid", SampleIds.cid(did + rkey + record)).set("record", record);
        return event;
    }
}
