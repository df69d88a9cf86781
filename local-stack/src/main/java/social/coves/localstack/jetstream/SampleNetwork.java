package social.coves.localstack.jetstream;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small, deterministic (seeded) sample of Coves activity as Jetstream v1 events: identity events with handles,
 * actor profiles, communities, subscriptions, posts in community repos, threaded comments and votes, plus an edit
 * and a few deletes. Record times end at {@code end}, so feeds look fresh whenever the sample is generated.
 */
public final class SampleNetwork {

    public static final String COMMUNITY_PROFILE = "social.coves.community.profile";
    public static final String SUBSCRIPTION = "social.coves.community.subscription";
    public static final String POST = "social.coves.community.post";
    public static final String COMMENT = "social.coves.community.comment";
    public static final String VOTE = "social.coves.feed.vote";
    public static final String ACTOR_PROFILE = "social.coves.actor.profile";
    public static final String INSTANCE_DID = "did:web:coves.test";
    public static final String INSTANCE_DOMAIN = "coves.test";

    private static final String[] COMMUNITY_NAMES = {"gardening", "cycling", "bookclub", "astronomy", "homebrewing"};
    private static final String[] USER_NAMES = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi",
            "ivan", "judy", "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yolanda"};
    private static final String[] WORDS = {"seedlings", "tomatoes", "compost", "gears", "saddle", "climb", "novel",
            "chapter", "author", "nebula", "telescope", "eclipse", "hops", "yeast", "batch", "weekend", "question",
            "advice", "update", "photos", "first", "best", "cheap", "winter", "summer", "guide", "beginner", "trick"};

    /** How much to generate. */
    public record Size(int communities, int users, int postsPerCommunity, int commentsPerPost, int votesPerPost) {
        public static final Size DEFAULT = new Size(5, 20, 12, 6, 8);
    }

    /** A community of the sample, for tests and documentation. */
    public record Community(String did, String handle, String name) {
    }

    private final Random random;
    private final JsonNodeFactory json = JsonNodeFactory.instance;
    private final List<ObjectNode> events = new ArrayList<>();
    private final List<Community> communities = new ArrayList<>();
    private long clockUs;
    private int clockId;

    private SampleNetwork(long seed, Instant start) {
        this.random = new Random(seed);
        this.clockUs = start.toEpochMilli() * 1000;
        this.clockId = (int) (seed & 0x3FF);
    }

    /** Generates the sample with the default size; the last event is at about {@code end}. */
    public static SampleNetwork generate(long seed, Instant end) {
        return generate(seed, end, Size.DEFAULT);
    }

    public static SampleNetwork generate(long seed, Instant end, Size size) {
        int approxEvents = size.communities() * (2 + size.postsPerCommunity() * (1 + size.commentsPerPost() + size.votesPerPost()))
                + size.users() * 5;
        SampleNetwork network = new SampleNetwork(seed, end.minus(approxEvents * 60L, ChronoUnit.SECONDS));
        network.build(size);
        return network;
    }

    public List<ObjectNode> events() {
        return events;
    }

    public List<Community> communities() {
        return communities;
    }

    private void build(Size size) {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < size.users(); i++) {
            String did = SampleIds.plcDid(random);
            String name = USER_NAMES[i % USER_NAMES.length] + (i < USER_NAMES.length ? "" : Integer.toString(i));
            users.add(did);
            identity(did, name + "." + INSTANCE_DOMAIN);
            ObjectNode profile = record(ACTOR_PROFILE).put("displayName", capitalise(name)).put("bio", "Hi, I am " + name + ".");
            commit(did, ACTOR_PROFILE, "self", "create", profile);
        }
        for (int i = 0; i < size.communities(); i++) {
            String name = COMMUNITY_NAMES[i % COMMUNITY_NAMES.length] + (i < COMMUNITY_NAMES.length ? "" : Integer.toString(i));
            String did = SampleIds.plcDid(random);
            String handle = "c-" + name + "." + INSTANCE_DOMAIN;
            communities.add(new Community(did, handle, name));
            identity(did, handle);
            ObjectNode profile = record(COMMUNITY_PROFILE)
                    .put("name", name)
                    .put("displayName", capitalise(name))
                    .put("description", "A community about " + name + ". Be kind, stay on topic.")
                    .put("createdBy", users.get(random.nextInt(users.size())))
                    .put("hostedBy", INSTANCE_DID)
                    .put("visibility", "public")
                    .put("moderationType", "moderator");
            profile.putArray("contentWarnings");
            commit(did, COMMUNITY_PROFILE, "self", "create", profile);
        }
        for (String user : users) {
            int count = 1 + random.nextInt(Math.min(3, communities.size()));
            for (int k = 0; k < count; k++) {
                Community c = communities.get((users.indexOf(user) + k) % communities.size());
                ObjectNode sub = record(SUBSCRIPTION).put("subject", c.did()).put("contentVisibility", 1 + random.nextInt(5));
                commit(user, SUBSCRIPTION, nextTid(), "create", sub);
            }
        }
        for (int p = 0; p < size.postsPerCommunity(); p++) {
            for (Community c : communities) {
                post(c, users, size);
            }
        }
        // an edit of a community profile and a withdrawn vote, so the sample exercises update and delete
        Community first = communities.getFirst();
        ObjectNode edited = record(COMMUNITY_PROFILE).put("name", first.name()).put("displayName", capitalise(first.name()) + " Club")
                .put("description", "Everything about " + first.name() + ", edited.").put("createdBy", users.getFirst())
                .put("hostedBy", INSTANCE_DID).put("visibility", "public").put("moderationType", "moderator");
        commit(first.did(), COMMUNITY_PROFILE, "self", "update", edited);
    }

    private void post(Community community, List<String> users, Size size) {
        String author = users.get(random.nextInt(users.size()));
        String title = capitalise(word()) + " " + word() + " " + word() + "?";
        ObjectNode record = record(POST).put("community", community.did()).put("author", author)
                .put("title", title).put("content", "Let's talk about " + word() + " and " + word() + ".");
        String rkey = nextTid();
        ObjectNode event = commit(community.did(), POST, rkey, "create", record);
        ObjectNode postRef = strongRef("at://" + community.did() + "/" + POST + "/" + rkey, event.path("commit").path("cid").asText());
        List<ObjectNode> thread = new ArrayList<>();
        thread.add(postRef);
        for (int i = 0; i < size.commentsPerPost(); i++) {
            String commenter = users.get(random.nextInt(users.size()));
            ObjectNode parent = thread.get(random.nextInt(thread.size()));
            ObjectNode comment = record(COMMENT).put("content", capitalise(word()) + " is a good point about " + word() + ".");
            ObjectNode reply = comment.putObject("reply");
            reply.set("root", postRef.deepCopy());
            reply.set("parent", parent.deepCopy());
            String commentRkey = nextTid();
            ObjectNode commentEvent = commit(commenter, COMMENT, commentRkey, "create", comment);
            thread.add(strongRef("at://" + commenter + "/" + COMMENT + "/" + commentRkey, commentEvent.path("commit").path("cid").asText()));
        }
        for (int i = 0; i < size.votesPerPost(); i++) {
            String voter = users.get(random.nextInt(users.size()));
            ObjectNode vote = record(VOTE).put("direction", random.nextInt(10) < 8 ? "up" : "down");
            vote.set("subject", thread.get(random.nextInt(thread.size())).deepCopy());
            String voteRkey = nextTid();
            commit(voter, VOTE, voteRkey, "create", vote);
            if (random.nextInt(20) == 0) {
                commit(voter, VOTE, voteRkey, "delete", null);
            }
        }
    }

    private ObjectNode strongRef(String uri, String cid) {
        return json.objectNode().put("uri", uri).put("cid", cid);
    }

    private ObjectNode record(String type) {
        return json.objectNode().put("$type", type).put("createdAt", Instant.ofEpochMilli(clockUs / 1000).toString());
    }

    private void identity(String did, String handle) {
        tick();
        ObjectNode event = json.objectNode().put("did", did).put("time_us", clockUs).put("kind", "identity");
        event.putObject("identity").put("did", did).put("handle", handle).put("seq", events.size() + 1L)
                .put("time", Instant.ofEpochMilli(clockUs / 1000).toString());
        events.add(event);
    }

    private ObjectNode commit(String did, String collection, String rkey, String operation, ObjectNode record) {
        tick();
        if (record != null) {
            record.put("createdAt", Instant.ofEpochMilli(clockUs / 1000).toString());
        }
        ObjectNode event = json.objectNode().put("did", did).put("time_us", clockUs).put("kind", "commit");
        ObjectNode commit = event.putObject("commit").put("rev", SampleIds.tid(clockUs, clockId)).put("operation", operation)
                .put("collection", collection).put("rkey", rkey);
        if (record != null) {
            commit.set("record", record);
            commit.put("cid", SampleIds.cid(did + collection + rkey + record));
        }
        events.add(event);
        return event;
    }

    private String nextTid() {
        return SampleIds.tid(clockUs + 1, clockId);
    }

    private void tick() {
        clockUs += 1_000_000L + random.nextInt(100_000_000);
    }

    private String word() {
        return WORDS[random.nextInt(WORDS.length)];
    }

    private static String capitalise(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
