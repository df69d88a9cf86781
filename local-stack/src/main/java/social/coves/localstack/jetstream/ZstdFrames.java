package social.coves.localstack.jetstream;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDictCompress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One-shot zstd frames seeded with the legacy Jetstream dictionary, level 3 like the real v1 encoder. */
public final class ZstdFrames {

    private final ZstdDictCompress dictionary;
    private final ThreadLocal<ZstdCompressCtx> contexts;

    private ZstdFrames(byte[] dictionary) {
        this.dictionary = new ZstdDictCompress(dictionary, 3);
        this.contexts = ThreadLocal.withInitial(() -> {
            ZstdCompressCtx ctx = new ZstdCompressCtx();
            ctx.loadDict(this.dictionary);
            ctx.setChecksum(true);
            ctx.setContentSize(true);
            ctx.setDictID(true);
            return ctx;
        });
    }

    public static ZstdFrames fromDictionary(Path file) {
        try {
            return new ZstdFrames(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read zstd dictionary " + file, e);
        }
    }

    public byte[] compress(byte[] plain) {
        // one context per thread, reused: setting up a context and loading the dictionary costs more than a frame
        return contexts.get().compress(plain);
    }
}
