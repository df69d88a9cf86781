package social.coves.lexicon.syntax;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An atproto datetime: the intersection of RFC 3339 and ISO 8601 — uppercase {@code T} and {@code Z}, seconds
 * required, any number of fractional digits, an explicit offset ({@code -00:00} not allowed), and a real calendar
 * instant that is not before year 0 once normalised to UTC.
 */
public record Datetime(String value) {

    private static final String TYPE = "datetime";
    private static final Pattern SYNTAX = Pattern.compile(
            "([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\\.([0-9]{1,20}))?(Z|[+-][0-9]{2}:[0-9]{2})");
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
        Matcher m = SYNTAX.matcher(value);
        if (!m.matches()) {
            throw Syntax.fail(TYPE, value, "expected YYYY-MM-DDThh:mm:ss[.fraction](Z|+hh:mm|-hh:mm)");
        }
        String offsetText = m.group(8);
        if (offsetText.equals("-00:00")) {
            throw Syntax.fail(TYPE, value, "offset -00:00 is not allowed");
        }
        try {
            String fraction = m.group(7) == null ? "0" : m.group(7);
            int nanos = Integer.parseInt((fraction + "000000000").substring(0, 9));
            LocalDateTime local = LocalDateTime.of(num(m, 1), num(m, 2), num(m, 3), num(m, 4), num(m, 5), num(m, 6), nanos);
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

    private static int num(Matcher m, int group) {
        return Integer.parseInt(m.group(group));
    }

    @Override
    public String toString() {
        return value;
    }
}
