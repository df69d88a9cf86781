package social.coves.api.feeds;

/** Which posts a feed walks. */
public sealed interface FeedScope {

    /** Names the cursor kind, so a cursor from one feed is refused by another. */
    String key();

    record Community(String did) implements FeedScope {
        public String key() {
            return "community:" + did;
        }
    }

    record Discover() implements FeedScope {
        public String key() {
            return "discover";
        }
    }

    record Timeline(String viewerDid) implements FeedScope {
        public String key() {
            return "timeline:" + viewerDid;
        }
    }
}
