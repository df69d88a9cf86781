package social.coves.identity.web;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;
import social.coves.identity.support.DidDocs;
import social.coves.identity.support.FakeNetwork;
import social.coves.identity.support.FakeNetworkResource;
import social.coves.localstack.testing.KafkaResource;
import social.coves.localstack.testing.PostgresResource;
import social.coves.localstack.testing.TestHttpsHost;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * {@code verifyWellKnownDid} against a real HTTPS host (local-stack's shared {@link TestHttpsHost}, trusted only
 * through {@code coves.identity.fetch.extra-trusted-certificates}, set by {@link FakeNetworkResource}); fake DNS
 * names point at it or at refused addresses. The tests share the host's one well-known path, so each sets it first.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(FakeNetworkResource.class)
class WellKnownDidVerifierTest {

    private static final String PATH = "/.well-known/atproto-did";

    private final FakeNetwork net = FakeNetwork.get();
    private final TestHttpsHost host = TestHttpsHost.shared();

    private static ValidatableResponse verdict(String domain, String did, boolean verified, String reason) {
        return given().queryParam("domain", domain).queryParam("did", did)
                .get("/xrpc/social.coves.identity.verifyWellKnownDid")
                .then().statusCode(200)
                .body("verified", equalTo(verified)).body("reason", equalTo(reason)).body("did", equalTo(did));
    }

    @Test
    void verifiesTheDidTheDomainServesInEveryAcceptedForm() {
        String did = DidDocs.newPlcDid();
        host.serve(PATH, 200, did + "\n");

        verdict(host.domain(), did, true, "Verified").body("domain", equalTo(host.domain()));
        verdict("https://LocalHost:" + host.port() + "/", did, true, "Verified").body("domain", equalTo(host.domain()));
        verdict("https://localhost:" + host.port(), did, true, "Verified");
        String web = "did:web:aggregator.example.com";
        host.serve(PATH, 200, "  " + web + "\r\nignored second line\n");
        verdict(host.domain(), web, true, "Verified");
    }

    @Test
    void isNeverCachedSoAChangedFileIsSeenAtOnce() {
        String did = DidDocs.newPlcDid();
        host.serve(PATH, 200, did);
        int before = host.hits(PATH);
        verdict(host.domain(), did, true, "Verified");
        host.serve(PATH, 200, DidDocs.newPlcDid());
        verdict(host.domain(), did, false, "Mismatch");
        assertThat(host.hits(PATH) - before).isEqualTo(2);
    }

    @Test
    void aDifferentDidIsAMismatchNamingWhatWasServed() {
        String served = DidDocs.newPlcDid();
        String asked = DidDocs.newPlcDid();
        host.serve(PATH, 200, served + "\n");
        verdict(host.domain(), asked, false, "Mismatch").body("message", containsString(served));
        // DIDs compare exactly: case matters
        host.serve(PATH, 200, "did:web:Aggregator.example.com");
        verdict(host.domain(), "did:web:aggregator.example.com", false, "Mismatch");
    }

    @Test
    void aFileWhoseFirstLineIsNotADidIsNotADid() {
        String did = DidDocs.newPlcDid();
        host.serve(PATH, 200, "<html>hello</html>\n" + did);
        verdict(host.domain(), did, false, "NotADid");
        host.serve(PATH, 200, "");
        verdict(host.domain(), did, false, "NotADid");
    }

    @Test
    void aMissingFileOrHostIsNotFoundAndOtherStatusesFail() {
        String did = DidDocs.newPlcDid();
        host.serve(PATH, 404, "no");
        verdict(host.domain(), did, false, "NotFound").body("message", containsString("404"));
        host.serve(PATH, 410, "gone");
        verdict(host.domain(), did, false, "NotFound");
        verdict(DidDocs.unique("nohost") + ".example.org", did, false, "NotFound");   // fake DNS: NXDOMAIN
        host.serve(PATH, 500, did);
        verdict(host.domain(), did, false, "FetchFailed").body("message", containsString("500"));
    }

    @Test
    void redirectsAreNeverFollowed() {
        String did = DidDocs.newPlcDid();
        host.serve("/elsewhere", 200, did);
        host.redirect(PATH, "https://" + host.domain() + "/elsewhere");
        verdict(host.domain(), did, false, "Redirect");
        assertThat(host.hits("/elsewhere")).isZero();
    }

