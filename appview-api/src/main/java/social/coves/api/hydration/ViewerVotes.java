package social.coves.api.hydration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.changes.IndexCacheConfig;
import social.coves.api.changes.IndexChanges;
import social.coves.api.metrics.CacheMetrics;
import social.coves.api.posts.PostView;
import social.coves.api.readyourwrites.RecentWriteSql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The viewer's effective vote (newest vote record) on each subject of a page, in one lookup: the index, with what
 * the viewer just voted through this AppView laid over it ({@link RecentWriteSql}).
 *
 * <p>What a viewer's votes were found to be is remembered per viewer until their votes change (notice key
 * {@link IndexChanges#user}: a vote of theirs indexed, or written through any replica; {@link IndexCacheConfig#maxAge()}
 * at most), so a viewer paging through feeds and threads reads only the subjects not looked up yet. Cache
 * {@code viewer_votes} (one entry per viewer, at most {@link IndexCacheConfig#viewerVotes()} viewers and
 * {@value #SUBJECTS_PER_VIEWER} subjects each).
 */
@ApplicationScoped
public class ViewerVotes {

    private static final String SQL = RecentWriteSql.VIEWER_VOTES;
    static final int SUBJECTS_PER_VIEWER = 200;

    /** A viewer's votes as read after notice {@code readAt}: empty for a subject looked up and not voted on. */
    private record Known(long readAt, ConcurrentHashMap<String, Optional<PostView.Viewer>> bySubject) {
    }

    private final HydrationStatements statements;
    private final IndexChanges changes;
    private final Cache<String, Known> known;

    public ViewerVotes(HydrationStatements statements, IndexChanges changes, IndexCacheConfig config, MeterRegistry metrics) {
        this.statements = statements;
        this.changes = changes;
        this.known = CacheMetrics.monitor(metrics, "viewer_votes", config.enabled() && config.viewerVotes() > 0
                ? Caffeine.newBuilder().recordStats().maximumSize(config.viewerVotes()).expireAfterWrite(config.maxAge()).<String, Known>build()
                : null);
    }

    /** The viewer's votes by subject URI; subjects without a vote are absent. */
    public Uni<Map<String, PostView.Viewer>> of(String viewerDid, List<String> subjects) {
        if (subjects.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        long now = changes.now();
        if (known == null || now == IndexChanges.NOT_LISTENING) {
            return read(viewerDid, subjects);
        }
        Known votes = known.getIfPresent(viewerDid);
        if (votes == null || votes.bySubject().size() > SUBJECTS_PER_VIEWER
                || !changes.unchangedSince(votes.readAt(), List.of(IndexChanges.user(viewerDid)))) {
            votes = new Known(now, new ConcurrentHashMap<>());
            known.put(viewerDid, votes);
        }
        Known current = votes;
        List<String> missing = new ArrayList<>();
        for (String subject : subjects) {
            if (!current.bySubject().containsKey(subject)) {
                missing.add(subject);
            }
        }
        if (missing.isEmpty()) {
            return Uni.createFrom().item(answer(current, subjects));
        }
        return read(viewerDid, missing).map(found -> {
            for (String subject : missing) {
                current.bySubject().put(subject, Optional.ofNullable(found.get(subject)));
            }
            return answer(current, subjects);
        });
    }

    private Uni<Map<String, PostView.Viewer>> read(String viewerDid, List<String> subjects) {
        return statements.byFirstColumn(HydrationKind.VIEWER_VOTES, SQL, Tuple.of(viewerDid, subjects.toArray(String[]::new)),
                r -> new PostView.Viewer(r.getString(1), r.getString(2)));
    }

    private static Map<String, PostView.Viewer> answer(Known votes, List<String> subjects) {
        Map<String, PostView.Viewer> bySubject = new HashMap<>();
        for (String subject : subjects) {
            Optional<PostView.Viewer> vote = votes.bySubject().get(subject);
            if (vote != null && vote.isPresent()) {
                bySubject.put(subject, vote.get());
            }
        }
        return bySubject;
    }
}
