package social.coves.api.feeds;

import io.vertx.mutiny.sqlclient.Row;
import social.coves.api.cursor.CursorCodec;
import social.coves.api.xrpc.XrpcException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;

/**
 * A post's place in a feed: its sort keys ({@code hotKey} for hot, {@code score} then the creation time for top,
 * the creation time for new, {@code uri} last) and its score, which a subscription's contentVisibility filters on.
 * Keys a sort does not use may be unset (0). The creation time is kept as microseconds since the epoch (PostgreSQL's
 * precision): a timeline merge compares thousands of entries per request, and a primitive compares without reading
 * the three objects an {@link OffsetDateTime} is made of.
 */
record FeedEntry(String uri, String communityDid, double hotKey, long score, long createdMicros) {

    FeedEntry(String uri, String communityDid, double hotKey, long score, OffsetDateTime createdAt) {
        this(uri, communityDid, hotKey, score, micros(createdAt));
    }

    /** Feed order, first post first: the same as the SQL {@code ORDER BY} of the sort (uri is {@code COLLATE "C"}). */
    static Comparator<FeedEntry> order(FeedSort sort) {
        return switch (sort) {
            case HOT -> FeedEntry::hotOrder;
            case TOP -> FeedEntry::topOrder;
            case NEW -> FeedEntry::newOrder;
        };
    }

    // written out rather than composed: a timeline merge compares thousands of entries per request
    private static int hotOrder(FeedEntry a, FeedEntry b) {
        int c = Double.compare(b.hotKey, a.hotKey);
        return c != 0 ? c : b.uri.compareTo(a.uri);
    }

    private static int topOrder(FeedEntry a, FeedEntry b) {
        int c = Long.compare(b.score, a.score);
        return c != 0 ? c : newOrder(a, b);
    }

    private static int newOrder(FeedEntry a, FeedEntry b) {
        int c = Long.compare(b.createdMicros, a.createdMicros);
        return c != 0 ? c : b.uri.compareTo(a.uri);
    }

    /** The creation time, for binding a keyset position. */
    OffsetDateTime createdAt() {
        return Instant.ofEpochSecond(Math.floorDiv(createdMicros, 1_000_000), Math.floorMod(createdMicros, 1_000_000) * 1000L)
                .atOffset(ZoneOffset.UTC);
    }

    /** Microseconds since the epoch; 0 for none; saturated beyond the ±292,000 years a long holds. */
    static long micros(OffsetDateTime t) {
        return t == null ? 0 : micros(t.toInstant());
    }

    static long micros(Instant t) {
        try {
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
        } catch (ArithmeticException overflow) {
            return t.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** A row with the columns {@code uri, community_did, hot_key, score, created_at} (a post row, or a walk's). */
    static FeedEntry of(Row r) {
        return of(r, r.getString("community_did"));
    }

    /** As {@link #of(Row)}, with the row's community DID given as {@code communityDid} (an equal string to share). */
    static FeedEntry of(Row r, String communityDid) {
        Double hot = r.getDouble("hot_key");
        return new FeedEntry(r.getString("uri"), communityDid, hot == null ? 0 : hot, r.getLong("score"), r.getOffsetDateTime("created_at"));
    }

    /** The position a decoded cursor names (its values as {@link #cursorValues} wrote them). */
    static FeedEntry position(FeedSort sort, List<String> values) {
        try {
            return switch (sort) {
                case HOT -> new FeedEntry(values.get(1), null, Double.parseDouble(values.get(0)), 0, null);
                case TOP -> new FeedEntry(values.get(2), null, 0, Long.parseLong(values.get(0)), OffsetDateTime.parse(values.get(1)));
                case NEW -> new FeedEntry(values.get(1), null, 0, 0, OffsetDateTime.parse(values.get(0)));
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            throw CursorCodec.invalid("it is malformed");
        }
    }

    /** The values of a cursor that continues after this post. */
    List<String> cursorValues(FeedSort sort) {
        String created = createdAt().toString();
        return switch (sort) {
            case HOT -> List.of(Double.toString(hotKey), uri);
            case TOP -> List.of(Long.toString(score), created, uri);
            case NEW -> List.of(created, uri);
        };
    }

}
