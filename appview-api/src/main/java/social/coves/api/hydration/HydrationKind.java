package social.coves.api.hydration;

/**
 * What one batch statement of the hydration layer reads; a page issues at most one statement of each. Posts come with
 * their authors and communities joined in ({@link PostsByUri}): no statement of their own.
 */
public enum HydrationKind {
    POSTS, VIEWER_VOTES, VIEWER_SUBSCRIPTIONS;

    /** The metric tag: {@code posts}, {@code viewer_votes}, ... */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
