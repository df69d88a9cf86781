package social.coves.localstack.jetstream;

import java.util.List;
import java.util.Set;

/**
 * The v1 {@code /subscribe} filter: {@code wantedCollections} (exact NSIDs or {@code prefix.*}) applies to commits
 * only, {@code wantedDids} to every kind; an empty list matches everything.
 */
public record SubscribeFilter(Set<String> exactCollections, List<String> collectionPrefixes, Set<String> dids) {

    public static SubscribeFilter of(List<String> wantedCollections, List<String> wantedDids) {
        Set<String> exact = new java.util.HashSet<>();
        List<String> prefixes = new java.util.ArrayList<>();
        for (String c : wantedCollections) {
            if (c.equals("*") || (c.endsWith("*") && !c.endsWith(".*"))) {
                throw new IllegalArgumentException("invalid wantedCollections entry: " + c);
            }
            if (c.endsWith(".*")) {
                prefixes.add(c.substring(0, c.length() - 1));
            } else {
                exact.add(c);
            }
        }
        for (String did : wantedDids) {
            if (!did.startsWith("did:")) {
                throw new IllegalArgumentException("invalid wantedDids entry: " + did);
            }
        }
        return new SubscribeFilter(exact, prefixes, Set.copyOf(wantedDids));
    }

    public boolean matches(EventLog.Entry entry) {
        if (!dids.isEmpty() && !dids.contains(entry.did())) {
            return false;
        }
        if (!"commit".equals(entry.kind()) || entry.collection() == null || entry.collection().isEmpty()) {
            return true;
        }
        if (exactCollections.isEmpty() && collectionPrefixes.isEmpty()) {
            return true;
        }
        if (exactCollections.contains(entry.collection())) {
            return true;
        }
        for (String prefix : collectionPrefixes) {
            if (entry.collection().startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
