package social.coves.api.communities;

import social.coves.api.xrpc.XrpcException;

import java.util.Locale;

/** Sorts of {@code community.list}; each walks one index (V10__api_read_indexes.sql), tiebreak on {@code did}. */
public enum CommunityListSort {
    POPULAR("c.subscriber_count DESC, c.did DESC"),
    ACTIVE("c.post_count DESC, c.did DESC"),
    NEW("c.created_at DESC, c.did DESC"),
    ALPHABETICAL("c.name, c.did");

    final String orderBy;

    CommunityListSort(String orderBy) {
        this.orderBy = orderBy;
    }

    public static CommunityListSort parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            return POPULAR;
        }
        try {
            return valueOf(raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw XrpcException.invalidRequest("sort must be popular, active, new or alphabetical");
        }
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
