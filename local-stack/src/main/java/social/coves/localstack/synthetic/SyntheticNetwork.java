package social.coves.localstack.synthetic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import social.coves.localstack.jetstream.SampleIds;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A synthetic Coves network as a stream of Jetstream v1 frames, deterministic for a seed (same seed, shape and start:
 * the same bytes). Communities (identity + profile) come first; accounts join over the stream (identity, actor
 * profile, a few subscriptions); then a mix of posts, threaded comments, votes (some flipped or withdrawn),
 * subscriptions and blocks, edits and deletes, handle changes and account deactivations. Community popularity and
 * user activity follow Zipf's law ({@link NetworkShape}); replies and votes favour recent posts and comments.
 *
 * <p>Memory is constant in the number of frames: accounts and communities are indices whose DIDs are computed, and
 * only the last few thousand posts, comments, votes and subscriptions are remembered as targets.
 */
public final class SyntheticNetwork implements Iterator<ObjectNode> {

    public static final String COMMUNITY_PROFILE = "social.coves.community.profile";
    public static final String SUBSCRIPTION = "social.coves.community.subscription";
    public static final String BLOCK = "social.coves.community.block";
    public static final String POST = "social.coves.community.post";
    public static final String COMMENT = "social.coves.community.comment";
    public static final String VOTE = "social.coves.feed.vote";
    public static final String ACTOR_PROFILE = "social.coves.actor.profile";
    public static final String INSTANCE_DID = "did:web:coves.test";
    public static final String DOMAIN = "coves.test";

    private static final int RECENT = 8192;
    private static final int MAX_DEPTH = 24;
    private static final int MAX_DEACTIVATED = 64;

    /** What each step does, with its weight per thousand steps. */
    private enum Action {
        POST(70), EDIT_POST(3), DELETE_POST(3), COMMENT(250), EDIT_COMMENT(5), DELETE_COMMENT(5),
        VOTE(550), FLIP_VOTE(30), DELETE_VOTE(20), SUBSCRIBE(30), UNSUBSCRIBE(3), BLOCK(3),
        CHANGE_HANDLE(5), DEACTIVATE(2), REACTIVATE(2), EDIT_COMMUNITY(2), EDIT_PROFILE(17);

        final int weight;

        Action(int weight) {
            this.weight = weight;
        }
    }

    private static final Action[] BY_PERMILLE = new Action[1000];

    static {
        int i = 0;
        for (Action a : Action.values()) {
            for (int k = 0; k < a.weight; k++) {
                BY_PERMILLE[i++] = a;
            }
        }
        if (i != 1000) {
            throw new IllegalStateException("action weights must add up to 1000, not " + i);
        }
    }

    private record Post(int community, String rkey, String uri, String cid, int author) {
    }

    private record Comment(int author, String rkey, String uri, String cid, String rootUri, String rootCid,
                           String parentUri, String parentCid, int depth) {
    }

    private record Vote(int voter, String rkey, String subjectUri, String subjectCid, boolean up) {
    }

    private record Subscription(int user, String rkey) {
    }

    private final NetworkShape shape;
    private final long seed;
    private final SplittableRandom random;
    private final FrameWriter writer;
    private final Zipf communityPopularity;
    private final Zipf userActivity;
    private final ArrayDeque<ObjectNode> pending = new ArrayDeque<>();
    private final RecentItems<Post> posts = new RecentItems<>(RECENT);
    private final RecentItems<Comment> comments = new RecentItems<>(RECENT);
    private final RecentItems<Vote> votes = new RecentItems<>(RECENT);
    private final RecentItems<Subscription> subscriptions = new RecentItems<>(RECENT);
    private final ArrayDeque<Integer> deactivatedOrder = new ArrayDeque<>();
    private final Set<Integer> deactivated = new HashSet<>();
    private final int initialUsers;
    private final double joinSpacing;
    private long emitted;
    private int communitiesCreated;
    private int joined;

    /** @param start the {@code time_us} the stream starts at (frames then advance by {@link NetworkShape#meanGapMicros()}) */
    public SyntheticNetwork(NetworkShape shape, long seed, Instant start) {
        this.shape = shape;
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.writer = new FrameWriter(random, start.toEpochMilli() * 1000, shape.meanGapMicros(), (int) seed);
        this.communityPopularity = new Zipf(shape.communityZipf());
        this.userActivity = new Zipf(shape.userZipf());
        this.initialUsers = Math.min(shape.users(), 10);
        long bootstrap = 2L * shape.communities() + 5L * initialUsers;
        long rest = Math.max(0, shape.events() - bootstrap);
        this.joinSpacing = shape.users() > initialUsers ? 0.8 * rest / (shape.users() - initialUsers) : Double.MAX_VALUE;
    }

