package social.coves.ingestor.indexer;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.localstack.jetstream.SampleIds;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A hot-spot history: many repos acting on a few parents at once, the shape that makes concurrent indexer replicas
 * contend. Thousands of votes from hundreds of users on a handful of posts in one community, flipped and withdrawn;
 * one busy thread where users reply to each other's recent comments (deep chains across repos, edited and deleted),
 * with votes on those comments; subscriptions to the same community, withdrawn and changed; the community editing its
 * hot posts and profile now and then. Users' repos are spread over every partition (Kafka keys by DID), so every
 * partition's batches update the same post, comment and community rows. Deterministic for a seed; each repo's revs
 * increase, and the events are in the order they happened.
 */
public final class HotSpotHistory {

    private static final JsonNodeFactory J = JsonNodeFactory.instance;
    private static final long START_US = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli() * 1000;
    private static final int RECENT = 64;
    private static final String POST = "social.coves.community.post";
    private static final String COMMENT = "social.coves.community.comment";
    private static final String VOTE = "social.coves.feed.vote";
    private static final String SUBSCRIPTION = "social.coves.community.subscription";
    private static final String PROFILE = "social.coves.community.profile";

    private record Ref(String repo, String collection, String rkey, String subject) {
        String uri() {
            return "at://" + repo + "/" + collection + "/" + rkey;
        }
    }

    private record Comment(String author, String rkey, String uri, String root, String parent) {
    }

    private final SplittableRandom random;
    private final List<EventEnvelope> events = new ArrayList<>();
    private final List<String> users = new ArrayList<>();
    private final List<String> communities = new ArrayList<>();
    private final List<String> hotPosts = new ArrayList<>();
    private final List<Ref> votes = new ArrayList<>();
    private final List<Ref> subscriptions = new ArrayList<>();
    private final List<Comment> comments = new ArrayList<>();
    private long clock;

    /** {@code users} accounts, {@code size} repo events in all. */
    public HotSpotHistory(long seed, int users, int size) {
        this.random = new SplittableRandom(seed);
        for (int i = 0; i < 3; i++) {
            communities.add(SampleIds.plcDid(seed, -1L - i));
        }
        for (int i = 0; i < users; i++) {
            this.users.add(SampleIds.plcDid(seed, i));
        }
        for (int i = 0; i < communities.size(); i++) {
            commit(communities.get(i), "create", PROFILE, "self", profile(i, ""));
        }
        for (int i = 0; i < 4; i++) {
            hotPosts.add(post(communities.getFirst(), "create", tid(), "Hot post " + i));
        }
        hotPosts.add(post(communities.get(1), "create", tid(), "Warm post"));
        while (events.size() < size) {
            step();
        }
        while (events.size() > size) {
            events.removeLast();
        }
    }

    public List<EventEnvelope> events() {
        return List.copyOf(events);
    }

    /** The community every partition counts on, and the post most votes go to. */
    public String hotCommunity() {
        return communities.getFirst();
    }

    public String hottestPost() {
        return hotPosts.getFirst();
    }

    private void step() {
        int r = random.nextInt(1000);
        String user = users.get(random.nextInt(users.size()));
        if (r < 330) {
            vote(user, hotPost());
        } else if (r < 400) {
            flipVote();
        } else if (r < 430) {
            deleteVote();
        } else if (r < 570) {
            Comment target = recentComment();
            if (target == null) {
                vote(user, hotPost());
            } else {
                vote(user, target.uri());
            }
        } else if (r < 740) {
            comment(user);
        } else if (r < 770) {
            editComment();
        } else if (r < 790) {
            deleteComment();
        } else if (r < 880) {
            subscribe(user);
        } else if (r < 910) {
            unsubscribe();
        } else if (r < 935) {
            resubscribeWithOtherVisibility();
        } else if (r < 965) {
            String uri = hotPost();
            String repo = uri.substring(5, uri.indexOf('/', 5));
            post(repo, "update", uri.substring(uri.lastIndexOf('/') + 1), "Hot post (edited " + clock + ")");
        } else if (r < 990) {
            String community = communities.get(random.nextInt(10) < 8 ? 0 : 2);
            String uri = post(community, "create", tid(), "New post " + clock);
            if (random.nextInt(4) == 0) {
                hotPosts.add(uri);
            }
        } else {
            int c = random.nextInt(10) < 7 ? 0 : 1;
            commit(communities.get(c), "update", PROFILE, "self", profile(c, " (edited " + clock + ")"));
        }
    }

    /** The first posts get most of the attention. */
    private String hotPost() {
        int i = random.nextInt(10) < 6 ? 0 : random.nextInt(hotPosts.size());
        return hotPosts.get(i);
    }

    private Comment recentComment() {
        if (comments.isEmpty()) {
            return null;
        }
        // half of the attention goes to the thread's first comments, the rest to the most recent ones
        if (random.nextBoolean()) {
            return comments.get(random.nextInt(Math.min(8, comments.size())));
        }
        int from = Math.max(0, comments.size() - RECENT);
        return comments.get(from + random.nextInt(comments.size() - from));
    }

    private void vote(String user, String subject) {
        String rkey = tid();
        commit(user, "create", VOTE, rkey, voteRecord(subject, random.nextInt(10) < 8 ? "up" : "down"));
        votes.add(new Ref(user, VOTE, rkey, subject));
    }