    @Test
    void privateAndMetadataAddressesAreRefusedBeforeAnyConnection() {
        String did = DidDocs.newPlcDid();
        String internal = DidDocs.unique("internal") + ".test";
        String metadata = DidDocs.unique("metadata") + ".test";
        net.address(internal, "10.0.0.5");
        net.address(metadata, "169.254.169.254");

        // a connection attempt to 10.0.0.5 would end in a timeout (FetchFailed), not Refused
        verdict(internal, did, false, "Refused").body("message", containsString("private_address"));
        verdict(internal + ":" + host.port(), did, false, "Refused");
        verdict(metadata, did, false, "Refused").body("message", containsString("metadata_address"));
        given().get("/q/metrics").then()
                .body(containsString("coves_identity_domain_checks_total{reason=\"Refused\"}"))
                .body(containsString("coves_identity_refusals_total{reason=\"private_address\"}"));
    }

    @Test
    void plainHttpIsRefused() {
        String did = DidDocs.newPlcDid();
        verdict("http://" + host.domain(), did, false, "InvalidDomain").body("domain", nullValue());
        // https spoken to a plain HTTP server (FakeNetwork's): the TLS handshake fails
        net.route("localhost", PATH, FakeNetwork.Route.text(did));
        verdict("localhost:" + net.httpPort(), did, false, "FetchFailed");
        assertThat(net.hits("localhost", PATH)).isZero();
    }

    @Test
    void aBodyOverTheWellKnownCapIsTooLarge() {
        String did = DidDocs.newPlcDid();
        host.serve(PATH, 200, did + "\n" + "x".repeat(4096));   // cap: fetch.max-well-known-bytes = 2048
        verdict(host.domain(), did, false, "TooLarge");
    }

    @Test
    void anUntrustedCertificateOrAnotherNameFailsTheHandshake() {
        String did = DidDocs.newPlcDid();
        try (TestHttpsHost untrusted = TestHttpsHost.start()) {   // its own self-signed certificate, not configured
            untrusted.serve(PATH, 200, did);
            verdict(untrusted.domain(), did, false, "FetchFailed").body("message", containsString("PKIX"));
            assertThat(untrusted.hits(PATH)).isZero();
        }
        // the trusted certificate, reached under a name it is not issued for: host-name verification says no
        String otherName = DidDocs.unique("othername") + ".test";
        net.address(otherName, "127.0.0.1");
        host.serve(PATH, 200, did);
        int before = host.hits(PATH);
        verdict(otherName + ":" + host.port(), did, false, "FetchFailed")
                .body("message", containsString("No subject alternative DNS name matching " + otherName));
        assertThat(host.hits(PATH)).isEqualTo(before);
    }

    @Test
    void invalidDomainsAndDidsAreAnsweredWithoutFetching() {
        String did = DidDocs.newPlcDid();
        int before = host.hits(PATH);
        for (String domain : new String[]{"not a domain", "nodots", "127.0.0.1", "127.0.0.1:" + host.port(),
                "[::1]:" + host.port(), host.domain() + "/path", "https://" + host.domain() + PATH,
                "https://" + host.domain() + "/?x=1", "user@" + host.domain(), "https://user@" + host.domain(),
                "ftp://" + host.domain(), "localhost:0", "localhost:99999", "localhost:", "example.local",
                "coves.internal", "exa_mple.com", "example.com."}) {
            verdict(domain, did, false, "InvalidDomain").body("domain", nullValue());
        }
        for (String badDid : new String[]{"not-a-did", "did:plc:short", "did:key:zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwc",
                "did:web:example.com:path", "did:plc:" + "a".repeat(24) + "#frag"}) {
            verdict(host.domain(), badDid, false, "InvalidDid").body("domain", equalTo(host.domain()));
        }
        assertThat(host.hits(PATH)).isEqualTo(before);
    }

    @Test
    void aMissingParameterIsAnInvalidRequest() {
        given().queryParam("did", DidDocs.newPlcDid()).get("/xrpc/social.coves.identity.verifyWellKnownDid")
                .then().statusCode(400).body("error", equalTo("InvalidRequest")).body("message", containsString("domain"));
        given().queryParam("domain", "example.com").get("/xrpc/social.coves.identity.verifyWellKnownDid")
                .then().statusCode(400).body("error", equalTo("InvalidRequest")).body("message", containsString("did"));
    }

    @Test
    void outsideLocalModeAPortLocalhostAndTestNamesAreNotDomains() {
        assertThat(DomainInput.parse("HTTPS://Aggregator.Example.COM/", false).domain()).isEqualTo("aggregator.example.com");
        assertThat(DomainInput.parse("aggregator.example.com", false).domain()).isEqualTo("aggregator.example.com");
        for (String input : new String[]{"aggregator.example.com:443", "https://aggregator.example.com:8443/", "localhost",
                "coves.test", "https://aggregator.example.com//"}) {
            assertThat(DomainInput.parse(input, false).ok()).as(input).isFalse();
        }
        assertThat(DomainInput.parse("localhost:08443", true).domain()).isEqualTo("localhost:8443");
    }
}
