package social.coves.identity.xrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import social.coves.identity.support.DidDocs;
import social.coves.identity.support.FakeNetwork;
import social.coves.identity.support.FakeNetwork.Route;
import social.coves.identity.support.FakeNetworkResource;
import social.coves.lexicon.crypto.LowS;
import social.coves.lexicon.crypto.Multikey;
import social.coves.localstack.testing.KafkaResource;
import social.coves.localstack.testing.PostgresResource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(FakeNetworkResource.class)
class IdentityXrpcTest {

    private final FakeNetwork net = FakeNetwork.get();

    @jakarta.inject.Inject
    social.coves.identity.resolution.IdentityService identities;

    private String plcIdentity(String handle) {
        String did = DidDocs.newPlcDid();
        net.route("localhost", "/" + did, Route.json(DidDocs.document(did, handle)));
        net.txt("_atproto." + handle, "did=" + did);
        return did;
    }

    @Test
    void resolvesAValidPlcIdentityBothWays() {
        String handle = DidDocs.unique("alice") + ".test";
        String did = plcIdentity(handle);

        given().queryParam("handle", handle.toUpperCase()).get("/xrpc/com.atproto.identity.resolveHandle")
                .then().statusCode(200).body("did", equalTo(did));
        given().queryParam("identifier", handle).get("/xrpc/com.atproto.identity.resolveIdentity")
                .then().statusCode(200).body("did", equalTo(did)).body("handle", equalTo(handle))
                .body("didDoc.id", equalTo(did))
                .body("signingKey.type", equalTo("Multikey"))
                .body("signingKey.jwtAlg", equalTo("ES256K"))
                .body("signingKey.publicKeyMultibase", equalTo("zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwc"))
                .body("pds", equalTo("https://pds.example.com"));
        given().queryParam("identifier", did).get("/xrpc/com.atproto.identity.resolveIdentity")
                .then().statusCode(200).body("handle", equalTo(handle));
        given().queryParam("did", did).get("/xrpc/com.atproto.identity.resolveDid")
                .then().statusCode(200).body("didDoc.alsoKnownAs[0]", equalTo("at://" + handle));
    }

    @Test
    void aCachedAnswerIsServedWithoutLoadingAndEqualsTheLoadedOne() {
        String handle = DidDocs.unique("cached") + ".test";
        String did = plcIdentity(handle);
        assertThat(identities.resolveIdentityIfCached(handle)).as("cold cache: nothing without loading").isEmpty();
        assertThat(identities.resolveDidIfCached(did)).isEmpty();
        assertThat(net.hits("localhost", "/" + did)).as("asking the cache alone never fetches").isZero();

        // the first answers load (worker thread); the second ones come from the cache (event loop): same bytes
        String[][] queries = {{"resolveIdentity", "identifier", handle}, {"resolveIdentity", "identifier", did},
                {"resolveDid", "did", did}, {"resolveHandle", "handle", handle}};
        for (String[] q : queries) {
            String loaded = given().queryParam(q[1], q[2]).get("/xrpc/com.atproto.identity." + q[0]).then().statusCode(200)
                    .contentType(ContentType.JSON).extract().asString();
            String cached = given().queryParam(q[1], q[2]).get("/xrpc/com.atproto.identity." + q[0]).then().statusCode(200)
                    .contentType(ContentType.JSON).extract().asString();
            assertThat(cached).as(q[0]).isEqualTo(loaded);
        }
        assertThat(identities.resolveIdentityIfCached(handle)).hasValueSatisfying(i -> assertThat(i.did()).isEqualTo(did));
        assertThat(identities.resolveIdentityIfCached(did)).hasValueSatisfying(i -> assertThat(i.handle()).isEqualTo(handle));
        assertThat(net.hits("localhost", "/" + did)).as("one fetch of the document").isEqualTo(1);

        // a cached negative answer is an error from the cache path too
        String unknown = DidDocs.newPlcDid();
        net.route("localhost", "/" + unknown, Route.status(404, "{\"message\":\"DID not registered\"}"));
        for (int i = 0; i < 2; i++) {
            given().queryParam("did", unknown).get("/xrpc/com.atproto.identity.resolveDid")
                    .then().statusCode(400).body("error", equalTo("DidNotFound"));
        }
    }

    @Test
    void resolvesAValidWebIdentityThroughTheWellKnownFallback() {
        String host = DidDocs.unique("web") + ".test";
        String did = "did:web:" + host;
        net.route(host, "/.well-known/did.json", Route.json(DidDocs.document(did, host)));
        net.route(host, "/.well-known/atproto-did", Route.text(did + "\n"));   // no TXT record: HTTPS method

        given().queryParam("identifier", host).get("/xrpc/com.atproto.identity.resolveIdentity")
                .then().statusCode(200).body("did", equalTo(did)).body("handle", equalTo(host));
    }

