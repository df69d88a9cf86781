package social.coves.lexicon.syntax;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * A BCP 47 language tag (RFC 5646): language[-extlang][-script][-region](-variant)*(-extension)*[-privateuse], a
 * private-use tag, or a grandfathered tag. The primary language subtag must be lowercase, and repeated variants or
 * extension singletons (compared case-insensitively) are rejected, as RFC 5646 §2.2.9 requires of valid tags.
 */
public record LanguageTag(String value) {

    private static final String TYPE = "language tag";
    private static final Set<String> GRANDFATHERED = Set.of(
            "en-GB-oed", "i-ami", "i-bnn", "i-default", "i-enochian", "i-hak", "i-klingon", "i-lux", "i-mingo",
            "i-navajo", "i-pwn", "i-tao", "i-tay", "i-tsu", "sgn-BE-FR", "sgn-BE-NL", "sgn-CH-DE",
            "art-lojban", "cel-gaulish", "no-bok", "no-nyn", "zh-guoyu", "zh-hakka", "zh-min", "zh-min-nan", "zh-xiang");

    public LanguageTag {
        String reason = reason(value);
        if (reason != null) {
            throw Syntax.fail(TYPE, value, reason);
        }
    }

    public static LanguageTag parse(String value) {
        return new LanguageTag(value);
    }

    public static boolean isValid(String value) {
        return reason(value) == null;
    }

    /** The primary language subtag, e.g. {@code pt} for {@code pt-BR}. */
    public String language() {
        int dash = value.indexOf('-');
        return dash < 0 ? value : value.substring(0, dash);
    }

    @Override
    public String toString() {
        return value;
    }

    static String reason(String value) {
        if (value == null || value.isEmpty()) {
            return "empty";
        }
        if (GRANDFATHERED.contains(value)) {
            return null;
        }
        String[] subtags = value.split("-", -1);
        for (String subtag : subtags) {
            if (subtag.isEmpty() || subtag.length() > 8 || !Syntax.allMatch(subtag, c -> Syntax.isAlphanumeric((char) c))) {
                return "subtags must be 1-8 ASCII letters or digits separated by '-'";
            }
        }
        if (isSingleton(subtags[0], 'x')) {
            return privateUseReason(subtags, 0);
        }
        return langtagReason(subtags);
    }

    private static String langtagReason(String[] subtags) {
        String language = subtags[0];
        boolean lowerAlpha = Syntax.allMatch(language, c -> c >= 'a' && c <= 'z');
        if (!lowerAlpha || !(language.length() == 2 || language.length() == 3 || language.length() >= 5)) {
            return "primary language must be 2-3 or 5-8 lowercase letters";
        }
        int i = 1;
        if (language.length() <= 3) {
            for (int ext = 0; ext < 3 && i < subtags.length && isAlpha(subtags[i], 3, 3); ext++) {
                i++;
            }
        }
        if (i < subtags.length && isAlpha(subtags[i], 4, 4)) {
            i++;
        }
        if (i < subtags.length && (isAlpha(subtags[i], 2, 2) || isDigits(subtags[i], 3))) {
            i++;
        }
        Set<String> variants = new HashSet<>();
        while (i < subtags.length && isVariant(subtags[i])) {
            if (!variants.add(subtags[i].toLowerCase(Locale.ROOT))) {
                return "variant \"" + subtags[i] + "\" is repeated";
            }
            i++;
        }
        Set<Character> singletons = new HashSet<>();
        while (i < subtags.length && subtags[i].length() == 1 && !isSingleton(subtags[i], 'x')) {
            char singleton = Character.toLowerCase(subtags[i].charAt(0));
            if (!singletons.add(singleton)) {
                return "extension singleton \"" + subtags[i] + "\" is repeated";
            }
            int start = ++i;
            while (i < subtags.length && subtags[i].length() >= 2) {
                i++;
            }
            if (i == start) {
                return "extension \"" + singleton + "\" has no subtags";
            }
        }
        if (i < subtags.length && isSingleton(subtags[i], 'x')) {
            return privateUseReason(subtags, i);
        }
        return i == subtags.length ? null : "unexpected subtag \"" + subtags[i] + "\"";
    }

    private static String privateUseReason(String[] subtags, int xIndex) {
        return xIndex + 1 < subtags.length ? null : "private-use 'x' needs at least one subtag";
    }

    private static boolean isSingleton(String subtag, char letter) {
        return subtag.length() == 1 && Character.toLowerCase(subtag.charAt(0)) == letter;
    }

    private static boolean isAlpha(String s, int min, int max) {
        return s.length() >= min && s.length() <= max && Syntax.allMatch(s, c -> Syntax.isAsciiLetter((char) c));
    }

    private static boolean isDigits(String s, int length) {
        return s.length() == length && Syntax.allMatch(s, c -> Syntax.isDigit((char) c));
    }

    private static boolean isVariant(String s) {
        return s.length() >= 5 || (s.length() == 4 && Syntax.isDigit(s.charAt(0)));
    }
}
