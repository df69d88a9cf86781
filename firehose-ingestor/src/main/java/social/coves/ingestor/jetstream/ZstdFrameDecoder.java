package social.coves.ingestor.jetstream;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdDictDecompress;
import com.github.luben.zstd.ZstdException;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decodes the binary frames of {@code compress=true}: each one an independent zstd frame made with the legacy
 * Jetstream dictionary. Output is capped, so a hostile or corrupt frame cannot balloon memory.
 */
public final class ZstdFrameDecoder {

    /** A frame that cannot be decoded; the consumer reconnects from its durable cursor rather than skip it. */
    public static final class DecodeException extends Exception {
        public DecodeException(String message) {
            super(message);
        }
    }

    private final ZstdDictDecompress dictionary;
    private final byte[] dictionaryBytes;
    private final int maxBytes;
    private final ThreadLocal<ZstdDecompressCtx> contexts;

    public ZstdFrameDecoder(byte[] dictionary, int maxBytes) {
        this.dictionaryBytes = dictionary;
        this.dictionary = new ZstdDictDecompress(dictionary);
        this.maxBytes = maxBytes;
        this.contexts = ThreadLocal.withInitial(() -> new ZstdDecompressCtx().loadDict(this.dictionary));
    }

    public static ZstdFrameDecoder fromFile(Path dictionary, int maxBytes) {
        try {
            return new ZstdFrameDecoder(Files.readAllBytes(dictionary), maxBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the zstd dictionary " + dictionary, e);
        }
    }

    public byte[] decode(byte[] frame) throws DecodeException {
        long size;
        try {
            size = Zstd.getFrameContentSize(frame);
        } catch (RuntimeException e) {
            throw new DecodeException("not a zstd frame: " + e.getMessage());
        }
        if (size > maxBytes) {
            throw new DecodeException("frame declares " + size + " bytes, above the cap of " + maxBytes);
        }
        if (size < 0) {
            // content size not in the header (or an error code): stream with the cap
            return decodeStreaming(frame);
        }
        byte[] out = new byte[(int) size];
        try {
            int n = contexts.get().decompressByteArray(out, 0, out.length, frame, 0, frame.length);
            if (n != out.length) {
                throw new DecodeException("frame decoded to " + n + " bytes, header said " + size);
            }
            return out;
        } catch (ZstdException e) {
            throw new DecodeException("corrupt zstd frame: " + e.getMessage());
        }
    }

    private byte[] decodeStreaming(byte[] frame) throws DecodeException {
        try (var in = new ZstdInputStreamNoFinalizer(new ByteArrayInputStream(frame))) {
            in.setDict(dictionaryBytes);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, frame.length * 4));
            byte[] buffer = new byte[16384];
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (out.size() + n > maxBytes) {
                    throw new DecodeException("frame decodes to more than the cap of " + maxBytes + " bytes");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException | ZstdException e) {
            throw new DecodeException("corrupt zstd frame: " + e.getMessage());
        }
    }
}
