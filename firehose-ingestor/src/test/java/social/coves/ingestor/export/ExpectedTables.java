package social.coves.ingestor.export;

import social.coves.lexicon.envelope.EventEnvelope;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the exported tables must hold for a history, worked out from the envelopes alone: per table the row count and a
 * checksum over every row's identity (md5 of the sorted {@code uri|operation|rev}, or {@code did|kind|time_us}), the
 * same expression {@link #checksumSql} computes in DuckDB.
 */
final class ExpectedTables {

    static final Map<String, String> TABLE_OF_COLLECTION = Map.of(
            "social.coves.community.post", "posts",
            "social.coves.community.comment", "comments",
            "social.coves.feed.vote", "votes",
            "social.coves.community.subscription", "subscriptions",
            "social.coves.community.block", "blocks",
            "social.coves.community.profile", "communities",
            "social.coves.actor.profile", "actor_profiles");

    private final Map<String, List<String>> keys = new TreeMap<>();

    ExpectedTables(List<EventEnvelope> history) {
        for (EventEnvelope e : history) {
            String table;
            String key;
            if (e.commit() != null) {
                table = TABLE_OF_COLLECTION.getOrDefault(e.commit().collection(), "other_commits");
                key = e.commit().uri(e.did()) + "|" + e.commit().operation() + "|" + e.commit().rev();
            } else {
                table = "identity_events";
                key = e.did() + "|" + e.kind() + "|" + e.timeUs();
            }
            keys.computeIfAbsent(table, t -> new ArrayList<>()).add(key);
        }
    }

    Map<String, String> countAndChecksum() {
        Map<String, String> out = new TreeMap<>();
        keys.forEach((table, list) -> out.put(table, list.size() + " " + md5(list)));
        return out;
    }

    static String checksumSql(String table, String files) {
        String key = table.equals("identity_events") ? "did || '|' || kind || '|' || time_us"
                : "uri || '|' || operation || '|' || rev";
        return "SELECT count(*) || ' ' || md5(string_agg(k, ',' ORDER BY k)) FROM (SELECT " + key + " AS k FROM " + files + ")";
    }

    private static String md5(List<String> list) {
        List<String> sorted = new ArrayList<>(list);
        sorted.sort(null);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(String.join(",", sorted).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True depth of every comment in the history (0 under the post), by following parents among all comments. */
    static Map<String, Integer> trueDepths(List<EventEnvelope> history) {
        Map<String, String[]> refs = new HashMap<>();
        for (EventEnvelope e : history) {
            if (e.commit() != null && e.commit().record() != null && e.commit().collection().equals("social.coves.community.comment")) {
                var reply = e.commit().record().path("reply");
                refs.put(e.commit().uri(e.did()), new String[]{reply.path("root").path("uri").asText(), reply.path("parent").path("uri").asText()});
            }
        }
        Map<String, Integer> depths = new HashMap<>();
        for (String uri : refs.keySet()) {
            int depth = 0;
            String at = uri;
            boolean known = true;
            while (!refs.get(at)[1].equals(refs.get(at)[0])) {
                at = refs.get(at)[1];
                if (!refs.containsKey(at) || ++depth > 10_000) {
                    known = false;
                    break;
                }
            }
            if (known) {
                depths.put(uri, depth);
            }
        }
        return depths;
    }
}
