package social.coves.api.communities.rules;

/** What decides who may post in a community and what: its visibility and creator (profile) and its content rules. */
public record CommunityPolicy(String visibility, String createdBy, ContentRules rules) {

    public boolean isPrivate() {
        return "private".equals(visibility);
    }
}
