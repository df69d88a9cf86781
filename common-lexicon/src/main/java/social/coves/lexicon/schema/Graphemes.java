package social.coves.lexicon.schema;

import java.text.BreakIterator;

/**
 * Grapheme-cluster and UTF-8 length of strings. Grapheme boundaries come from the JDK's character
 * {@link BreakIterator}, which follows Unicode extended grapheme clusters (UAX #29) since JDK 20, so emoji ZWJ
 * sequences, flags and combining marks count as one.
 */
public final class Graphemes {

    private Graphemes() {
    }

    public static int count(String s) {
        if (isSimpleAscii(s)) {
            return s.length();
        }
        BreakIterator it = BreakIterator.getCharacterInstance();
        it.setText(s);
        int count = 0;
        while (it.next() != BreakIterator.DONE) {
            count++;
        }
        return count;
    }

    /** Number of bytes in the UTF-8 encoding, computed without encoding. */
    public static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3; // BMP character, or a lone surrogate which encoders replace with a 3-byte '?'-like unit
            }
        }
        return bytes;
    }

    // Printable ASCII has one grapheme per char; CR LF and control characters are left to the BreakIterator.
    private static boolean isSimpleAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7F) {
                return false;
            }
        }
        return true;
    }
}
