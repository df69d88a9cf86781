package social.coves.api.feeds;

import social.coves.api.xrpc.XrpcException;

/** The {@code limit} parameter: default and maximum per method, anything else a 400. */
public final class PageSize {

    private PageSize() {
    }

    public static int parse(String raw, int defaultSize, int max) {
        if (raw == null || raw.isEmpty()) {
            return defaultSize;
        }
        int value;
        try {
            value = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw XrpcException.invalidRequest("limit must be an integer");
        }
        if (value < 1 || value > max) {
            throw XrpcException.invalidRequest("limit must be between 1 and " + max);
        }
        return value;
    }
}
