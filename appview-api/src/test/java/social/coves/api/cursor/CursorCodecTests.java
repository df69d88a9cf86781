package social.coves.api.cursor;

import org.junit.jupiter.api.Test;
import social.coves.api.xrpc.XrpcException;

import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CursorCodecTests {

    private final CursorCodec codec = new CursorCodec("test-secret");

    @Test
    void roundTripsTheKeysetValues() {
        String cursor = codec.encode("community-new", List.of("2026-11-21T10:00:00.123456Z", "at://did:plc:a/social.coves.community.post/3k"));
        assertThat(cursor).doesNotContain("at://").matches("[A-Za-z0-9_-]+");
        assertThat(codec.decode("community-new", cursor, 2))
                .containsExactly("2026-11-21T10:00:00.123456Z", "at://did:plc:a/social.coves.community.post/3k");
    }

    @Test
    void tamperedForeignOrMalformedCursorsAreInvalidRequests() {
        String cursor = codec.encode("community-top", List.of("42", "2026-11-21T10:00:00Z", "at://x"));
        String decoded = new String(Base64.getUrlDecoder().decode(cursor));
        String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(decoded.replace("42", "43").getBytes());
        String otherKey = new CursorCodec("another-secret").encode("community-top", List.of("42", "2026-11-21T10:00:00Z", "at://x"));

        for (String bad : List.of(tampered, otherKey, "!!!", "", "a".repeat(5000))) {
            assertThatThrownBy(() -> codec.decode("community-top", bad, 3))
                    .isInstanceOfSatisfying(XrpcException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.error()).isEqualTo("InvalidRequest");
                    });
        }
        assertThatThrownBy(() -> codec.decode("community-hot", cursor, 3)).isInstanceOf(XrpcException.class)
                .hasMessageContaining("another listing");
    }

    @Test
    void aRotatedKeyStillAcceptsCursorsSignedWithThePreviousOneButSignsWithTheNew() {
        List<String> keys = List.of("42", "2026-11-21T10:00:00Z", "at://x");
        String held = codec.encode("community-top", keys);
        CursorCodec rotated = new CursorCodec("new-secret", Optional.of("test-secret"));
        assertThat(rotated.decode("community-top", held, 3)).containsExactlyElementsOf(keys);

        String issued = rotated.encode("community-top", keys);
        assertThat(new CursorCodec("new-secret").decode("community-top", issued, 3)).containsExactlyElementsOf(keys);
        assertThatThrownBy(() -> codec.decode("community-top", issued, 3)).as("not signed with the old key")
                .isInstanceOf(XrpcException.class);
        // once the previous key is removed, its cursors are refused
        assertThatThrownBy(() -> new CursorCodec("new-secret", Optional.empty()).decode("community-top", held, 3))
                .isInstanceOfSatisfying(XrpcException.class, e -> assertThat(e.error()).isEqualTo("InvalidRequest"));
    }
}
