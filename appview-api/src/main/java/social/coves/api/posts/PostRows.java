package social.coves.api.posts;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** What every read of posts shares: the condition that keeps a post listable, and the timestamp format of views. */
public final class PostRows {

    /**
     * The condition on {@code appview.posts p} that keeps a post listable: not deleted, author and community accounts
     * active. Inactive accounts are excluded with a hashed sub-plan over the (tiny) partial index {@code actors_inactive}:
     * a per-row filter the planner cannot turn into a join, so feed queries stay an ordered index walk that stops after
     * one page.
     */
    public static final String VISIBLE = "p.deleted_at IS NULL"
            + " AND p.author_did NOT IN (SELECT did FROM appview.actors WHERE NOT active)"
            + " AND p.community_did NOT IN (SELECT did FROM appview.actors WHERE NOT active)";

    private PostRows() {
    }

    /** RFC 3339 UTC with milliseconds, the form atproto clients expect. */
    public static String timestamp(OffsetDateTime t) {
        return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(t.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS));
    }

    public static String timestamp(java.time.Instant t) {
        return t == null ? null : timestamp(t.atOffset(ZoneOffset.UTC));
    }
}
