package social.coves.api.writes;

import java.util.Map;

/**
 * The write procedures Coves clients call for records that live in the user's own repository, and what to write to
 * the PDS instead. The AppView writes them only for users signed in through it (a sealed session token: it holds
 * their OAuth session, {@code writes.user}); a service-auth caller has no session here, so it is told which call to
 * make on its own PDS. Either way Jetstream brings the record back to the index.
 */
public final class WriteProcedures {

    /** What a client should do instead: the repo method, the collection, and the record fields. */
    record Instead(String repoMethod, String collection, String fields) {
    }

    static final Map<String, Instead> USER_OWNED = Map.ofEntries(
            Map.entry("social.coves.community.subscribe", new Instead("com.atproto.repo.createRecord",
                    "social.coves.community.subscription", "{$type, subject: <community DID>, contentVisibility: 1-5 (default 3), createdAt}")),
            Map.entry("social.coves.community.unsubscribe", new Instead("com.atproto.repo.deleteRecord",
                    "social.coves.community.subscription", "rkey of your subscription record")),
            Map.entry("social.coves.community.blockCommunity", new Instead("com.atproto.repo.createRecord",
                    "social.coves.community.block", "{$type, subject: <community DID>, createdAt}")),
            Map.entry("social.coves.community.unblockCommunity", new Instead("com.atproto.repo.deleteRecord",
                    "social.coves.community.block", "rkey of your block record")),
            Map.entry("social.coves.actor.blockUser", new Instead("com.atproto.repo.createRecord",
                    "social.coves.actor.block", "{$type, subject: <the user's DID>, createdAt}")),
            Map.entry("social.coves.actor.unblockUser", new Instead("com.atproto.repo.deleteRecord",
                    "social.coves.actor.block", "rkey of your block record")),
            Map.entry("social.coves.feed.vote.create", new Instead("com.atproto.repo.createRecord",
                    "social.coves.feed.vote", "{$type, subject: {uri, cid}, direction: up|down, createdAt}")),
            Map.entry("social.coves.feed.vote.delete", new Instead("com.atproto.repo.deleteRecord",
                    "social.coves.feed.vote", "rkey of your vote record")),
            Map.entry("social.coves.community.comment.create", new Instead("com.atproto.repo.createRecord",
                    "social.coves.community.comment", "{$type, reply: {root: {uri, cid}, parent: {uri, cid}}, content, createdAt}")),
            Map.entry("social.coves.community.comment.update", new Instead("com.atproto.repo.putRecord",
                    "social.coves.community.comment", "the full record, same reply refs and createdAt, swapRecord = the CID you last saw")),
            Map.entry("social.coves.community.comment.delete", new Instead("com.atproto.repo.deleteRecord",
                    "social.coves.community.comment", "rkey of your comment record")),
            Map.entry("social.coves.actor.updateProfile", new Instead("com.atproto.repo.putRecord",
                    "social.coves.actor.profile", "rkey self: {$type, displayName, bio, avatar, banner (blobs from com.atproto.repo.uploadBlob), createdAt}")));

    private WriteProcedures() {
    }

    /** For a user-owned write procedure called without a session signed in here: what to call on the PDS instead. */
    public static java.util.Optional<String> adviceFor(String nsid) {
        Instead instead = USER_OWNED.get(nsid);
        if (instead == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("This AppView writes to your repository only with a session signed in through it "
                + "(/oauth/login; send the token it gives you). Otherwise call " + instead.repoMethod()
                + " on your own PDS with repo = your DID, collection = " + instead.collection() + " and " + instead.fields()
                + "; the AppView indexes the record from the network within seconds.");
    }
}
