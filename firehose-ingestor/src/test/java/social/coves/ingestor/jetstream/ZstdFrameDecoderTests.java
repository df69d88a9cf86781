package social.coves.ingestor.jetstream;

import org.junit.jupiter.api.Test;
import social.coves.localstack.jetstream.ZstdFrames;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ZstdFrameDecoderTests {

    private final ZstdFrames encoder = ZstdFrames.fromDictionary(Fixtures.jetstream("legacy_subscribe.zdict"));

    @Test
    void decodesEveryGoldenEventCompressedWithTheLegacyDictionary() throws Exception {
        ZstdFrameDecoder decoder = ZstdFrameDecoder.fromFile(Fixtures.jetstream("legacy_subscribe.zdict"), 1 << 20);
        for (String line : Files.readAllLines(Fixtures.jetstream("golden_v1.jsonl"), StandardCharsets.UTF_8)) {
            byte[] plain = line.getBytes(StandardCharsets.UTF_8);
            byte[] frame = encoder.compress(plain);
            assertThat(frame.length).isLessThan(plain.length);
            assertThat(decoder.decode(frame)).isEqualTo(plain);
        }
    }

    @Test
    void refusesFramesAboveTheCapAndCorruptFrames() {
        ZstdFrameDecoder decoder = ZstdFrameDecoder.fromFile(Fixtures.jetstream("legacy_subscribe.zdict"), 1000);
        byte[] big = new byte[5000];
        Arrays.fill(big, (byte) 'a');
        assertThatThrownBy(() -> decoder.decode(encoder.compress(big))).isInstanceOf(ZstdFrameDecoder.DecodeException.class)
                .hasMessageContaining("cap");
        byte[] corrupt = encoder.compress("{\"did\":\"did:plc:x\",\"kind\":\"identity\"}".getBytes(StandardCharsets.UTF_8));
        corrupt[corrupt.length - 3] ^= 0x5A;
        assertThatThrownBy(() -> decoder.decode(corrupt)).isInstanceOf(ZstdFrameDecoder.DecodeException.class);
        assertThatThrownBy(() -> decoder.decode("not zstd at all".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ZstdFrameDecoder.DecodeException.class);
    }
}
