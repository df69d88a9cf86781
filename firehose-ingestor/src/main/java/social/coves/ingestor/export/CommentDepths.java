package social.coves.ingestor.export;

import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import social.coves.lexicon.records.CommunityComment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code depth} column of exported comments, by the indexer's rule: 0 for a reply to the post, the parent's depth
 * + 1 below a comment. The export knows every comment it has written (reloaded from the table on start) and resolves a
 * batch's comments among themselves in any order, so a reply is placed when its parent is in the same batch or an
 * earlier one. A reply exported before its parent (the parent's repo sits in a partition the export had read less of)
 * keeps depth NULL: docs/analytics.md gives the recursive query that derives every depth from the table.
 */
final class CommentDepths {

    private final Map<String, Integer> known = new HashMap<>();

    void load(Table comments) {
        try (CloseableIterable<Record> rows = IcebergGenerics.read(comments).select("uri", ExportTables.DEPTH).build()) {
            for (Record row : rows) {
                Integer depth = (Integer) row.getField(ExportTables.DEPTH);
                if (depth != null) {
                    known.put((String) row.getField("uri"), depth);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Depths for the comments of one batch (uri → depth; absent = unknown), remembered for later batches. */
    Map<String, Integer> resolve(List<LogEvent> batch) {
        Map<String, CommunityComment.ReplyRef> replies = new HashMap<>();
        for (LogEvent event : batch) {
            if (event.record() instanceof CommunityComment comment) {
                replies.put(event.commit().uri(event.envelope().did()), comment.reply());
            }
        }
        Map<String, Integer> resolved = new HashMap<>();
        for (String uri : replies.keySet()) {
            Integer depth = depthOf(uri, replies, new HashSet<>());
            if (depth != null) {
                resolved.put(uri, depth);
            }
        }
        known.putAll(resolved);
        return resolved;
    }

    private Integer depthOf(String uri, Map<String, CommunityComment.ReplyRef> replies, Set<String> path) {
        CommunityComment.ReplyRef reply = replies.get(uri);
        if (reply == null) {
            return known.get(uri);
        }
        String parent = reply.parent().uri().toString();
        if (parent.equals(reply.root().uri().toString())) {
            return 0;
        }
        if (!path.add(uri)) {
            return null;   // a cycle of hostile records has no depth
        }
        Integer parentDepth = depthOf(parent, replies, path);
        return parentDepth == null ? null : parentDepth + 1;
    }
}
