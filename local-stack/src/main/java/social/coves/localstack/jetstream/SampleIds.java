package social.coves.localstack.jetstream;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;

/** Syntactically valid atproto identifiers for generated data: did:plc, TIDs and CIDv1 (dag-cbor, sha-256). */
public final class SampleIds {

    private static final String BASE32_SORTABLE = "234567abcdefghijklmnopqrstuvwxyz";
    private static final String BASE32_LOWER = "abcdefghijklmnopqrstuvwxyz234567";

    private SampleIds() {
    }

    public static String plcDid(Random random) {
        StringBuilder sb = new StringBuilder("did:plc:");
        for (int i = 0; i < 24; i++) {
            sb.append(BASE32_LOWER.charAt(random.nextInt(32)));
        }
        return sb.toString();
    }

    /** A TID: 53 bits of microseconds and 10 bits of clock id, base32-sortable, 13 characters. */
    public static String tid(long timeUs, int clockId) {
        long value = ((timeUs & ((1L << 53) - 1)) << 10) | (clockId & 0x3FF);
        char[] out = new char[13];
        for (int i = 12; i >= 0; i--) {
            out[i] = BASE32_SORTABLE.charAt((int) (value & 31));
            value >>>= 5;
        }
        return new String(out);
    }

    /** CIDv1, dag-cbor codec, sha2-256 of {@code content}, multibase base32 ({@code bafyrei...}). */
    public static String cid(String content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            byte[] bytes = new byte[4 + digest.length];
            bytes[0] = 0x01;
            bytes[1] = 0x71;
            bytes[2] = 0x12;
            bytes[3] = 0x20;
            System.arraycopy(digest, 0, bytes, 4, digest.length);
            return "b" + base32(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A did:plc whose 24 characters are a pure function of two numbers (e.g. a seed and an index): no table needed. */
    public static String plcDid(long a, long b) {
        long hi = mix(a ^ mix(b));
        long lo = mix(hi ^ b);
        StringBuilder sb = new StringBuilder("did:plc:");
        for (int i = 0; i < 12; i++) {
            sb.append(BASE32_LOWER.charAt((int) ((hi >>> (i * 5)) & 31)));
        }
        for (int i = 0; i < 12; i++) {
            sb.append(BASE32_LOWER.charAt((int) ((lo >>> (i * 5)) & 31)));
        }
        return sb.toString();
    }

    /** SplitMix64's finaliser: a cheap, well-spread bijection on 64-bit values. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static String base32(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                sb.append(BASE32_LOWER.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(BASE32_LOWER.charAt((buffer << (5 - bits)) & 31));
        }
        return sb.toString();
    }
}
