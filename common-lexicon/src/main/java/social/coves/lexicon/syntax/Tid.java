package social.coves.lexicon.syntax;

/**
 * A timestamp identifier: 13 characters of base32-sortable ({@code 234567a-z}); the first character is limited to
 * {@code 234567a-j} because the top bit of the 64-bit value is always zero.
 */
public record Tid(String value) {

    public static final int LENGTH = 13;
    private static final String ALPHABET = "234567abcdefghijklmnopqrstuvwxyz";
    private static final String TYPE = "TID";

    public Tid {
        String reason = reason(value);
        if (reason != null) {
            throw Syntax.fail(TYPE, value, reason);
        }
    }

    public static Tid parse(String value) {
        return new Tid(value);
    }

    public static boolean isValid(String value) {
        return reason(value) == null;
    }

    /** Microseconds since the Unix epoch encoded in the TID (the top 53 bits after the zero bit). */
    public long timestampMicros() {
        return decode() >>> 10;
    }

    /** The 10-bit clock identifier in the low bits. */
    public int clockId() {
        return (int) (decode() & 0x3FF);
    }

    private long decode() {
        long n = 0;
        for (int i = 0; i < LENGTH; i++) {
            n = (n << 5) | ALPHABET.indexOf(value.charAt(i));
        }
        return n;
    }

    @Override
    public String toString() {
        return value;
    }

    static String reason(String value) {
        if (value == null || value.length() != LENGTH) {
            return "must be exactly " + LENGTH + " characters";
        }
        if (ALPHABET.indexOf(value.charAt(0)) < 0 || ALPHABET.indexOf(value.charAt(0)) > 15) {
            return "first character must be one of 234567abcdefghij";
        }
        if (!Syntax.allMatch(value, c -> ALPHABET.indexOf(c) >= 0)) {
            return "only base32-sortable characters 234567a-z are allowed";
        }
        return null;
    }
}
