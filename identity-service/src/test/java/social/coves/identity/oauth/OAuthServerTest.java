package social.coves.identity.oauth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import social.coves.identity.cache.IdentityClock;
import social.coves.identity.support.DidDocs;
import social.coves.identity.support.FakeNetwork;
import social.coves.identity.support.FakeNetwork.Route;
import social.coves.identity.support.FakeNetworkResource;
import social.coves.localstack.testing.KafkaResource;
import social.coves.localstack.testing.PostgresResource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

/**
 * {@code resolveOAuthServer} against {@link FakeNetwork}: PLC, handle hosts, PDS hosts and authorization servers are
 * all {@code *.test} names on the fake HTTP server (local mode: plain HTTP, explicit ports, loopback). Every test
 * uses its own host names, so the per-URL cache never carries one test's documents into another.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(FakeNetworkResource.class)
class OAuthServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RESOURCE_PATH = "/.well-known/oauth-protected-resource";
    private static final String SERVER_PATH = "/.well-known/oauth-authorization-server";

    private final FakeNetwork net = FakeNetwork.get();

    @Inject
    IdentityClock clock;

    /** A host name on the fake network and its origin (with the fake server's port). */
    private record Host(String name, String origin) {
    }

    private Host host(String prefix) {
        String name = DidDocs.unique(prefix) + ".test";
        return new Host(name, "http://" + name + ":" + net.httpPort());
    }

    /** A did:plc whose document claims {@code handle} and names {@code pds} (none when null); TXT points back. */
    private String identity(String handle, String pds) {
        String did = DidDocs.newPlcDid();
        String document = DidDocs.document(did, handle);
        document = pds == null
                ? document.replaceFirst("\"service\":\\[.*]", "\"service\":[]")
                : document.replace("https://pds.example.com", pds);
        net.route("localhost", "/" + did, Route.json(document));
        net.txt("_atproto." + handle, "did=" + did);
        return did;
    }

    private void protectedResource(Host pds, String... authorizationServers) {
        ObjectNode doc = JSON.createObjectNode().put("resource", pds.origin());
        ArrayNode servers = doc.putArray("authorization_servers");
        for (String server : authorizationServers) {
            servers.add(server);
        }
        doc.putArray("scopes_supported");
        doc.putArray("bearer_methods_supported").add("header");
        net.route(pds.name(), RESOURCE_PATH, Route.json(doc.toString()));
    }

    /** Metadata as the reference PDS serves it, meeting every rule. */
    private static ObjectNode validServer(String issuer) {
        ObjectNode doc = JSON.createObjectNode().put("issuer", issuer);
        doc.putArray("scopes_supported").add("atproto").add("transition:generic");
        doc.putArray("response_types_supported").add("code");
        doc.putArray("grant_types_supported").add("authorization_code").add("refresh_token");
        doc.putArray("code_challenge_methods_supported").add("S256");
        doc.put("authorization_response_iss_parameter_supported", true);
        doc.put("authorization_endpoint", issuer + "/oauth/authorize");
        doc.put("token_endpoint", issuer + "/oauth/token");
        doc.putArray("token_endpoint_auth_methods_supported").add("none").add("private_key_jwt");
        doc.putArray("token_endpoint_auth_signing_alg_values_supported").add("ES256").add("ES256K");
        doc.put("revocation_endpoint", issuer + "/oauth/revoke");
        doc.put("pushed_authorization_request_endpoint", issuer + "/oauth/par");
        doc.put("require_pushed_authorization_requests", true);
        doc.putArray("dpop_signing_alg_values_supported").add("RS256").add("ES256").add("ES256K");
        doc.put("client_id_metadata_document_supported", true);
        return doc;
    }

    private void server(Host as, ObjectNode metadata) {
        net.route(as.name(), SERVER_PATH, Route.json(metadata.toString()));
    }

    /** A handle → DID → PDS → authorization server chain; returns the handle. */
    private String chain(Host pds, Host as, ObjectNode metadata) {
        String handle = DidDocs.unique("user") + ".test";
        identity(handle, pds.origin());
        protectedResource(pds, as.origin());
        server(as, metadata);
        return handle;
    }

    private static ValidatableResponse resolve(String identifier) {
        return given().queryParam("identifier", identifier).get("/xrpc/social.coves.identity.resolveOAuthServer").then();
    }

    private static void upstreamFailure(String identifier, String... messageParts) {
        ValidatableResponse response = resolve(identifier).statusCode(502).body("error", equalTo("UpstreamFailure"));
        for (String part : messageParts) {
            response.body("message", containsString(part));
        }
    }

    @Test
    void aValidChainAnswersEveryFieldByHandleAndByDidAndIsCachedPerUrl() {
        Host pds = host("pds");
        Host as = host("entryway");
        String handle = DidDocs.unique("alice") + ".test";
        String did = identity(handle, pds.origin() + "/");
        protectedResource(pds, as.origin(), "https://second.example.com");
        server(as, validServer(as.origin()));

        for (String identifier : new String[]{handle, handle.toUpperCase(), did}) {
            resolve(identifier).statusCode(200)
                    .body("did", equalTo(did))
                    .body("handle", equalTo(handle))
                    .body("pds", equalTo(pds.origin()))
                    .body("authorizationServer.issuer", equalTo(as.origin()))
                    .body("authorizationServer.authorizationEndpoint", equalTo(as.origin() + "/oauth/authorize"))
                    .body("authorizationServer.pushedAuthorizationRequestEndpoint", equalTo(as.origin() + "/oauth/par"))
                    .body("authorizationServer.tokenEndpoint", equalTo(as.origin() + "/oauth/token"))
                    .body("authorizationServer.revocationEndpoint", equalTo(as.origin() + "/oauth/revoke"))
                    .body("authorizationServer.dpopSigningAlgValues", hasItems("ES256", "ES256K", "RS256"))
                    .body("authorizationServer.scopesSupported", hasItems("atproto", "transition:generic"));
        }
        assertThat(net.hits(pds.name(), RESOURCE_PATH)).as("protected-resource fetched once").isEqualTo(1);
        assertThat(net.hits(as.name(), SERVER_PATH)).as("authorization-server metadata fetched once").isEqualTo(1);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("coves_identity_oauth_server_lookups_total{outcome=\"found\"}"))
                .body(containsString("coves_identity_oauth_documents_total{document=\"authorization_server\",outcome=\"valid\"}"))
                .body(containsString("coves_identity_fetch_seconds_count{source=\"oauth_server\"}"));
    }

    @Test
    void byDidAnUnverifiedHandleIsHandleInvalidAndTheRevocationEndpointMayBeAbsent() {
        Host pds = host("pds");
        String did = DidDocs.newPlcDid();
        net.route("localhost", "/" + did, Route.json(DidDocs.document(did, "someone-else.test")
                .replace("https://pds.example.com", pds.origin())));
        protectedResource(pds, pds.origin());
        ObjectNode metadata = validServer(pds.origin());
        metadata.remove("revocation_endpoint");
        server(pds, metadata);

        resolve(did).statusCode(200).body("handle", equalTo("handle.invalid")).body("pds", equalTo(pds.origin()))
                .body("authorizationServer.issuer", equalTo(pds.origin()))
                .body("authorizationServer", not(hasKey("revocationEndpoint")));
    }

    @Test
    void aProtectedResourceWithoutAuthorizationServersFails() {
        Host pds = host("pds");
        String handle = DidDocs.unique("lonely") + ".test";
        identity(handle, pds.origin());
        protectedResource(pds);
        upstreamFailure(handle, "protected-resource metadata " + pds.origin() + RESOURCE_PATH, "authorization_servers is missing or empty");

        Host other = host("pds");
        String second = DidDocs.unique("lonely") + ".test";
        identity(second, other.origin());
        net.route(other.name(), RESOURCE_PATH, Route.json("{\"resource\":\"" + other.origin() + "\",\"authorization_servers\":[42]}"));
        upstreamFailure(second, "authorization_servers holds something other than strings");
    }

    @Test
    void anIssuerOtherThanTheAuthorizationServerUrlFails() {
        Host pds = host("pds");
        Host as = host("as");
        String handle = chain(pds, as, validServer("https://bsky.social"));
        upstreamFailure(handle, "authorization-server metadata " + as.origin() + SERVER_PATH,
                "issuer https://bsky.social is not the authorization server URL " + as.origin());

        Host slash = host("as");
        String trailing = chain(host("pds"), slash, validServer(slash.origin() + "/"));
        upstreamFailure(trailing, "is not the authorization server URL");
    }

    @Test
    void pushedAuthorizationRequestsMustBeRequired() {
        Host as = host("as");
        ObjectNode metadata = validServer(as.origin()).put("require_pushed_authorization_requests", false);
        upstreamFailure(chain(host("pds"), as, metadata), "require_pushed_authorization_requests must be true");

        Host noPar = host("as");
        ObjectNode withoutEndpoint = validServer(noPar.origin());
        withoutEndpoint.remove("pushed_authorization_request_endpoint");
        upstreamFailure(chain(host("pds"), noPar, withoutEndpoint), "pushed_authorization_request_endpoint is missing");
    }

    @Test
    void everyProfileRuleIsChecked() {
        Map<String, String> brokenBy = Map.of(
                "authorization_response_iss_parameter_supported", "authorization_response_iss_parameter_supported must be true",
                "client_id_metadata_document_supported", "client_id_metadata_document_supported must be true",
                "code_challenge_methods_supported", "code_challenge_methods_supported does not contain S256",
                "token_endpoint_auth_methods_supported", "token_endpoint_auth_methods_supported does not contain private_key_jwt",
                "scopes_supported", "scopes_supported does not contain atproto",
                "token_endpoint", "token_endpoint is missing",
                "authorization_endpoint", "authorization_endpoint is missing");
        brokenBy.forEach((field, message) -> {
            Host as = host("as");
            ObjectNode metadata = validServer(as.origin());
            metadata.remove(field);
            upstreamFailure(chain(host("pds"), as, metadata), message);
        });
    }

    @Test
    void dpopWithoutEs256Fails() {
        Host as = host("as");
        ObjectNode metadata = validServer(as.origin());
        metadata.putArray("dpop_signing_alg_values_supported").add("ES256K");
        upstreamFailure(chain(host("pds"), as, metadata), "dpop_signing_alg_values_supported does not contain ES256");
    }

    @Test
    void endpointsMustMeetTheFetchRules() {
        Map<String, String> endpoints = Map.of(
                "http://10.0.0.5/oauth/token", "refused address (private_address)",
                "http://169.254.169.254/latest", "refused address (metadata_address)",
                "http://user@tokens.test/oauth/token", "user info is not allowed",
                "ftp://tokens.test/oauth/token", "only http and https are allowed",
                "/oauth/token", "not an absolute URL",
                "http://tokens.test/oauth/token#frag", "a fragment is not allowed",
                "http://tokens.internal/oauth/token", "a reserved name is never used");
        endpoints.forEach((endpoint, message) -> {
            Host as = host("as");
            upstreamFailure(chain(host("pds"), as, validServer(as.origin()).put("token_endpoint", endpoint)),
                    "token_endpoint is not acceptable", message);
        });
        Host pathIssuer = host("pds");
        String handle = DidDocs.unique("user") + ".test";
        identity(handle, pathIssuer.origin());
        protectedResource(pathIssuer, "http://as.test/tenant");
        upstreamFailure(handle, "authorization server is not acceptable", "not an origin");
    }

    @Test
    void aRedirectAndAnOversizeDocumentAreRefused() {
        Host moved = host("pds");
        String handle = DidDocs.unique("moved") + ".test";
        identity(handle, moved.origin());
        net.route(moved.name(), RESOURCE_PATH, Route.redirect("http://169.254.169.254/latest/meta-data/"));
        upstreamFailure(handle, "protected-resource metadata", "fetch refused (redirect)", "redirects are not followed");

        Host big = host("as");
        ObjectNode metadata = validServer(big.origin()).put("padding", "x".repeat(40_000));
        upstreamFailure(chain(host("pds"), big, metadata), "authorization-server metadata", "fetch refused (too_large)", "exceeds");

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("coves_identity_oauth_documents_total{document=\"protected_resource\",outcome=\"refused\"}"))
                .body(containsString("coves_identity_oauth_server_lookups_total{outcome=\"upstream_failure\"}"));
    }

    @Test
    void aPrivateAddressAuthorizationServerIsRefused() {
        Host as = host("private");
        net.address(as.name(), "10.0.0.5");
        String handle = chain(host("pds"), as, validServer(as.origin()));
        upstreamFailure(handle, "authorization-server metadata", "fetch refused (private_address)");
        assertThat(net.hits(as.name(), SERVER_PATH)).isZero();
        given().get("/q/metrics").then()
                .body(containsString("coves_identity_refusals_total{reason=\"private_address\"}"));
    }

    @Test
    void aDidWithoutPdsIsNoPds() {
        String handle = DidDocs.unique("nopds") + ".test";
        String did = identity(handle, null);
        for (String identifier : new String[]{handle, did}) {
            resolve(identifier).statusCode(400).body("error", equalTo("NoPds")).body("message", containsString(did));
        }
    }

    @Test
    void badIdentifiersAndIdentityErrorsKeepTheirNames() {
        resolve("not a handle").statusCode(400).body("error", equalTo("InvalidRequest"));
        given().get("/xrpc/social.coves.identity.resolveOAuthServer").then().statusCode(400)
                .body("error", equalTo("InvalidRequest")).body("message", equalTo("identifier is required"));
        resolve("did:plc:test123").statusCode(400).body("error", equalTo("InvalidRequest"));
        resolve(DidDocs.unique("nobody") + ".test").statusCode(400).body("error", equalTo("HandleNotFound"));
        String gone = DidDocs.newPlcDid();
        net.route("localhost", "/" + gone, Route.status(410, "{\"message\":\"DID not available\"}"));
        resolve(gone).statusCode(400).body("error", equalTo("DidDeactivated"));
    }

    @Test
    void aFailureIsRememberedForTheFailureTtlOnly() {
        Host as = host("as");
        String handle = chain(host("pds"), as, validServer(as.origin()));
        net.route(as.name(), SERVER_PATH, new Route(200, "text/html", "<html>down</html>".getBytes(StandardCharsets.UTF_8), 0, Map.of()));
        upstreamFailure(handle, "authorization-server metadata", "not JSON");

        server(as, validServer(as.origin()));
        upstreamFailure(handle, "not JSON");
        assertThat(net.hits(as.name(), SERVER_PATH)).as("the failure is served from the cache").isEqualTo(1);

        clock.advance(Duration.ofSeconds(61));
        resolve(handle).statusCode(200).body("authorizationServer.issuer", equalTo(as.origin()));
        assertThat(net.hits(as.name(), SERVER_PATH)).isEqualTo(2);
        given().get("/q/metrics").then()
                .body(containsString("coves_identity_oauth_documents_total{document=\"authorization_server\",outcome=\"invalid\"}"));
    }
}
