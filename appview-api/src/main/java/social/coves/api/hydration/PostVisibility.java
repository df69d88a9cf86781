package social.coves.api.hydration;

import social.coves.api.posts.PostRows;

/** Which posts a read by URI returns. */
public enum PostVisibility {
    /** What listings and {@code post.get} show: live posts whose author and community accounts are active. */
    LISTABLE(PostRows.VISIBLE),
    /** A thread's post: also when the post itself is deleted (its comments still stand), not when an account is inactive. */
    THREAD_ROOT("p.author_did IS NOT NULL"
            + " AND NOT EXISTS (SELECT 1 FROM appview.actors x WHERE x.did IN (p.author_did, p.community_did) AND NOT x.active)");

    final String condition;

    PostVisibility(String condition) {
        this.condition = condition;
    }
}
