package social.coves.ingestor.indexer;

import com.fasterxml.jackson.databind.JsonNode;
import social.coves.lexicon.envelope.EventEnvelope;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A small in-memory model of the fold's rules, written from the rules (not from the fold's code), for {@link
 * FoldModelTests}: commit events applied one after the other as the ledger decides them, then every counter and depth
 * derived from the final rows by its definition. Its {@link #rows()} are what the projections must hold, in the shape
 * {@link FoldModelTests} reads them from Postgres.
 */
final class FoldModel {

    private static final String POST = "social.coves.community.post";
    private static final String COMMENT = "social.coves.community.comment";
    private static final String VOTE = "social.coves.feed.vote";
    private static final String SUBSCRIPTION = "social.coves.community.subscription";
    private static final String PROFILE = "social.coves.community.profile";

    /** A post or comment row; {@code parent}/{@code root} stay null for posts. */
    private static final class Row {
        String cid, author, title, content, root, parent;
        Long createdAt, deletedAt;
        boolean live;
    }

    private record Ledger(String rev, boolean deleted) {
    }

    private record VoteRow(String voter, String rkey, String subject, String direction) {
    }

    private record SubscriptionRow(String subscriber, String community, int visibility) {
    }

    private final Map<String, Ledger> ledger = new TreeMap<>();
    private final Map<String, Row> posts = new TreeMap<>();
    private final Map<String, Row> comments = new TreeMap<>();
    private final Map<String, VoteRow> votes = new TreeMap<>();
    private final Map<String, SubscriptionRow> subscriptions = new TreeMap<>();
    private final Map<String, Boolean> communities = new TreeMap<>();

    void apply(List<EventEnvelope> events) {
        events.forEach(this::apply);
    }

    private void apply(EventEnvelope e) {
        EventEnvelope.Commit c = e.commit();
        String key = e.did() + " " + c.collection() + " " + c.rkey();
        Ledger stored = ledger.get(key);
        boolean write = !c.isDelete();
        if (stored == null || stored.rev().compareTo(c.rev()) < 0) {
            ledger.put(key, new Ledger(c.rev(), c.isDelete()));
        } else {
            if (stored.deleted() && write && c.record() != null) {
                behindTombstone(e);
            }
            return;
        }
        String uri = "at://" + e.did() + "/" + c.collection() + "/" + c.rkey();
        JsonNode r = c.record();
        switch (c.collection()) {
            case POST, COMMENT -> {
                Map<String, Row> table = c.collection().equals(POST) ? posts : comments;
                Row row = table.get(uri);
                if (write) {
                    row = new Row();
                    row.live = true;
                    row.cid = c.cid();
                    row.author = c.collection().equals(POST) ? r.path("author").asText() : e.did();
                    row.title = r.path("title").asText(null);
                    row.content = r.path("content").asText(null);
                    row.root = r.path("reply").path("root").path("uri").asText(null);
                    row.parent = r.path("reply").path("parent").path("uri").asText(null);
                    row.createdAt = Math.min(micros(r.path("createdAt").asText()), e.timeUs());
                    table.put(uri, row);
                } else if (row == null) {
                    row = new Row();   // a placeholder: deleted before it was ever seen
                    row.author = c.collection().equals(POST) ? null : e.did();
                    row.deletedAt = e.timeUs();
                    table.put(uri, row);
                } else if (row.live) {
                    row.live = false;
                    row.cid = row.title = row.content = null;
                    row.deletedAt = e.timeUs();
                }
            }
            case VOTE -> {
                if (write) {
                    votes.put(uri, new VoteRow(e.did(), c.rkey(), r.path("subject").path("uri").asText(), r.path("direction").asText()));
                } else {
                    votes.remove(uri);
                }
            }
            case SUBSCRIPTION -> {
                if (write) {
                    subscriptions.put(uri, new SubscriptionRow(e.did(), r.path("subject").asText(), r.path("contentVisibility").asInt(3)));
                } else {
                    subscriptions.remove(uri);
                }
            }
            case PROFILE -> communities.put(e.did(), write);
            default -> {
            }
        }
    }

    /** An older write behind a tombstone fills a placeholder's missing shape (never its content). */
    private void behindTombstone(EventEnvelope e) {
        EventEnvelope.Commit c = e.commit();
        String uri = "at://" + e.did() + "/" + c.collection() + "/" + c.rkey();
        JsonNode r = c.record();
        long createdAt = Math.min(micros(r.path("createdAt").asText()), e.timeUs());
        if (c.collection().equals(POST)) {
            Row row = posts.get(uri);
            if (row != null && !row.live && (row.author == null || row.createdAt == null)) {
                row.author = row.author != null ? row.author : r.path("author").asText();
                row.createdAt = row.createdAt != null ? row.createdAt : createdAt;
            }
        } else if (c.collection().equals(COMMENT)) {
            Row row = comments.get(uri);
            if (row != null && !row.live && row.root == null) {
                row.root = r.path("reply").path("root").path("uri").asText(null);
                row.parent = r.path("reply").path("parent").path("uri").asText(null);
                row.createdAt = row.createdAt != null ? row.createdAt : createdAt;
            }
        }
    }

    /** Every projection row as "table | columns…", derived counters and depths included. */
    List<String> rows() {
        List<String> out = new ArrayList<>();
        ledger.forEach((k, v) -> out.add("records | " + k + " | " + v.rev() + " | " + v.deleted()));
        Map<String, long[]> effective = effectiveVotes();
        posts.forEach((uri, p) -> {
            long[] v = effective.getOrDefault(uri, new long[2]);
            out.add(String.join(" | ", "posts", uri, p.cid, p.author, p.title, p.content, str(p.createdAt), str(p.deletedAt),
                    str(v[0]), str(v[1]), str(liveComments(c -> uri.equals(c.root))),
                    str(liveComments(c -> uri.equals(c.parent) && uri.equals(c.root)))));
        });
        comments.forEach((uri, c) -> {
            long[] v = effective.getOrDefault(uri, new long[2]);
            out.add(String.join(" | ", "comments", uri, c.cid, c.root, c.parent, c.content, str(c.createdAt), str(c.deletedAt),
                    str(depth(uri, 0)), str(v[0]), str(v[1]),
                    str(liveComments(x -> uri.equals(x.parent) && x.root != null && x.root.equals(c.root)))));
        });
        votes.forEach((uri, v) -> out.add(String.join(" | ", "votes", uri, v.subject(), v.direction())));
        subscriptions.forEach((uri, s) -> out.add(String.join(" | ", "subscriptions", uri, s.community(), str(s.visibility()))));
        communities.forEach((did, exists) -> {
            if (exists) {
                long subscribers = subscriptions.values().stream().filter(s -> s.community().equals(did))
                        .map(SubscriptionRow::subscriber).distinct().count();
                long live = posts.entrySet().stream().filter(p -> p.getKey().startsWith("at://" + did + "/") && p.getValue().live).count();
                out.add(String.join(" | ", "communities", did, str(subscribers), str(live)));
            }
        });
        return out;
    }

    /** Subject → {up, down}: per voter, the vote with the greatest rkey counts. */
    private Map<String, long[]> effectiveVotes() {
        Map<String, VoteRow> latest = new HashMap<>();
        votes.values().forEach(v -> latest.merge(v.subject() + " " + v.voter(), v, (a, b) -> a.rkey().compareTo(b.rkey()) > 0 ? a : b));
        Map<String, long[]> out = new HashMap<>();
        latest.values().forEach(v -> out.computeIfAbsent(v.subject(), s -> new long[2])[v.direction().equals("up") ? 0 : 1]++);
        return out;
    }

    private long liveComments(java.util.function.Predicate<Row> where) {
        return comments.values().stream().filter(c -> c.live && where.test(c)).count();
    }

    /**
     * 0 under its root post, parent + 1 under a comment of the same thread; null while an ancestor is unknown, in a
     * cycle, or when the parent is in another thread.
     */
    private Integer depth(String uri, int guard) {
        Row c = comments.get(uri);
        if (c == null || c.parent == null || guard > comments.size()) {
            return null;
        }
        if (c.parent.contains("/" + POST + "/")) {
            return c.parent.equals(c.root) ? 0 : null;
        }
        Row parent = comments.get(c.parent);
        if (parent == null || !Objects.equals(parent.root, c.root)) {
            return null;
        }
        Integer above = depth(c.parent, guard + 1);
        return above == null ? null : above + 1;
    }

    private static long micros(String datetime) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(datetime));
    }

    private static String str(Object o) {
        return Objects.toString(o);
    }
}
