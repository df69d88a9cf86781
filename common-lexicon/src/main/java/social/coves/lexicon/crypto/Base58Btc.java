package social.coves.lexicon.crypto;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The Bitcoin base58 alphabet ({@code base58btc}, multibase prefix {@code z}). BouncyCastle has no base58 codec,
 * so this is a small big-number conversion over byte arrays; leading zero bytes map to leading {@code '1'}s.
 */
public final class Base58Btc {

    private static final char[] ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();
    private static final int[] INDEXES = new int[128];

    static {
        Arrays.fill(INDEXES, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            INDEXES[ALPHABET[i]] = i;
        }
    }

    private Base58Btc() {
    }

    public static String encode(byte[] input) {
        int zeros = 0;
        while (zeros < input.length && input[zeros] == 0) {
            zeros++;
        }
        // base-58 digits, least significant first
        byte[] digits = new byte[input.length * 138 / 100 + 1];
        int length = 0;
        for (int i = zeros; i < input.length; i++) {
            int carry = input[i] & 0xff;
            for (int j = 0; j < length; j++) {
                carry += (digits[j] & 0xff) << 8;
                digits[j] = (byte) (carry % 58);
                carry /= 58;
            }
            while (carry > 0) {
                digits[length++] = (byte) (carry % 58);
                carry /= 58;
            }
        }
        StringBuilder out = new StringBuilder(zeros + length);
        out.append("1".repeat(zeros));
        for (int j = length - 1; j >= 0; j--) {
            out.append(ALPHABET[digits[j]]);
        }
        return out.toString();
    }

    /** @throws IllegalArgumentException on a character outside the base58btc alphabet */
    public static byte[] decode(String input) {
        int zeros = 0;
        while (zeros < input.length() && input.charAt(zeros) == '1') {
            zeros++;
        }
        // base-256 bytes, least significant first
        byte[] bytes = new byte[input.length() * 733 / 1000 + 1];
        int length = 0;
        for (int i = zeros; i < input.length(); i++) {
            char c = input.charAt(i);
            int value = c < 128 ? INDEXES[c] : -1;
            if (value < 0) {
                throw new IllegalArgumentException("invalid base58btc character '" + c + "' at " + i);
            }
            int carry = value;
            for (int j = 0; j < length; j++) {
                carry += (bytes[j] & 0xff) * 58;
                bytes[j] = (byte) carry;
                carry >>>= 8;
            }
            while (carry > 0) {
                bytes[length++] = (byte) carry;
                carry >>>= 8;
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(zeros + length);
        out.writeBytes(new byte[zeros]);
        for (int j = length - 1; j >= 0; j--) {
            out.write(bytes[j]);
        }
        return out.toByteArray();
    }
}
