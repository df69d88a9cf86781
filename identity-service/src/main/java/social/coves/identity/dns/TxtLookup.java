package social.coves.identity.dns;

import java.util.List;

/** The seam for handle TXT look-ups: production uses dnsjava against configured resolvers, tests may swap it. */
public interface TxtLookup {

    /** Outcome of one TXT query. Each record's character-strings are already joined. */
    record TxtAnswer(Status status, List<String> records, String message) {
        public enum Status { FOUND, NO_RECORDS, FAILED }

        public static TxtAnswer found(List<String> records) {
            return new TxtAnswer(records.isEmpty() ? Status.NO_RECORDS : Status.FOUND, List.copyOf(records), "");
        }

        public static TxtAnswer none(String message) {
            return new TxtAnswer(Status.NO_RECORDS, List.of(), message);
        }

        public static TxtAnswer failed(String message) {
            return new TxtAnswer(Status.FAILED, List.of(), message);
        }
    }

    TxtAnswer txt(String name);
}
