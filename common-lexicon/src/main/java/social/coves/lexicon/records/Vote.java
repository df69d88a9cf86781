package social.coves.lexicon.records;

import com.fasterxml.jackson.databind.JsonNode;
import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.syntax.Datetime;

/**
 * {@code social.coves.feed.vote} (in the voter's repo). The lexicon leaves {@code direction} open (knownValues), so
 * parsing keeps any string; {@link #isKnownDirection()} is the AppView's up/down rule.
 */
public record Vote(StrongRef subject, String direction, Datetime createdAt) implements CovesRecord {

    public static final String UP = "up";
    public static final String DOWN = "down";

    public static Vote fromJson(JsonNode json) {
        Fields f = Fields.of(json, "$");
        return new Vote(f.object("subject", StrongRef::read), f.string("direction"), f.parsed("createdAt", Datetime::parse));
    }

    public boolean isUp() {
        return UP.equals(direction);
    }

    public boolean isKnownDirection() {
        return UP.equals(direction) || DOWN.equals(direction);
    }

    @Override
    public String collection() {
        return CovesCollections.FEED_VOTE;
    }
}
