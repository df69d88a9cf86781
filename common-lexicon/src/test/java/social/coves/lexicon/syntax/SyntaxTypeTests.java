package social.coves.lexicon.syntax;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyntaxTypeTests {

    @Test
    void atUriSplitsIntoItsParts() {
        AtUri uri = AtUri.parse("at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/social.coves.community.post/3kznmn7xqxl22");
        assertThat(uri.authority()).isEqualTo("did:plc:ewvi7nxzyoun6zhxrhs64oiz");
        assertThat(uri.did()).contains(Did.parse("did:plc:ewvi7nxzyoun6zhxrhs64oiz"));
        assertThat(uri.collection()).isEqualTo("social.coves.community.post");
        assertThat(uri.rkey()).isEqualTo("3kznmn7xqxl22");
        assertThat(uri.isRecord()).isTrue();
        assertThat(uri.toString()).isEqualTo("at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/social.coves.community.post/3kznmn7xqxl22");
        assertThat(AtUri.of(Did.parse("did:web:example.com"), Nsid.parse("a.b.c"), RecordKey.parse("self")).toString())
                .isEqualTo("at://did:web:example.com/a.b.c/self");

        AtUri handleUri = AtUri.parse("at://alice.example.com");
        assertThat(handleUri.did()).isEmpty();
        assertThat(handleUri.collection()).isNull();
        assertThat(handleUri.isRecord()).isFalse();
    }

    @Test
    void didIsTheGenericSyntaxWhateverTheMethod() {
        for (String did : List.of("did:plc:ewvi7nxzyoun6zhxrhs64oiz", "did:plc:test123", "did:plc:EWVI7NXZYOUN6ZHXRHS64OIZ",
                "did:web:example.com", "did:web:example.com:user:alice", "did:web:-bad.com", "did:web:example.com%3Aport",
                "did:example:abc")) {
            assertThat(Did.isValid(did)).as(did).isTrue();
            assertThat(AtIdentifier.isValid(did)).as(did).isTrue();
            assertThat(AtUri.parse("at://" + did + "/a.b.c/self").did()).as(did).contains(Did.parse(did));
        }
        assertThatThrownBy(() -> Did.parse("did:METHOD:val"))
                .isInstanceOf(InvalidSyntaxException.class).hasMessageContaining("did:METHOD:val").hasMessageContaining("lowercase");
        assertThat(Did.parse("did:web:example.com").method()).isEqualTo("web");
        assertThat(Did.parse("did:web:example.com").methodSpecificId()).isEqualTo("example.com");
    }

    @Test
    void methodRulesAreSeparateFromTheSyntax() {
        assertThat(DidMethodRules.violation(Did.parse("did:plc:ewvi7nxzyoun6zhxrhs64oiz"))).isEmpty();
        assertThat(DidMethodRules.violation(Did.parse("did:plc:asdf123"))).hasValueSatisfying(r -> assertThat(r).contains("did:plc"));
        assertThat(DidMethodRules.isValid("did:plc:EWVI7NXZYOUN6ZHXRHS64OIZ")).isFalse();
        assertThat(DidMethodRules.isValid("did:plc:ewvi7nxzyoun6zhxrhs64oi1")).isFalse();
        assertThat(DidMethodRules.isValid("did:web:localhost%3A8080")).isTrue();
        assertThat(DidMethodRules.violation(Did.parse("did:web:example.com:user:alice"))).hasValueSatisfying(r -> assertThat(r).contains("path"));
        assertThat(DidMethodRules.isValid("did:web:-bad.com")).isFalse();
        assertThat(DidMethodRules.isValid("did:web:example.com%3Aport")).isFalse();
        assertThat(DidMethodRules.isValid("did:example:abc")).as("no rules for other methods").isTrue();
        assertThat(DidMethodRules.isValid("did:METHOD:val")).as("the generic syntax still applies").isFalse();
    }

    @Test
    void tidDecodesItsTimestamp() {
        Tid tid = Tid.parse("3jzfcijpj2z2a");
        long micros = tid.timestampMicros();
        assertThat(Instant.ofEpochSecond(micros / 1_000_000)).isBetween(Instant.parse("2022-01-01T00:00:00Z"), Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(tid.clockId()).isBetween(0, 1023);
    }

    @Test
    void datetimeAppliesTheOffset() {
        assertThat(Datetime.parse("1985-04-12T23:20:50.123-07:00").instant()).isEqualTo(Instant.parse("1985-04-13T06:20:50.123Z"));
        assertThat(Datetime.isValid("2023-02-29T00:00:00Z")).isFalse();
        assertThat(Datetime.isValid("2024-02-29T00:00:00Z")).isTrue();
        assertThatThrownBy(() -> Datetime.parse("1985-04-12")).isInstanceOf(InvalidSyntaxException.class)
                .hasMessageContaining("datetime");
    }

    @Test
    void otherTypesExposeTheirParts() {
        assertThat(Nsid.parse("social.coves.community.post").authority()).isEqualTo("social.coves.community");
        assertThat(Nsid.parse("social.coves.community.post").name()).isEqualTo("post");
        assertThat(Handle.parse("Alice.Example.COM").normalized().value()).isEqualTo("alice.example.com");
        assertThat(LanguageTag.parse("pt-BR").language()).isEqualTo("pt");
        assertThat(AtIdentifier.parse("alice.example.com").isDid()).isFalse();
        assertThat(Uri.parse("https://example.com/x").scheme()).isEqualTo("https");
        assertThatThrownBy(() -> Cid.parse("QmbWqxBEKC3P8tqsKc98xmWNzrzDtRLMiMPL8wBuTGsMnR"))
                .isInstanceOf(InvalidSyntaxException.class).hasMessageContaining("CIDv0");
    }
}
