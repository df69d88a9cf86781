package social.coves.api.actors;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code social.coves.actor.defs#profileViewDetailed}. The bio is served both as {@code bio} (the lexicon) and as
 * {@code description} (what Coves emits today).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProfileView(String did, String handle, String displayName, String bio, String description, String avatar,
                          String banner, String createdAt, Stats stats) {

    public record Stats(long postCount, long commentCount, long communityCount, long reputation, long membershipCount) {
    }
}