    private void flipVote() {
        if (votes.isEmpty()) {
            return;
        }
        Ref v = votes.get(random.nextInt(votes.size()));
        commit(v.repo(), "update", VOTE, v.rkey(), voteRecord(v.subject(), random.nextBoolean() ? "up" : "down"));
    }

    private void deleteVote() {
        if (votes.isEmpty()) {
            return;
        }
        Ref v = votes.remove(random.nextInt(votes.size()));
        commit(v.repo(), "delete", VOTE, v.rkey(), null);
    }

    private void comment(String user) {
        Comment parent = random.nextInt(10) < 7 ? recentComment() : null;
        String root;
        String parentUri;
        if (parent != null) {
            root = parent.root();
            parentUri = parent.uri();
        } else {
            root = random.nextInt(10) < 8 ? hotPosts.getFirst() : hotPost();
            parentUri = root;
        }
        String rkey = tid();
        commit(user, "create", COMMENT, rkey, commentRecord(root, parentUri, "comment " + clock));
        comments.add(new Comment(user, rkey, "at://" + user + "/" + COMMENT + "/" + rkey, root, parentUri));
    }

    private void editComment() {
        Comment c = recentComment();
        if (c != null) {
            commit(c.author(), "update", COMMENT, c.rkey(), commentRecord(c.root(), c.parent(), "edited " + clock));
        }
    }

    private void deleteComment() {
        if (comments.size() < 16) {
            return;
        }
        Comment c = comments.remove(comments.size() - 1 - random.nextInt(Math.min(RECENT, comments.size())));
        commit(c.author(), "delete", COMMENT, c.rkey(), null);
    }

    private void subscribe(String user) {
        String community = communities.get(random.nextInt(10) < 9 ? 0 : 1 + random.nextInt(2));
        String rkey = tid();
        commit(user, "create", SUBSCRIPTION, rkey, subscriptionRecord(community, 1 + random.nextInt(5)));
        subscriptions.add(new Ref(user, SUBSCRIPTION, rkey, community));
    }

    private void unsubscribe() {
        if (subscriptions.isEmpty()) {
            return;
        }
        Ref s = subscriptions.remove(random.nextInt(subscriptions.size()));
        commit(s.repo(), "delete", SUBSCRIPTION, s.rkey(), null);
    }

    /** An update of a subscription record: another visibility, sometimes another community. */
    private void resubscribeWithOtherVisibility() {
        if (subscriptions.isEmpty()) {
            return;
        }
        int i = random.nextInt(subscriptions.size());
        Ref s = subscriptions.get(i);
        String community = random.nextInt(4) == 0 ? communities.get(random.nextInt(communities.size())) : s.subject();
        commit(s.repo(), "update", SUBSCRIPTION, s.rkey(), subscriptionRecord(community, 1 + random.nextInt(5)));
        subscriptions.set(i, new Ref(s.repo(), SUBSCRIPTION, s.rkey(), community));
    }

    // --- records

    private String post(String community, String op, String rkey, String title) {
        ObjectNode r = record(POST).put("community", community).put("author", users.get(random.nextInt(users.size())))
                .put("title", title).put("content", "About " + title.toLowerCase(java.util.Locale.ROOT) + ".");
        commit(community, op, POST, rkey, r);
        return "at://" + community + "/" + POST + "/" + rkey;
    }

    private ObjectNode profile(int i, String edit) {
        ObjectNode r = record(PROFILE).put("name", "hot" + i).put("displayName", "Hot " + i + edit)
                .put("description", "A busy community" + edit).put("createdBy", users.getFirst())
                .put("hostedBy", "did:web:coves.test").put("visibility", "public").put("moderationType", "moderator");
        r.putArray("contentWarnings");
        return r;
    }

    private ObjectNode voteRecord(String subject, String direction) {
        ObjectNode r = record(VOTE).put("direction", direction);
        r.putObject("subject").put("uri", subject).put("cid", ScriptedHistory.CID);
        return r;
    }

    private ObjectNode commentRecord(String root, String parent, String text) {
        ObjectNode r = record(COMMENT).put("content", text);
        ObjectNode reply = r.putObject("reply");
        reply.putObject("root").put("uri", root).put("cid", ScriptedHistory.CID);
        reply.putObject("parent").put("uri", parent).put("cid", ScriptedHistory.CID);
        return r;
    }

    private ObjectNode subscriptionRecord(String community, int visibility) {
        return record(SUBSCRIPTION).put("subject", community).put("contentVisibility", visibility);
    }

    private ObjectNode record(String type) {
        return J.objectNode().put("$type", type).put("createdAt", Instant.ofEpochMilli((START_US + clock * 1000) / 1000).toString());
    }

    private String tid() {
        return SampleIds.tid(START_US + ++clock * 1000, 7);
    }

    private void commit(String repo, String op, String collection, String rkey, ObjectNode record) {
        String rev = tid();
        events.add(new EventEnvelope(EventEnvelope.CURRENT_VERSION, EventEnvelope.KIND_COMMIT, repo, START_US + clock * 1000, clock,
                "hotspot", null, new EventEnvelope.Commit(op, collection, rkey, rev, record == null ? null : ScriptedHistory.CID, record),
                null, null));
    }
}
