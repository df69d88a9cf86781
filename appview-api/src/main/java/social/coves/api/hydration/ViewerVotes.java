package social.coves.api.hydration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.changes.IndexCacheConfig;
import social.coves.api.changes.IndexChanges;
import social.coves.api.metrics.CacheMetrics;
import social.coves.api.posts.PostView;
import social.coves.api.readyourwrites.RecentWriteSql;

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
 * at most). A viewer with at most {@value #SUBJECTS_PER_VIEWER} vote records has all of them read at once, and every
 * page they read until their votes change needs no statement; a viewer with more has the subjects of each page read
 * that were not looked up yet. Cache {@code viewer_votes} (one entry per viewer, at most
 * {@link IndexCacheConfig#viewerVotes()} viewers and {@value #SUBJECTS_PER_VIEWER} subjects each).
 */
@ApplicationScoped
public class ViewerVotes {

    static final int SUBJECTS_PER_VIEWER = 200;

    /**
     * A viewer's votes as read after notice {@code readAt}: {@code all} — every vote of theirs is in {@code bySubject}
     * (a subject absent has none); otherwise the subjects looked up, empty for those not voted on.
     */
    private record Known(long readAt, boolean all, Map<String, Optional<PostView.Viewer>> bySubject) {

        static Known some(long readAt) {
            return new Known(readAt, false, new ConcurrentHashMap<>());
        }

        boolean covers(String subject) {
            return all || bySubject.containsKey(subject);
        }
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
        if (votes == null || !changes.unchangedSince(votes.readAt(), List.of(IndexChanges.user(viewerDid)))) {
            // first sight, or their votes changed: all of them when they are few (one statement for every page to come)
            boolean fewLastTime = votes == null || votes.all();
            return fewLastTime ? readAll(viewerDid, now).chain(all -> {
                Known next = all != null ? all : Known.some(now);
                known.put(viewerDid, next);
                return lookUp(viewerDid, next, subjects);
            }) : remember(viewerDid, Known.some(now), subjects);
        }
        if (!votes.all() && votes.bySubject().size() > SUBJECTS_PER_VIEWER) {
            return remember(viewerDid, Known.some(now), subjects);
        }
        return lookUp(viewerDid, votes, subjects);
    }

    private Uni<Map<String, PostView.Viewer>> remember(String viewerDid, Known votes, List<String> subjects) {
        known.put(viewerDid, votes);
        return lookUp(viewerDid, votes, subjects);
    }

    /** The subjects' votes from what is known, reading the subjects not looked up yet. */
    private Uni<Map<String, PostView.Viewer>> lookUp(String viewerDid, Known votes, List<String> subjects) {
        List<String> missing = subjects.stream().filter(s -> !votes.covers(s)).toList();
        if (missing.isEmpty()) {
            return Uni.createFrom().item(answer(votes, subjects));
        }
        return read(viewerDid, missing).map(found -> {
            for (String subject : missing) {
                votes.bySubject().put(subject, Optional.ofNullable(found.get(subject)));
            }
            return answer(votes, subjects);
        });
    }

    private Uni<Map<String, PostView.Viewer>> read(String viewerDid, List<String> subjects) {
        return statements.byFirstColumn(HydrationKind.VIEWER_VOTES, RecentWriteSql.VIEWER_VOTES,
                Tuple.of(viewerDid, subjects.toArray(String[]::new)), r -> new PostView.Viewer(r.getString(1), r.getString(2)));
    }

    /** All of the viewer's votes, or null when they have more than {@value #SUBJECTS_PER_VIEWER} vote records. */
    private Uni<Known> readAll(String viewerDid, long readAt) {
        return statements.execute(HydrationKind.VIEWER_VOTES, RecentWriteSql.ALL_VIEWER_VOTES, Tuple.of(viewerDid, (long) SUBJECTS_PER_VIEWER + 1))
                .map(rows -> {
                    Map<String, Optional<PostView.Viewer>> bySubject = new HashMap<>();
                    for (Row r : rows) {
                        if (r.getLong(3) > SUBJECTS_PER_VIEWER) {
                            return null;
                        }
                        bySubject.put(r.getString(0), Optional.of(new PostView.Viewer(r.getString(1), r.getString(2))));
                    }
                    return new Known(readAt, true, Map.copyOf(bySubject));
                });
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
