package social.coves.lexicon.syntax;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * An atproto datetime: the intersection of RFC 3339 and ISO 8601 — uppercase {@code T} and {@code Z}, seconds
 * required, any number of fractional digits, an explicit offset ({@code -00:00} not allowed), and a real calendar
 * instant that is not before year 0 once normalised to UTC.
 */
public record Datetime(String value) {

    private static final String TYPE = "datetime";
    private static final int MAX_FRACTION_DIGITS = 20;
    private static final Instant YEAR_ZERO = LocalDateTime.of(0, 1, 1, 0, 0).toInstant(ZoneOffset.UTC);

    public Datetime {
        toInstant(value);
    }

    public static Datetime parse(String value) {
        return new Datetime(value);
    }

    /** The instant this datetime denotes (offset applied). */
    public Instant instant() {
        return toInstant(value);
    }

    private static Instant toInstant(String value) {
        if (value == null) {
            throw Syntax.fail(TYPE, null, "null");
        }
        // YYYY-MM-DDThh:mm:ss[.1-20 digits](Z|+hh:mm|-hh:mm), scanned by position (this runs for every record)
        int fractionEnd = 19;
        if (value.length() > 19 && value.charAt(19) == '.') {
            fractionEnd = 20;
            while (fractionEnd < value.length() && isDigit(value.charAt(fractionEnd))) {
                fractionEnd++;
            }
        }
        int fractionDigits = fractionEnd == 19 ? 0 : fractionEnd - 20;
        boolean shape = value.length() >= 20 && digits(value, 0, 4) && value.charAt(4) == '-' && digits(value, 5, 2)
                && value.charAt(7) == '-' && digits(value, 8, 2) && value.charAt(10) == 'T' && digits(value, 11, 2)
                && value.charAt(13) == ':' && digits(value, 14, 2) && value.charAt(16) == ':' && digits(value, 17, 2)
                && (fractionEnd == 19 || (fractionDigits >= 1 && fractionDigits <= MAX_FRACTION_DIGITS))
                && isOffset(value, fractionEnd);
        if (!shape) {
            throw Syntax.fail(TYPE, value, "expected YYYY-MM-DDThh:mm:ss[.fraction](Z|+hh:mm|-hh:mm)");
        }
        String offsetText = value.substring(fractionEnd);
        if (offsetText.equals("-00:00")) {
            throw Syntax.fail(TYPE, value, "offset -00:00 is not allowed");
        }
        try {
            int nanos = 0;
            for (int i = 0; i < 9; i++) {
                nanos = nanos * 10 + (i < fractionDigits ? value.charAt(20 + i) - '0' : 0);
            }
            LocalDateTime local = LocalDateTime.of(num(value, 0, 4), num(value, 5, 2), num(value, 8, 2), num(value, 11, 2),
                    num(value, 14, 2), num(value, 17, 2), nanos);
            ZoneOffset offset = offsetText.equals("Z") ? ZoneOffset.UTC : ZoneOffset.of(offsetText);
            Instant instant = local.toInstant(offset);
            if (instant.isBefore(YEAR_ZERO)) {
                throw Syntax.fail(TYPE, value, "normalises to a time before year 0");
            }
            return instant;
        } catch (DateTimeException e) {
            throw Syntax.fail(TYPE, value, e.getMessage());
        }
    }

    public static boolean isValid(String value) {
        try {
            parse(value);
            return true;
        } catch (InvalidSyntaxException e) {
            return false;
        }
    }

    private static boolean isOffset(String value, int at) {
        int rest = value.length() - at;
        if (rest == 1) {
            return value.charAt(at) == 'Z';
        }
        return rest == 6 && (value.charAt(at) == '+' || value.charAt(at) == '-') && digits(value, at + 1, 2)
                && value.charAt(at + 3) == ':' && digits(value, at + 4, 2);
    }

    private static boolean digits(String value, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (!isDigit(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int num(String value, int from, int count) {
        int n = 0;
        for (int i = from; i < from + count; i++) {
            n = n * 10 + (value.charAt(i) - '0');
        }
        return n;
    }

    @Override
    public String toString() {
        return value;
    }
}
