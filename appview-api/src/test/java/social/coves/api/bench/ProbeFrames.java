package social.coves.api.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import social.coves.localstack.jetstream.SampleIds;

import java.time.Instant;

/**
 * Jetstream frames the freshness benchmark writes itself, beside the generated network: a community with one post,
 * and up-votes on it from fresh accounts (one account per probe, so every probe adds exactly one up-vote).
 */
final class ProbeFrames {

    static final String COMMUNITY = SampleIds.plcDid(2026, 1);
    static final String AUTHOR = SampleIds.plcDid(2026, 2);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String postRkey;
    private final String postCid;

    ProbeFrames() {
        long now = nowMicros();
        this.postRkey = SampleIds.tid(now, 5);
        this.postCid = SampleIds.cid("probe post " + now);
    }

    String postUri() {
        return "at://" + COMMUNITY + "/social.coves.community.post/" + postRkey;
    }

    ObjectNode communityIdentity() {
        return identity(COMMUNITY, "c-freshness.coves.test");
    }

    ObjectNode authorIdentity() {
        return identity(AUTHOR, "prober.coves.test");
    }

    ObjectNode communityProfile() {
        ObjectNode record = record("social.coves.community.profile").put("name", "freshness").put("createdBy", AUTHOR)
                .put("hostedBy", "did:web:coves.test").put("visibility", "public");
        return commit(COMMUNITY, "social.coves.community.profile", "self", SampleIds.cid("probe community"), record);
    }

    ObjectNode post() {
        ObjectNode record = record("social.coves.community.post").put("community", COMMUNITY).put("author", AUTHOR)
                .put("title", "Freshness probe").put("content", "Every up-vote on this post is a probe.");
        return commit(COMMUNITY, "social.coves.community.post", postRkey, postCid, record);
    }

    /** An up-vote on the probe post from {@code voter}. */
    ObjectNode upVote(String voter) {
        ObjectNode record = record("social.coves.feed.vote").put("direction", "up");
        record.putObject("subject").put("uri", postUri()).put("cid", postCid);
        String rkey = SampleIds.tid(nowMicros(), 6);
        return commit(voter, "social.coves.feed.vote", rkey, SampleIds.cid(voter + rkey), record);
    }

    private static ObjectNode identity(String did, String handle) {
        long now = nowMicros();
        ObjectNode frame = JSON.objectNode().put("did", did).put("time_us", now).put("kind", "identity");
        frame.putObject("identity").put("did", did).put("handle", handle).put("seq", now).put("time", Instant.now().toString());
        return frame;
    }

    private static ObjectNode commit(String did, String collection, String rkey, String cid, ObjectNode record) {
        long now = nowMicros();
        ObjectNode frame = JSON.objectNode().put("did", did).put("time_us", now).put("kind", "commit");
        frame.putObject("commit").put("rev", SampleIds.tid(now, 4)).put("operation", "create").put("collection", collection)
                .put("rkey", rkey).put("cid", cid).set("record", record);
        return frame;
    }

    private static ObjectNode record(String type) {
        return JSON.objectNode().put("$type", type).put("createdAt", Instant.now().toString());
    }

    private static long nowMicros() {
        return System.currentTimeMillis() * 1000;
    }
}
