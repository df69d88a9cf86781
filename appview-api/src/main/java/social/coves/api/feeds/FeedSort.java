package social.coves.api.feeds;

import social.coves.api.xrpc.XrpcException;

import java.util.Locale;

/** Feed sorts; each walks one index (see the indexer's README), keyset on the sort columns then {@code uri}. */
public enum FeedSort {
    HOT, TOP, NEW;

    public static FeedSort parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            return HOT;
        }
        try {
            return valueOf(raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw XrpcException.invalidRequest("sort must be hot, top or new");
        }
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