    @Test
    void mismatchedAlsoKnownAsFailsByHandleAndGivesHandleInvalidByDid() {
        String handle = DidDocs.unique("mallory") + ".test";
        String did = DidDocs.newPlcDid();
        net.route("localhost", "/" + did, Route.json(DidDocs.document(did, "someone-else.test")));
        net.txt("_atproto." + handle, "did=" + did);

        given().queryParam("identifier", handle).get("/xrpc/com.atproto.identity.resolveIdentity")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("HandleNotFound")).body("message", containsString("alsoKnownAs"));
        given().queryParam("identifier", did).get("/xrpc/com.atproto.identity.resolveIdentity")
                .then().statusCode(200).body("did", equalTo(did)).body("handle", equalTo("handle.invalid"));
    }

    @Test
    void twoDidTxtRecordsFail() {
        String handle = DidDocs.unique("twins") + ".test";
        net.txt("_atproto." + handle, "did=" + DidDocs.newPlcDid(), "did=" + DidDocs.newPlcDid());
        net.route(handle, "/.well-known/atproto-did", Route.text(DidDocs.newPlcDid()));

        given().queryParam("handle", handle).get("/xrpc/com.atproto.identity.resolveHandle")
                .then().statusCode(400).body("error", equalTo("HandleNotFound"))
                .body("message", containsString("more than one did="));
        assertThat(net.hits(handle, "/.well-known/atproto-did")).isZero();
    }

    @Test
    void dnsWinsOverAConflictingWellKnown() {
        String handle = DidDocs.unique("both") + ".test";
        String dnsDid = plcIdentity(handle);
        net.route(handle, "/.well-known/atproto-did", Route.text(DidDocs.newPlcDid()));

        given().queryParam("handle", handle).get("/xrpc/com.atproto.identity.resolveHandle")
                .then().statusCode(200).body("did", equalTo(dnsDid));
    }

    @Test
    void deactivatedAndMissingDids() {
        String tombstoned404 = DidDocs.newPlcDid();
        String gone410 = DidDocs.newPlcDid();
        String missing = DidDocs.newPlcDid();
        net.route("localhost", "/" + tombstoned404, Route.status(404, "{\"message\":\"DID not available: " + tombstoned404 + "\"}"));
        net.route("localhost", "/" + gone410, Route.status(410, "{\"message\":\"DID not available\"}"));
        net.route("localhost", "/" + missing, Route.status(404, "{\"message\":\"DID not registered: " + missing + "\"}"));
        String webGone = DidDocs.unique("gone") + ".test";
        net.route(webGone, "/.well-known/did.json", Route.status(410, "gone"));

        given().queryParam("did", tombstoned404).get("/xrpc/com.atproto.identity.resolveDid")
                .then().statusCode(400).body("error", equalTo("DidDeactivated"));
        given().queryParam("did", gone410).get("/xrpc/com.atproto.identity.resolveDid")
                .then().statusCode(400).body("error", equalTo("DidDeactivated"));
        given().queryParam("did", "did:web:" + webGone).get("/xrpc/com.atproto.identity.resolveDid")
                .then().statusCode(400).body("error", equalTo("DidDeactivated"));
        given().queryParam("identifier", missing).get("/xrpc/com.atproto.identity.resolveIdentity")
                .then().statusCode(400).body("error", equalTo("DidNotFound"));
    }

    @Test
    void oversizeSlowAndRedirectingHostsAreUpstreamFailures() {
        String big = DidDocs.newPlcDid();
        net.route("localhost", "/" + big, Route.json(DidDocs.document(big, null).replace("\"@context\"",
                "\"padding\":\"" + "x".repeat(20_000) + "\",\"@context\"")));
        String slowHost = DidDocs.unique("slow") + ".test";
        net.route(slowHost, "/.well-known/did.json", Route.json(DidDocs.document("did:web:" + slowHost, null)).delayed(3_000));
        String movedHost = DidDocs.unique("moved") + ".test";
        net.route(movedHost, "/.well-known/did.json", Route.redirect("http://169.254.169.254/latest/meta-data/"));

        given().queryParam("did", big).get("/xrpc/com.atproto.identity.resolveDid")
                .then().statusCode(502).body("error", equalTo("UpstreamFailure")).body("message", containsString("exceeds"));
        given().queryParam("did", "did:web:" + slowHost).get("/xrpc/com.atproto.identity.resolveDid")
                .then().statusCode(502).body("error", equalTo("UpstreamFailure")).body("message", containsString("timed out"));
        given().queryParam("did", "did:web:" + movedHost).get("/xrpc/com.atproto.identity.resolveDid")
                .then().statusCode(502).body("error", equalTo("UpstreamFailure")).body("message", containsString("redirect"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("coves_identity_refusals_total{reason=\"redirect\"}"))
                .body(containsString("coves_identity_refusals_total{reason=\"too_large\"}"));
    }

    @Test
    void privateAddressTargetsAreRefused() {
        String evil = DidDocs.unique("evil") + ".test";
        net.address(evil, "10.0.0.5");
        String metadata = DidDocs.unique("meta") + ".test";
        net.address(metadata, "169.254.169.254");

        given().queryParam("did", "did:web:" + evil).get("/xrpc/com.atproto.identity.resolveDid")
                .then().statusCode(502).body("message", containsString("private_address"));
        given().queryParam("did", "did:web:" + metadata).get("/xrpc/com.atproto.identity.resolveDid")
                .then().statusCode(502).body("message", containsString("metadata_address"));
        given().queryParam("handle", evil).get("/xrpc/com.atproto.identity.resolveHandle")
                .then().statusCode(502).body("error", equalTo("UpstreamFailure"));
        assertThat(net.hits(evil, "/.well-known/did.json")).isZero();
        given().get("/q/metrics").then()
                .body(containsString("coves_identity_refusals_total{reason=\"private_address\"}"))
                .body(containsString("coves_identity_refusals_total{reason=\"metadata_address\"}"));
    }

    @Test
    void badInputIsInvalidRequestAndUnknownMethodsAre501() {
        given().queryParam("handle", "not a handle").get("/xrpc/com.atproto.identity.resolveHandle")
                .then().statusCode(400).body("error", equalTo("InvalidRequest"));
        given().get("/xrpc/com.atproto.identity.resolveDid").then().statusCode(400).body("error", equalTo("InvalidRequest"));
        given().queryParam("did", "did:key:zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwc")
                .get("/xrpc/com.atproto.identity.resolveDid").then().statusCode(400).body("error", equalTo("InvalidRequest"));
        given().queryParam("did", "did:web:example.com:u:alice").get("/xrpc/com.atproto.identity.resolveDid")
                .then().statusCode(400).body("error", equalTo("InvalidRequest")).body("message", containsString("path"));
        // valid in a record (generic DID syntax), but not a did:plc the PLC directory could hold
        given().queryParam("did", "did:plc:test123").get("/xrpc/com.atproto.identity.resolveDid")
                .then().statusCode(400).body("error", equalTo("InvalidRequest")).body("message", containsString("24 characters"));
        given().queryParam("identifier", "did:plc:test123").get("/xrpc/com.atproto.identity.resolveIdentity")
                .then().statusCode(400).body("error", equalTo("InvalidRequest"));
        given().queryParam("handle", "bob.onion").get("/xrpc/com.atproto.identity.resolveHandle")
                .then().statusCode(400).body("error", equalTo("HandleNotFound"));
        given().get("/xrpc/com.atproto.identity.nope").then().statusCode(501).body("error", equalTo("MethodNotImplemented"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void keysFromDidDocumentsVerifyTheInteropSignatureFixtures() throws Exception {
        Path fixtures = Path.of(System.getProperty("coves.fixtures.dir", "../../shared/fixtures"),
                "atproto-interop", "crypto", "signature-fixtures.json");
        JsonNode cases = new ObjectMapper().readTree(Files.readString(fixtures));
        assertThat(cases.size()).isEqualTo(6);
        for (JsonNode fixture : cases) {
            // the same key as a current Multikey entry (PLC) and as a legacy suite entry (did:web)
            String plcDid = DidDocs.newPlcDid();
            String multikey = fixture.get("publicKeyDid").asText().substring("did:key:".length());
            net.route("localhost", "/" + plcDid, Route.json(DidDocs.document(plcDid, null, "Multikey", multikey)));
            String webHost = DidDocs.unique("legacy") + ".test";
            net.route(webHost, "/.well-known/did.json", Route.json(DidDocs.document("did:web:" + webHost, null,
                    fixture.get("didDocSuite").asText(), fixture.get("publicKeyMultibase").asText())));

            for (String did : new String[]{plcDid, "did:web:" + webHost}) {
                JsonNode key = new ObjectMapper().readTree(given().queryParam("did", did)
                        .get("/xrpc/com.atproto.identity.resolveDid").then().statusCode(200).extract().asString()).get("signingKey");
                assertThat(key.get("jwtAlg").asText()).isEqualTo(fixture.get("algorithm").asText());
                Multikey decoded = Multikey.fromDidDocument(key.get("type").asText(), key.get("publicKeyMultibase").asText());
                byte[] message = Base64.getDecoder().decode(fixture.get("messageBase64").asText());
                byte[] signature = Base64.getDecoder().decode(fixture.get("signatureBase64").asText());
                assertThat(decoded.verify(message, signature, LowS.REQUIRED))
                        .as(fixture.get("comment").asText() + " via " + did)
                        .isEqualTo(fixture.get("validSignature").asBoolean());
                assertThat(key.get("didKey").asText()).isEqualTo(fixture.get("publicKeyDid").asText());
            }
        }
    }
}
