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

    private ZstdFrames(byte[] dictionary) {
        this.dictionary = new ZstdDictCompress(dictionary, 3);
    }

    public static ZstdFrames fromDictionary(Path file) {
        try {
            return new ZstdFrames(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read zstd dictionary " + file, e);
        }
    }

    public byte[] compress(byte[] plain) {
        try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
            ctx.loadDict(dictionary);
            ctx.setChecksum(true);
            ctx.setContentSize(true);
            ctx.setDictID(true);
            return ctx.compress(plain);
        }
    }
}
