package social.coves.lexicon.logging;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class LogRedactionTests {

    static final String JWT = "eyJhbGciOiJFUzI1NksiLCJ0eXAiOiJKV1QifQ.eyJpc3MiOiJkaWQ6cGxjOmFiYyIsImF1ZCI6ImRpZDp3ZWI6eCJ9.c2lnbmF0dXJl";

    @Test
    void jwtsBearerTokensAuthorizationHeadersAndEmailsAreRedacted() {
        String out = LogRedaction.redact("verify failed for " + JWT + " from alice@example.com; headers {Authorization: Bearer abcdefgh12345678, "
                + "Cookie: session=s3cr3t} and \"authorization\":\"DPoP tok-abcdef123456\"");
        assertThat(out).doesNotContain(JWT).doesNotContain("eyJ").doesNotContain("alice@example.com")
                .doesNotContain("abcdefgh12345678").doesNotContain("s3cr3t").doesNotContain("tok-abcdef123456")
                .contains(LogRedaction.JWT).contains(LogRedaction.EMAIL).contains("Authorization: " + LogRedaction.SECRET);
        assertThat(LogRedaction.redact("token=Bearer " + JWT)).isEqualTo("token=Bearer " + LogRedaction.SECRET);
    }

    @Test
    void aggregatorApiKeysAreRedacted() {
        String key = "ckapi_" + "0123456789abcdef".repeat(4);
        String out = LogRedaction.redact("post.create with key " + key + " refused");
        assertThat(out).doesNotContain("0123456789abcdef").isEqualTo("post.create with key ckapi_" + LogRedaction.SECRET + " refused");
    }

    @Test
    void identifiersTheLogsNeedAreKept() {
        String text = "resolved did:plc:ewvi7nxzyoun6zhxrhs64oiz handle alice.bsky.social at://did:plc:abc/social.coves.community.post/3l2 "
                + "mention @bob.coves.social took 12 ms";
        assertThat(LogRedaction.redact(text)).isSameAs(text);
    }

    @Test
    void exceptionMessagesInTheCauseChainAreRedactedAndStackTracesKept() {
        Exception cause = new IllegalStateException("bad token " + JWT);
        Exception error = new RuntimeException("login of carol@example.org failed", cause);
        Throwable redacted = LogRedaction.redact(error);
        StringWriter trace = new StringWriter();
        redacted.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain("eyJ").doesNotContain("carol@example.org")
                .contains("java.lang.RuntimeException: login of [REDACTED-EMAIL] failed")
                .contains("java.lang.IllegalStateException: bad token [REDACTED-JWT]")
                .contains("exceptionMessagesInTheCauseChainAreRedactedAndStackTracesKept");
        Exception clean = new RuntimeException("nothing secret");
        assertThat(LogRedaction.redact(clean)).isSameAs(clean);
    }
}
