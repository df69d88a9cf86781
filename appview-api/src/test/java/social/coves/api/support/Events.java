package social.coves.api.support;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import social.coves.lexicon.envelope.EventEnvelope;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** Builds envelopes the way the jetstream role writes them, with increasing revs. */
public final class Events {

    private static final String SORTABLE = "234567abcdefghijklmnopqrstuvwxyz";
    private static final AtomicLong CLOCK = new AtomicLong(System.currentTimeMillis() * 1000);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Events() {
    }

    /** A fresh TID (also usable as an rkey). */
    public static String tid() {
        long value = (CLOCK.incrementAndGet() << 10) | 7;
        char[] out = new char[13];
        for (int i = 12; i >= 0; i--) {
            out[i] = SORTABLE.charAt((int) (value & 31));
            value >>>= 5;
        }
        return new String(out);
    }

    public static String cid(String seed) {
        StringBuilder sb = new StringBuilder("bafyrei");
        int h = seed.hashCode();
        for (int i = 0; i < 52; i++) {
            h = h * 31 + i;
            sb.append("abcdefghijklmnopqrstuvwxyz234567".charAt(Math.floorMod(h, 32)));
        }
        return sb.toString();
    }

    public static EventEnvelope identity(String did, String handle) {
        return new EventEnvelope(1, "identity", did, CLOCK.get(), null, "test", Instant.now(), null,
                new EventEnvelope.Identity(handle, CLOCK.incrementAndGet(), Instant.now().toString()), null);
    }

    public static EventEnvelope account(String did, boolean active, String status) {
        return new EventEnvelope(1, "account", did, CLOCK.get(), null, "test", Instant.now(), null, null,
                new EventEnvelope.Account(active, status, CLOCK.incrementAndGet(), Instant.now().toString()));
    }

    public static EventEnvelope create(String did, String collection, String rkey, ObjectNode record) {
        return commit(did, "create", collection, rkey, record);
    }

    public static EventEnvelope delete(String did, String collection, String rkey) {
        return commit(did, "delete", collection, rkey, null);
    }

    public static EventEnvelope commit(String did, String operation, String collection, String rkey, ObjectNode record) {
        String cid = record == null ? null : cid(did + collection + rkey + record);
        return new EventEnvelope(1, "commit", did, CLOCK.get(), null, "test", Instant.now(),
                new EventEnvelope.Commit(operation, collection, rkey, tid(), cid, record), null, null);
    }

    public static ObjectNode community(String name, Instant createdAt) {
        return JSON.objectNode().put("$type", "social.coves.community.profile").put("name", name)
                .put("displayName", name).put("createdBy", "did:plc:creatorcreatorcreatorcr").put("hostedBy", "did:web:coves.test")
                .put("createdAt", createdAt.toString());
    }

    public static ObjectNode post(String community, String author, String title, Instant createdAt) {
        return JSON.objectNode().put("$type", "social.coves.community.post").put("community", community).put("author", author)
                .put("title", title).put("content", "about " + title).put("createdAt", createdAt.toString());
    }

    public static ObjectNode vote(String subjectUri, String subjectCid, String direction) {
        ObjectNode vote = JSON.objectNode().put("$type", "social.coves.feed.vote").put("direction", direction)
                .put("createdAt", Instant.now().toString());
        vote.putObject("subject").put("uri", subjectUri).put("cid", subjectCid);
        return vote;
    }

    public static ObjectNode subscription(String community, int contentVisibility) {
        return JSON.objectNode().put("$type", "social.coves.community.subscription").put("subject", community)
                .put("contentVisibility", contentVisibility).put("createdAt", Instant.now().toString());
    }

    public static ObjectNode block(String community) {
        return JSON.objectNode().put("$type", "social.coves.community.block").put("subject", community)
                .put("createdAt", Instant.now().toString());
    }

    public static ObjectNode comment(String rootUri, String rootCid, String parentUri, String parentCid, String content, Instant createdAt) {
        ObjectNode comment = JSON.objectNode().put("$type", "social.coves.community.comment").put("content", content)
                .put("createdAt", createdAt.toString());
        ObjectNode reply = comment.putObject("reply");
        reply.putObject("root").put("uri", rootUri).put("cid", rootCid);
        reply.putObject("parent").put("uri", parentUri).put("cid", parentCid);
        return comment;
    }
}
