package social.coves.ingestor.export;

import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
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
    Map<String, Integer> resolve(List<ExportRow> batch) {
        Map<String, String> parentOf = new HashMap<>();   // comment → its parent comment; absent for replies to the post
        Map<String, Integer> resolved = new HashMap<>();
        for (ExportRow row : batch) {
            ExportRow.CommentRef comment = row.comment();
            if (comment != null) {
                if (comment.parent().equals(comment.root())) {
                    resolved.put(comment.uri(), 0);
                } else {
                    parentOf.put(comment.uri(), comment.parent());
                }
            }
        }
        for (String uri : parentOf.keySet()) {
            depthOf(uri, parentOf, resolved);
        }
        known.putAll(resolved);
        return resolved;
    }

    /** Walks up to the first comment whose depth is known, then sets the depth of every comment on the way down. */
    private Integer depthOf(String uri, Map<String, String> parentOf, Map<String, Integer> resolved) {
        List<String> path = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String at = uri;
        Integer depth = null;
        while (depth == null) {
            depth = resolved.containsKey(at) ? resolved.get(at) : parentOf.containsKey(at) ? null : known.get(at);
            if (depth != null || !parentOf.containsKey(at) || !seen.add(at)) {
                break;   // known, or a parent never exported, or a cycle of hostile records: no depth
            }
            path.add(at);
            at = parentOf.get(at);
        }
        if (depth == null) {
            return null;
        }
        for (int i = path.size() - 1; i >= 0; i--) {
            depth = depth + 1;
            resolved.put(path.get(i), depth);
        }
        return resolved.get(uri);
    }
}