    public NetworkShape shape() {
        return shape;
    }

    /** The DID of the community of popularity rank {@code rank} (0 = most popular). */
    public String communityDid(int rank) {
        return SampleIds.plcDid(seed, -1L - rank);
    }

    public String communityHandle(int rank) {
        return "c-" + Texts.communityName(rank) + "." + DOMAIN;
    }

    public static String communityName(int rank) {
        return Texts.communityName(rank);
    }

    /** The DID of the {@code index}-th account to join (account 0 is the most active). */
    public String userDid(int index) {
        return SampleIds.plcDid(seed, index);
    }

    @Override
    public boolean hasNext() {
        return emitted < shape.events();
    }

    @Override
    public ObjectNode next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        while (pending.isEmpty()) {
            step();
        }
        emitted++;
        return pending.removeFirst();
    }

    private void step() {
        if (communitiesCreated < shape.communities()) {
            createCommunity(communitiesCreated++);
        } else if (joined < initialUsers || (joined < shape.users() && emitted >= nextJoinAt())) {
            join(joined++);
        } else {
            act(BY_PERMILLE[random.nextInt(1000)]);
        }
    }

    private long nextJoinAt() {
        return 2L * shape.communities() + 5L * initialUsers + (long) ((joined - initialUsers) * joinSpacing);
    }

    private void createCommunity(int rank) {
        String did = communityDid(rank);
        pending.add(writer.identity(did, communityHandle(rank)));
        pending.add(writer.commit(did, "create", COMMUNITY_PROFILE, "self", communityProfile(rank, "")).frame());
    }

    private ObjectNode communityProfile(int rank, String edit) {
        String name = Texts.communityName(rank);
        ObjectNode profile = writer.record(COMMUNITY_PROFILE).put("name", name)
                .put("displayName", Texts.capitalise(name) + edit)
                .put("description", "A community about " + name + ". " + Texts.words(random, 4, 20) + "." + edit)
                .put("createdBy", userDid(rank % Math.max(1, shape.users())))
                .put("hostedBy", INSTANCE_DID).put("visibility", "public").put("moderationType", "moderator");
        profile.putArray("contentWarnings");
        return profile;
    }

    private void join(int index) {
        String did = userDid(index);
        String name = Texts.userName(index);
        pending.add(writer.identity(did, name + "." + DOMAIN));
        pending.add(writer.commit(did, "create", ACTOR_PROFILE, "self", actorProfile(index, "")).frame());
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            subscribe(index);
        }
    }

    private ObjectNode actorProfile(int index, String edit) {
        String name = Texts.userName(index);
        return writer.record(ACTOR_PROFILE).put("displayName", Texts.capitalise(name))
                .put("bio", "Hi, I am " + name + ". I like " + Texts.word(random) + "." + edit);
    }

    private void act(Action action) {
        switch (action) {
            case POST -> post();
            case EDIT_POST -> editPost();
            case DELETE_POST -> deletePost();
            case COMMENT -> comment();
            case EDIT_COMMENT -> editComment();
            case DELETE_COMMENT -> deleteComment();
            case VOTE -> vote();
            case FLIP_VOTE -> flipVote();
            case DELETE_VOTE -> deleteVote();
            case SUBSCRIBE -> subscribe(activeUser());
            case UNSUBSCRIBE -> unsubscribe();
            case BLOCK -> block();
            case CHANGE_HANDLE -> changeHandle();
            case DEACTIVATE -> deactivate();
            case REACTIVATE -> reactivate();
            case EDIT_COMMUNITY -> editCommunity();
            case EDIT_PROFILE -> {
                int user = activeUser();
                pending.add(writer.commit(userDid(user), "update", ACTOR_PROFILE, "self", actorProfile(user, " (edited)")).frame());
            }
        }
    }

    private void post() {
        int community = communityPopularity.rank(random, shape.communities());
        int author = activeUser();
        String communityDid = communityDid(community);
        FrameWriter.Written w = writer.commit(communityDid, "create", POST, null, postRecord(communityDid, author, ""));
        posts.add(new Post(community, w.rkey(), w.uri(), w.cid(), author));
        pending.add(w.frame());
    }

    private ObjectNode postRecord(String communityDid, int author, String edit) {
        ObjectNode record = writer.record(POST).put("community", communityDid).put("author", userDid(author))
                .put("title", Texts.words(random, 3, 9) + edit).put("content", Texts.words(random, 5, 60) + "." + edit);
        if (random.nextInt(4) == 0) {
            record.putArray("langs").add("en");
        }
        if (random.nextInt(5) == 0) {
            record.putArray("tags").add(Texts.word(random)).add(Texts.word(random));
        }
        return record;
    }

    private void editPost() {
        int slot = posts.pick(random);
        if (slot < 0) {
            post();
            return;
        }
        Post p = posts.get(slot);
        String communityDid = communityDid(p.community());
        FrameWriter.Written w = writer.commit(communityDid, "update", POST, p.rkey(), postRecord(communityDid, p.author(), " (edited)"));
        posts.set(slot, new Post(p.community(), p.rkey(), p.uri(), w.cid(), p.author()));
        pending.add(w.frame());
    }

    private void deletePost() {
        int slot = posts.pick(random);
        if (slot < 0) {
            post();
            return;
        }
        Post p = posts.get(slot);
        posts.remove(slot);
        pending.add(writer.commit(communityDid(p.community()), "delete", POST, p.rkey(), null).frame());
    }

    private void comment() {
        int postSlot = posts.pick(random);
        int parentSlot = random.nextInt(100) < 35 ? -1 : comments.pick(random);
        if (postSlot < 0 && parentSlot < 0) {
            post();
            return;
        }
        String rootUri;
        String rootCid;
        String parentUri;
        String parentCid;
        int depth;
        Comment parent = parentSlot < 0 ? null : comments.get(parentSlot);
        if (parent != null && parent.depth() < MAX_DEPTH) {
            rootUri = parent.rootUri();
            rootCid = parent.rootCid();
            parentUri = parent.uri();
            parentCid = parent.cid();
            depth = parent.depth() + 1;
        } else if (postSlot >= 0) {
            Post p = posts.get(postSlot);
            rootUri = p.uri();
            rootCid = p.cid();
            parentUri = p.uri();
            parentCid = p.cid();
            depth = 1;
        } else {
            post();
            return;
        }
        int author = activeUser();
        FrameWriter.Written w = writer.commit(userDid(author), "create", COMMENT, null,
                commentRecord(rootUri, rootCid, parentUri, parentCid, ""));
        comments.add(new Comment(author, w.rkey(), w.uri(), w.cid(), rootUri, rootCid, parentUri, parentCid, depth));
        pending.add(w.frame());
    }

    private ObjectNode commentRecord(String rootUri, String rootCid, String parentUri, String parentCid, String edit) {
        ObjectNode record = writer.record(COMMENT).put("content", Texts.words(random, 2, 40) + "." + edit);
        ObjectNode reply = record.putObject("reply");
        reply.set("root", FrameWriter.strongRef(rootUri, rootCid));
        reply.set("parent", FrameWriter.strongRef(parentUri, parentCid));
        return record;
    }

    private void editComment() {
        int slot = comments.pick(random);
        if (slot < 0 || deactivated.contains(comments.get(slot).author())) {
            comment();
            return;
        }
        Comment c = comments.get(slot);
        FrameWriter.Written w = writer.commit(userDid(c.author()), "update", COMMENT, c.rkey(),
                commentRecord(c.rootUri(), c.rootCid(), c.parentUri(), c.parentCid(), " (edited)"));
        comments.set(slot, new Comment(c.author(), c.rkey(), c.uri(), w.cid(), c.rootUri(), c.rootCid(), c.parentUri(),
                c.parentCid(), c.depth()));
        pending.add(w.frame());
    }

    private void deleteComment() {
        int slot = comments.pick(random);
        if (slot < 0 || deactivated.contains(comments.get(slot).author())) {
            comment();
            return;
        }
        Comment c = comments.get(slot);
        comments.remove(slot);
        pending.add(writer.commit(userDid(c.author()), "delete", COMMENT, c.rkey(), null).frame());
    }

    private void vote() {
        String uri;
        String cid;
        int commentSlot = random.nextInt(100) < 30 ? comments.pick(random) : -1;
        if (commentSlot >= 0) {
            uri = comments.get(commentSlot).uri();
            cid = comments.get(commentSlot).cid();
        } else {
            int postSlot = posts.pick(random);
            if (postSlot < 0) {
                post();
                return;
            }
            uri = posts.get(postSlot).uri();
            cid = posts.get(postSlot).cid();
        }
        int voter = activeUser();
        boolean up = random.nextInt(100) < 80;
        FrameWriter.Written w = writer.commit(userDid(voter), "create", VOTE, null, voteRecord(uri, cid, up));
        votes.add(new Vote(voter, w.rkey(), uri, cid, up));
        pending.add(w.frame());
    }

    private ObjectNode voteRecord(String subjectUri, String subjectCid, boolean up) {
        ObjectNode record = writer.record(VOTE);
        record.set("subject", FrameWriter.strongRef(subjectUri, subjectCid));
        return record.put("direction", up ? "up" : "down");
    }

    private void flipVote() {
        int slot = votes.pick(random);
        if (slot < 0 || deactivated.contains(votes.get(slot).voter())) {
            vote();
            return;
        }
        Vote v = votes.get(slot);
        Vote flipped = new Vote(v.voter(), v.rkey(), v.subjectUri(), v.subjectCid(), !v.up());
        votes.set(slot, flipped);
        pending.add(writer.commit(userDid(v.voter()), "update", VOTE, v.rkey(), voteRecord(v.subjectUri(), v.subjectCid(), flipped.up())).frame());
    }

    private void deleteVote() {
        int slot = votes.pick(random);
        if (slot < 0 || deactivated.contains(votes.get(slot).voter())) {
            vote();
            return;
        }
        Vote v = votes.get(slot);
        votes.remove(slot);
        pending.add(writer.commit(userDid(v.voter()), "delete", VOTE, v.rkey(), null).frame());
    }

    private void subscribe(int user) {
        int community = communityPopularity.rank(random, shape.communities());
        ObjectNode record = writer.record(SUBSCRIPTION).put("subject", communityDid(community)).put("contentVisibility", 1 + random.nextInt(5));
        FrameWriter.Written w = writer.commit(userDid(user), "create", SUBSCRIPTION, null, record);
        subscriptions.add(new Subscription(user, w.rkey()));
        pending.add(w.frame());
    }

    private void unsubscribe() {
        int slot = subscriptions.pick(random);
        if (slot < 0 || deactivated.contains(subscriptions.get(slot).user())) {
            subscribe(activeUser());
            return;
        }
        Subscription s = subscriptions.get(slot);
        subscriptions.remove(slot);
        pending.add(writer.commit(userDid(s.user()), "delete", SUBSCRIPTION, s.rkey(), null).frame());
    }

    private void block() {
        // people block what they see: popular communities are blocked most
        int community = communityPopularity.rank(random, shape.communities());
        ObjectNode record = writer.record(BLOCK).put("subject", communityDid(community));
        pending.add(writer.commit(userDid(activeUser()), "create", BLOCK, null, record).frame());
    }

    private void changeHandle() {
        int user = activeUser();
        // a handle that is new at this point of the stream, so no table of past handles is needed
        pending.add(writer.identity(userDid(user), Texts.userName(user) + "-" + (emitted + pending.size()) + "." + DOMAIN));
    }

    private void deactivate() {
        if (deactivated.size() >= MAX_DEACTIVATED || joined < 3) {
            reactivate();
            return;
        }
        int user = activeUser();
        deactivated.add(user);
        deactivatedOrder.add(user);
        pending.add(writer.account(userDid(user), false));
    }

    private void reactivate() {
        Integer user = deactivatedOrder.pollFirst();
        if (user == null) {
            changeHandle();
            return;
        }
        deactivated.remove(user);
        pending.add(writer.account(userDid(user), true));
    }

    private void editCommunity() {
        int rank = communityPopularity.rank(random, shape.communities());
        pending.add(writer.commit(communityDid(rank), "update", COMMUNITY_PROFILE, "self", communityProfile(rank, " (edited)")).frame());
    }

    /** An account that has joined and is not deactivated, by Zipf activity. */
    private int activeUser() {
        int user = userActivity.rank(random, joined);
        for (int i = 0; i < joined && deactivated.contains(user); i++) {
            user = (user + 1) % joined;
        }
        return user;
    }
}
