package social.coves.ingestor.indexer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import social.coves.lexicon.envelope.EventEnvelope;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A scripted network history for one namespace: per-repo ordered commits with increasing revs. {@link #inOrder()}
 * is the clean causal order; {@link #messy(long)} interleaves repos randomly, delivers every event a second time in
 * random order (older after newer), and delivers one comment's create only after its delete.
 */
public final class ScriptedHistory {

    static final String CID = "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm";
    private static final String TID_CHARS = "234567abcdefghijklmnopqrstuvwxyz";
    private static final JsonNodeFactory J = JsonNodeFactory.instance;

    private final String ns;
    private long clock;
    private final List<EventEnvelope> events = new ArrayList<>();
    private EventEnvelope lateCreate;

    public final String c1, c2, u1, u2, u3, u4, a1, a2;
    public String p1, p2, p3, k1, k2, k3, k4, k5, k6;
    /** Aggregator authorizations in the communities' repos: z1 disabled, z2 moved from a1 to a2, z3 deleted. */
    public String z1, z2, z3;

    public ScriptedHistory(String ns, long clockStart) {
        this.ns = ns;
        this.clock = clockStart;
        c1 = did("comma");
        c2 = did("commb");
        u1 = did("usera");
        u2 = did("userb");
        u3 = did("userc");
        u4 = did("userd");
        a1 = did("aggra");
        a2 = did("aggrb");
        script();
    }

    private String did(String name) {
        String id = (ns + name + "aaaaaaaaaaaaaaaaaaaaaaaa").substring(0, 24);   // did:plc ids are 24 base32 chars
        return "did:plc:" + id;
    }

    /** A TID-shaped, strictly increasing key (13 chars of the sortable base32 alphabet). */
    String tid() {
        return tid(++clock);
    }

    /** {@code v} as a TID-shaped key: 13 chars of the sortable base32 alphabet, ordered as the numbers are. */
    static String tid(long v) {
        char[] out = new char[13];
        for (int i = 12; i >= 0; i--) {
            out[i] = TID_CHARS.charAt((int) (v & 31));
            v >>>= 5;
        }
        out[0] = TID_CHARS.charAt(TID_CHARS.indexOf(out[0]) % 16);
        return new String(out);
    }

    private void script() {
        // subscriptions before the community exists (cross-repo shuffle makes this likely in messy runs)
        String s1 = create(u1, "social.coves.community.subscription", sub(c1, null));
        create(u1, "social.coves.community.subscription", sub(c1, 2));          // second record, same community: counted once
        String s2 = create(u2, "social.coves.community.subscription", sub(c1, null));
        create(u3, "social.coves.community.subscription", sub(c1, 4));
        create(u4, "social.coves.community.subscription", sub(c2, 9));          // clamped to 5
        create(u3, "social.coves.community.block", J.objectNode().put("$type", "social.coves.community.block")
                .put("subject", c2).put("createdAt", "2026-01-01T00:00:00.000Z"));
        profile(c1, "alpha");
        profile(c2, "beta");
        delete(u2, "social.coves.community.subscription", rkey(s2));
        p1 = create(c1, "social.coves.community.post", post(c1, u1, "First!"));
        p2 = create(c1, "social.coves.community.post", post(c1, u2, "Gone soon"));
        p3 = create(c2, "social.coves.community.post", post(c2, u4, "Beta post"));
        update(c1, "social.coves.community.post", rkey(p1), post(c1, u1, "First (edited)"));
        delete(c1, "social.coves.community.post", rkey(p2));
        k1 = create(u2, "social.coves.community.comment", comment(p1, p1, "top level"));
        k2 = create(u3, "social.coves.community.comment", comment(p1, k1, "reply"));
        k3 = create(u4, "social.coves.community.comment", comment(p1, k2, "reply to reply"));
        k4 = create(u1, "social.coves.community.comment", comment(p1, p1, "regret"));
        delete(u1, "social.coves.community.comment", rkey(k4));
        k5 = create(u3, "social.coves.community.comment", comment(p3, p3, "on beta"));
        // k6: created then deleted; the messy run sees the delete first and the create only later
        k6 = create(u1, "social.coves.community.comment", comment(p1, p1, "ghost"));
        lateCreate = events.getLast();
        delete(u1, "social.coves.community.comment", rkey(k6));
        // votes: plain ups, a flip, a delete + re-vote, a vote on a comment flipped, a vote deleted
        create(u2, "social.coves.feed.vote", vote(p1, "up"));
        create(u3, "social.coves.feed.vote", vote(p1, "up"));
        String v4 = create(u4, "social.coves.feed.vote", vote(p1, "down"));
        delete(u4, "social.coves.feed.vote", rkey(v4));
        create(u4, "social.coves.feed.vote", vote(p1, "up"));
        String vk = create(u2, "social.coves.feed.vote", vote(k1, "up"));
        update(u2, "social.coves.feed.vote", rkey(vk), vote(k1, "down"));
        String vk2 = create(u1, "social.coves.feed.vote", vote(k2, "up"));
        delete(u1, "social.coves.feed.vote", rkey(vk2));
        create(u1, "social.coves.feed.vote", vote(p3, "down"));
        create(u1, "social.coves.feed.vote", vote(p2, "up"));                   // on a deleted post: still counted on its row
        // aggregators: a1 declared and edited, a2 declared and withdrawn; authorizations disabled, moved, deleted
        commit(a1, "create", "social.coves.aggregator.service", "self", service(a1, "News bot", null));
        commit(a2, "create", "social.coves.aggregator.service", "self", service(a2, "Weather bot", null));
        z1 = create(c1, "social.coves.aggregator.authorization", authorization(a1, c1, true));
        z2 = create(c2, "social.coves.aggregator.authorization", authorization(a1, c2, true));
        z3 = create(c1, "social.coves.aggregator.authorization", authorization(a2, c1, true));
        commit(a1, "update", "social.coves.aggregator.service", "self", service(a1, "News bot (edited)", CID));
        update(c1, "social.coves.aggregator.authorization", rkey(z1), authorization(a1, c1, false));
        update(c2, "social.coves.aggregator.authorization", rkey(z2), authorization(a2, c2, true));
        delete(c1, "social.coves.aggregator.authorization", rkey(z3));
        delete(a2, "social.coves.aggregator.service", "self");
        // records naming another repo (the jetstream role rejects them; these reached the log another way): never written
        create(a1, "social.coves.aggregator.authorization", authorization(a1, c2, true));
        commit(u1, "create", "social.coves.aggregator.service", "self", service(a1, "Impostor", null));
        s1.length();
    }

    public List<String> dids() {
        return List.of(c1, c2, u1, u2, u3, u4, a1, a2);
    }

    public List<EventEnvelope> inOrder() {
        return List.copyOf(events);
    }

    /** Cross-repo shuffle (per-repo order kept), then every event again in random order; k6's create only late. */
    public List<EventEnvelope> messy(long seed) {
        Random random = new Random(seed);
        List<EventEnvelope> out = reposInterleaved(events.stream().filter(e -> e != lateCreate).toList(), random);
        List<EventEnvelope> again = new ArrayList<>(events);
        java.util.Collections.shuffle(again, random);
        out.addAll(again);
        out.add(lateCreate);
        return out;
    }

    /** The events with each repo's in their order and the repos interleaved at random (as partitions deliver them). */
    public static List<EventEnvelope> reposInterleaved(List<EventEnvelope> events, Random random) {
        Map<String, List<EventEnvelope>> byRepo = new LinkedHashMap<>();
        for (EventEnvelope e : events) {
            byRepo.computeIfAbsent(e.did(), d -> new ArrayList<>()).add(e);
        }
        List<EventEnvelope> out = new ArrayList<>();
        List<List<EventEnvelope>> queues = new ArrayList<>(byRepo.values().stream().map(ArrayList::new).toList());
        while (!queues.isEmpty()) {
            List<EventEnvelope> q = queues.get(random.nextInt(queues.size()));
            out.add(q.removeFirst());
            if (q.isEmpty()) {
                queues.remove(q);
            }
        }
        return out;
    }

    // --- building blocks

    private String create(String repo, String collection, JsonNode record) {
        String rkey = tid();
        commit(repo, "create", collection, rkey, record);
        return "at://" + repo + "/" + collection + "/" + rkey;
    }

    private void update(String repo, String collection, String rkey, JsonNode record) {
        commit(repo, "update", collection, rkey, record);
    }

    private void delete(String repo, String collection, String rkey) {
        commit(repo, "delete", collection, rkey, null);
    }

    private void profile(String community, String name) {
        ObjectNode r = J.objectNode().put("$type", "social.coves.community.profile").put("name", name)
                .put("displayName", name).put("createdBy", u1).put("hostedBy", "did:web:coves.example")
                .put("visibility", "public").put("createdAt", "2026-01-01T00:00:00.000Z");
        commit(community, "create", "social.coves.community.profile", "self", r);
    }

    private void commit(String repo, String op, String collection, String rkey, JsonNode record) {
        String rev = tid();
        long timeUs = 1_767_225_600_000_000L + clock * 1_000_000L;   // 2026-01-01 + clock seconds
        events.add(new EventEnvelope(EventEnvelope.CURRENT_VERSION, EventEnvelope.KIND_COMMIT, repo, timeUs, clock, "test", null,
                new EventEnvelope.Commit(op, collection, rkey, rev, record == null ? null : CID, record), null, null));
    }

    private static String rkey(String uri) {
        return uri.substring(uri.lastIndexOf('/') + 1);
    }

    private ObjectNode sub(String community, Integer visibility) {
        ObjectNode r = J.objectNode().put("$type", "social.coves.community.subscription").put("subject", community)
                .put("createdAt", "2026-01-01T00:00:00.000Z");
        if (visibility != null) {
            r.put("contentVisibility", visibility);
        }
        return r;
    }

    private ObjectNode post(String community, String author, String title) {
        ObjectNode r = J.objectNode().put("$type", "social.coves.community.post").put("community", community).put("author", author)
                .put("title", title).put("content", "content of " + title).put("createdAt", "2026-01-02T00:00:00.000Z");
        r.putArray("langs").add("en");
        r.putArray("tags").add("t1");
        return r;
    }

    private ObjectNode comment(String root, String parent, String text) {
        ObjectNode r = J.objectNode().put("$type", "social.coves.community.comment").put("content", text)
                .put("createdAt", "2026-01-03T00:00:00.000Z");
        ObjectNode reply = r.putObject("reply");
        reply.putObject("root").put("uri", root).put("cid", CID);
        reply.putObject("parent").put("uri", parent).put("cid", CID);
        return r;
    }

    private ObjectNode service(String did, String name, String avatarCid) {
        ObjectNode r = J.objectNode().put("$type", "social.coves.aggregator.service").put("did", did).put("displayName", name)
                .put("description", "posts " + name).put("sourceUrl", "https://git.example/" + name.length())
                .put("maintainer", u1).put("createdAt", "2026-01-01T00:00:00.000Z");
        r.putObject("configSchema").put("type", "object");
        if (avatarCid != null) {
            r.putObject("avatar").put("$type", "blob").put("mimeType", "image/png").put("size", 1234).putObject("ref").put("$link", avatarCid);
        }
        return r;
    }

    private ObjectNode authorization(String aggregator, String community, boolean enabled) {
        ObjectNode r = J.objectNode().put("$type", "social.coves.aggregator.authorization").put("aggregatorDid", aggregator)
                .put("communityDid", community).put("enabled", enabled).put("createdBy", u1).put("createdAt", "2026-01-01T00:00:00.000Z");
        r.putObject("config").put("maxPostsPerDay", enabled ? 5 : 1);
        if (!enabled) {
            r.put("disabledAt", "2026-01-02T00:00:00.000Z").put("disabledBy", u2);
        }
        return r;
    }

    private ObjectNode vote(String subject, String direction) {
        ObjectNode r = J.objectNode().put("$type", "social.coves.feed.vote").put("direction", direction)
                .put("createdAt", "2026-01-04T00:00:00.000Z");
        r.putObject("subject").put("uri", subject).put("cid", CID);
        return r;
    }
}
