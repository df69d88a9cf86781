package social.coves.localstack.synthetic;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import social.coves.localstack.jetstream.SampleIds;

import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Writes Jetstream v1 frames (commit, identity, account) on a generated clock: every frame advances {@code time_us},
 * and revs and new record keys are TIDs of that time, so they increase in every repository.
 */
final class FrameWriter {

    /** A written commit: the frame and what later activity needs to refer to the record. */
    record Written(ObjectNode frame, String uri, String rkey, String cid) {
    }

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final SplittableRandom random;
    private final long meanGapMicros;
    private final int clockId;
    private long clockUs;
    private long relaySeq;

    FrameWriter(SplittableRandom random, long startMicros, long meanGapMicros, int clockId) {
        this.random = random;
        this.clockUs = startMicros;
        this.meanGapMicros = meanGapMicros;
        this.clockId = clockId & 0x3FF;
    }

    /** A record of {@code type} with {@code createdAt} at the next frame's time. */
    ObjectNode record(String type) {
        return JSON.objectNode().put("$type", type).put("createdAt", iso(clockUs + 1));
    }

    static ObjectNode strongRef(String uri, String cid) {
        return JSON.objectNode().put("uri", uri).put("cid", cid);
    }

    /** A commit; {@code rkey == null} means a new TID key. Deletes pass {@code record == null}. */
    Written commit(String did, String operation, String collection, String rkey, ObjectNode record) {
        tick();
        String key = rkey != null ? rkey : SampleIds.tid(clockUs, clockId ^ 1);
        String rev = SampleIds.tid(clockUs, clockId);
        ObjectNode frame = JSON.objectNode().put("did", did).put("time_us", clockUs).put("kind", "commit");
        ObjectNode commit = frame.putObject("commit").put("rev", rev).put("operation", operation)
                .put("collection", collection).put("rkey", key);
        String cid = null;
        if (record != null) {
            record.put("createdAt", iso(clockUs));
            cid = SampleIds.cid(did + "/" + collection + "/" + key + "@" + rev);
            commit.put("cid", cid);
            commit.set("record", record);
        }
        return new Written(frame, "at://" + did + "/" + collection + "/" + key, key, cid);
    }

    ObjectNode identity(String did, String handle) {
        tick();
        ObjectNode frame = JSON.objectNode().put("did", did).put("time_us", clockUs).put("kind", "identity");
        frame.putObject("identity").put("did", did).put("handle", handle).put("seq", ++relaySeq).put("time", iso(clockUs));
        return frame;
    }

    ObjectNode account(String did, boolean active) {
        tick();
        ObjectNode frame = JSON.objectNode().put("did", did).put("time_us", clockUs).put("kind", "account");
        ObjectNode account = frame.putObject("account").put("active", active).put("did", did).put("seq", ++relaySeq);
        if (!active) {
            account.put("status", "deactivated");
        }
        account.put("time", iso(clockUs));
        return frame;
    }

    private void tick() {
        clockUs += 1 + random.nextLong(2 * meanGapMicros);
    }

    private static String iso(long micros) {
        return Instant.ofEpochMilli(micros / 1000).toString();
    }
}
