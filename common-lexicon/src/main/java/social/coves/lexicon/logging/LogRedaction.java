package social.coves.lexicon.logging;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credentials and personal data from log text: JWTs (anything shaped {@code eyJ….….…}), aggregator API keys
 * ({@code ckapi_…}), bearer/DPoP tokens,
 * values of {@code Authorization}/{@code Cookie} headers, and email addresses. DIDs, handles and AT-URIs are kept.
 * Plain Java so every service's log filter can share it without pulling Quarkus into this module.
 */
public final class LogRedaction {

    public static final String JWT = "[REDACTED-JWT]";
    public static final String SECRET = "[REDACTED]";
    public static final String EMAIL = "[REDACTED-EMAIL]";

    private record Rule(Pattern pattern, String replacement) {
    }

    private static final List<Rule> RULES = List.of(
            // header dumps: "Authorization: Bearer x", authorization=..., "authorization":"..."
            new Rule(Pattern.compile("(?i)(\\b(?:proxy-)?(?:authorization|cookie|set-cookie)\\b[\"']?\\s*[:=]\\s*[\\[\"']?)[^\"'\\]\\r\\n,;}]+"),
                    "$1" + SECRET),
            new Rule(Pattern.compile("(?i)\\b(bearer|dpop|basic)(\\s+)[A-Za-z0-9._~+/=-]{8,}"), "$1$2" + SECRET),
            new Rule(Pattern.compile("\\beyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*"), JWT),
            // aggregator API keys (ckapi_ + 64 hex), wherever they appear
            new Rule(Pattern.compile("\\bckapi_[0-9A-Za-z]{6,}"), "ckapi_" + SECRET),
            new Rule(Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}"), EMAIL));

    private LogRedaction() {
    }

    /** The text with every secret and email replaced; the same instance when there was nothing to redact. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (Rule rule : RULES) {
            Matcher m = rule.pattern().matcher(out);
            if (m.find()) {
                out = m.replaceAll(rule.replacement());
            }
        }
        return out.equals(text) ? text : out;
    }

    /**
     * The throwable when no message in its cause chain needs redaction; otherwise a copy of the chain whose messages
     * are redacted (class names and stack traces kept), so a stack trace cannot leak a token either.
     */
    public static Throwable redact(Throwable error) {
        return error == null || !needsRedaction(error, 0) ? error : copy(error, 0);
    }

    private static boolean needsRedaction(Throwable t, int depth) {
        if (t == null || depth > 20) {
            return false;
        }
        String m = t.getMessage();
        return (m != null && redact(m) != m) || needsRedaction(t.getCause(), depth + 1);
    }

    private static Throwable copy(Throwable t, int depth) {
        Throwable cause = t.getCause() == null || depth > 20 ? null : copy(t.getCause(), depth + 1);
        Redacted r = new Redacted(t.getClass().getName() + (t.getMessage() == null ? "" : ": " + redact(t.getMessage())), cause);
        r.setStackTrace(t.getStackTrace());
        return r;
    }

    /** Stands in for a throwable whose message was redacted; its message starts with the original class name. */
    public static final class Redacted extends RuntimeException {
        Redacted(String message, Throwable cause) {
            super(message, cause, false, true);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
