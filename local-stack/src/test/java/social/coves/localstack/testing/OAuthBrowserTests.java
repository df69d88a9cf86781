package social.coves.localstack.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import social.coves.localstack.pds.PdsAccounts;
import social.coves.localstack.pds.PdsStack;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link OAuthBrowser} against the real PDS, with this test playing the OAuth client (no AppView): pushed
 * authorization requests with PKCE S256 and DPoP (ES256, JDK crypto), a real Chromium through the PDS's sign-in and
 * consent pages, and the code exchanged for a DPoP-bound token. Also the plumbing an AppView's confidential client
 * needs: the PDS fetches {@code https://appview.coves-e2e.net:<port>/oauth-client-metadata.json} from a server of
 * this JVM ({@link TestTls#shared()}; the shared stack resolves that name to 127.0.0.1 and trusts the certificate).
 */
class OAuthBrowserTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PASSWORD = "correct-horse-" + unique(6);
    private static final String LOOPBACK_REDIRECT = "http://127.0.0.1/callback";
    private static final String LOOPBACK_CLIENT_ID = "http://localhost?redirect_uri="
            + URLEncoder.encode(LOOPBACK_REDIRECT, StandardCharsets.UTF_8) + "&scope=atproto";
    private static final String APP_DEEP_LINK = "social.coves:/callback";

    private static PdsStack.Endpoints stack;
    private static PdsAccounts.Account account;
    private static JsonNode server;
    private final List<HttpsServer> clientHosts = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        stack = SharedPdsStack.endpoints();
        account = new PdsAccounts(stack.pdsUrl()).create(stack.handle("ob" + unique(8)), unique(8) + "@coves-e2e.net",
                PASSWORD);
        server = getJson(stack.pdsUrl() + "/.well-known/oauth-authorization-server");
    }

    @AfterEach
    void stopClientHosts() {
        clientHosts.forEach(h -> h.stop(0));
    }

    @Test
    void aLoopbackClientGetsACodeThroughTheBrowserAndTheCodeBuysADpopBoundToken() throws Exception {
        Client client = Client.loopback();
        String requestUri = client.pushAuthorizationRequest(LOOPBACK_REDIRECT);

        OAuthBrowser.Result result = OAuthBrowser.signIn(authorizeUrl(client.clientId, requestUri), account.handle(),
                PASSWORD, List.of(LOOPBACK_REDIRECT), List.of());

        assertThat(result.stoppedAt()).startsWith(LOOPBACK_REDIRECT + "?");
        Map<String, String> query = result.stopQuery();
        assertThat(query.get("code")).isNotBlank();
        assertThat(query).containsEntry("state", client.state).containsEntry("iss", server.path("issuer").asText());
        assertThat(result.error()).isNull();
        // the PDS's page is one app whose step is in the hash
        assertThat(result.navigations()).anyMatch(u -> u.endsWith("#step=sign-in")).anyMatch(u -> u.endsWith("#step=consent"));
        assertThat(result.cookies()).isNotEmpty().allMatch(c -> c.domain().equals("localhost"));

        JsonNode token = client.exchange(query.get("code"), LOOPBACK_REDIRECT);
        assertThat(token.path("token_type").asText()).isEqualTo("DPoP");
        assertThat(token.path("sub").asText()).isEqualTo(account.did());
        assertThat(token.path("scope").asText()).contains("atproto");
        assertThat(token.path("access_token").asText()).isNotBlank();
    }

    @Test
    void denyingOnTheConsentScreenSendsAccessDeniedToTheClient() throws Exception {
        Client client = Client.loopback();
        String requestUri = client.pushAuthorizationRequest(LOOPBACK_REDIRECT);

        OAuthBrowser.Result result = OAuthBrowser.deny(authorizeUrl(client.clientId, requestUri), account.handle(),
                PASSWORD, List.of(LOOPBACK_REDIRECT), List.of());

        assertThat(result.stopQuery())
                .containsEntry("error", "access_denied")
                .containsEntry("state", client.state)
                .containsEntry("iss", server.path("issuer").asText())
                .doesNotContainKey("code");
    }

    @Test
    void aWrongPasswordFailsWithWhatTheBrowserSaw() throws Exception {
        Client client = Client.loopback();
        String requestUri = client.pushAuthorizationRequest(LOOPBACK_REDIRECT);

        assertThatThrownBy(() -> OAuthBrowser.signIn(authorizeUrl(client.clientId, requestUri), account.handle(),
                "not-" + PASSWORD, List.of(LOOPBACK_REDIRECT), List.of()))
                .isInstanceOfSatisfying(OAuthBrowser.Failed.class, failed -> {
                    assertThat(failed.result().stopped()).isFalse();
                    assertThat(failed.result().error()).startsWith("sign-in refused");
                    assertThat(failed.result().screenshot()).endsWith(".png");
                    assertThat(failed.stderrTail()).contains("sign in");
                });
    }

    /**
     * The whole path of an AppView's confidential client, with this JVM as the AppView: the PDS fetches the client's
     * metadata document over HTTPS from appview.coves-e2e.net (resolved to 127.0.0.1 in the PDS process, certificate
     * trusted there) and accepts its private_key_jwt assertion; the browser starts at the app's login URL on that
     * host, signs in, authorizes, lands on the app's https callback (with the app's cookie) and stops at the deep
     * link the callback redirects to.
     */
    @Test
    void aConfidentialClientServedOnTheTestHostIsFetchedByThePdsAndSignsInThroughTheBrowser() throws Exception {
        ClientHost host = startClientHost();
        Client client = Client.confidential(host.clientId());
        host.metadata.set(client.metadata(host.callbackUrl()));

        String requestUri = client.pushAuthorizationRequest(host.callbackUrl());

        assertThat(host.requests).anySatisfy(r -> {
            assertThat(r.path()).isEqualTo("/oauth-client-metadata.json");
            assertThat(r.host()).isEqualTo(host.authority());
        });
        host.loginRedirect.set(authorizeUrl(client.clientId, requestUri));

        OAuthBrowser.Result result = OAuthBrowser.signIn(host.origin() + "/login", account.handle(), PASSWORD,
                List.of(APP_DEEP_LINK), List.of(TestTls.HOSTNAME));

        assertThat(result.stoppedAt()).isEqualTo(APP_DEEP_LINK + "?token=t-123");
        Request callback = host.requests.stream().filter(r -> r.path().equals("/oauth/callback")).findFirst().orElseThrow();
        assertThat(callback.query()).containsEntry("state", client.state).containsEntry("iss", server.path("issuer").asText());
        assertThat(callback.query().get("code")).isNotBlank();
        assertThat(callback.cookie()).isEqualTo("app-state=s-456"); // SameSite=Lax: sent on the PDS's top-level redirect
        assertThat(result.responses()).anySatisfy(r -> {
            assertThat(r.url()).isEqualTo(host.origin() + "/login");
            assertThat(r.status()).isEqualTo(302);
            assertThat(r.location()).startsWith(server.path("authorization_endpoint").asText());
        });
        assertThat(result.responses()).anySatisfy(r -> {
            assertThat(r.url()).startsWith(host.callbackUrl() + "?");
            assertThat(r.location()).isEqualTo(APP_DEEP_LINK + "?token=t-123");
        });
        assertThat(result.cookie("app-state")).hasValueSatisfying(c -> {
            assertThat(c.domain()).isEqualTo(TestTls.HOSTNAME);
            assertThat(c.httpOnly()).isTrue();
            assertThat(c.secure()).isTrue();
            assertThat(c.sameSite()).isEqualTo("Lax");
        });

        JsonNode token = client.exchange(callback.query().get("code"), host.callbackUrl());
        assertThat(token.path("sub").asText()).isEqualTo(account.did());
    }

    @Test
    void anHttpsStopUrlReachedThroughARedirectIsAbortedBeforeItIsSent() throws Exception {
        ClientHost host = startClientHost();
        Client client = Client.confidential(host.clientId());
        host.metadata.set(client.metadata(host.callbackUrl()));
        String requestUri = client.pushAuthorizationRequest(host.callbackUrl());

        OAuthBrowser.Result result = OAuthBrowser.signIn(authorizeUrl(client.clientId, requestUri), account.handle(),
                PASSWORD, List.of(host.callbackUrl()), List.of(TestTls.HOSTNAME));

        assertThat(result.stopQuery()).containsEntry("state", client.state).containsKey("code");
        assertThat(host.requests).noneMatch(r -> r.path().equals("/oauth/callback"));
    }

    // ---- the client side ----

    private static String authorizeUrl(String clientId, String requestUri) {
        return server.path("authorization_endpoint").asText() + "?client_id=" + encode(clientId) + "&request_uri="
                + encode(requestUri);
    }

    /** A minimal atproto OAuth client: PAR + PKCE S256 + DPoP, public (loopback) or private_key_jwt. */
    private static final class Client {
        final String clientId;
        final String state = "st-" + unique(12);
        final String verifier = base64url(randomBytes(32));
        final KeyPair dpopKey = ecKey();
        final KeyPair clientKey; // null: a public client
        String nonce;

        private Client(String clientId, KeyPair clientKey) {
            this.clientId = clientId;
            this.clientKey = clientKey;
        }

        static Client loopback() {
            return new Client(LOOPBACK_CLIENT_ID, null);
        }

        static Client confidential(String clientId) {
            return new Client(clientId, ecKey());
        }

        /** The client metadata document of a confidential web client whose callback is {@code redirectUri}. */
        String metadata(String redirectUri) throws IOException {
            Map<String, Object> jwk = new LinkedHashMap<>(publicJwk(clientKey));
            jwk.put("kid", "k1");
            jwk.put("use", "sig");
            jwk.put("alg", "ES256");
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("client_id", clientId);
            metadata.put("client_name", "OAuthBrowserTests");
            metadata.put("application_type", "web");
            metadata.put("grant_types", List.of("authorization_code", "refresh_token"));
            metadata.put("response_types", List.of("code"));
            metadata.put("redirect_uris", List.of(redirectUri));
            metadata.put("scope", "atproto");
            metadata.put("token_endpoint_auth_method", "private_key_jwt");
            metadata.put("token_endpoint_auth_signing_alg", "ES256");
            metadata.put("dpop_bound_access_tokens", true);
            metadata.put("jwks", Map.of("keys", List.of(jwk)));
            return JSON.writeValueAsString(metadata);
        }

        String pushAuthorizationRequest(String redirectUri) throws Exception {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("client_id", clientId);
            form.put("response_type", "code");
            form.put("redirect_uri", redirectUri);
            form.put("scope", "atproto");
            form.put("state", state);
            form.put("code_challenge", base64url(MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII))));
            form.put("code_challenge_method", "S256");
            HttpResponse<String> response = post(server.path("pushed_authorization_request_endpoint").asText(), form);
            assertThat(response.statusCode()).as("PAR answered %s", response.body()).isEqualTo(201);
            return JSON.readTree(response.body()).path("request_uri").asText();
        }

        JsonNode exchange(String code, String redirectUri) throws Exception {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("grant_type", "authorization_code");
            form.put("client_id", clientId);
            form.put("code", code);
            form.put("redirect_uri", redirectUri);
            form.put("code_verifier", verifier);
            HttpResponse<String> response = post(server.path("token_endpoint").asText(), form);
            assertThat(response.statusCode()).as("token endpoint answered %s", response.body()).isEqualTo(200);
            return JSON.readTree(response.body());
        }

        /** A form POST with a DPoP proof (and a client assertion), retried once with the server's DPoP nonce. */
        private HttpResponse<String> post(String url, Map<String, String> form) throws Exception {
            HttpResponse<String> response = null;
            for (int attempt = 0; attempt < 2; attempt++) {
                Map<String, String> body = new LinkedHashMap<>(form);
                if (clientKey != null) {
                    body.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
                    body.put("client_assertion", clientAssertion());
                }
                response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("DPoP", dpopProof("POST", url))
                        .POST(HttpRequest.BodyPublishers.ofString(formBody(body))).build(),
                        HttpResponse.BodyHandlers.ofString());
                response.headers().firstValue("DPoP-Nonce").ifPresent(n -> nonce = n);
                if (!(response.statusCode() == 400 && response.body().contains("use_dpop_nonce"))) {
                    break;
                }
            }
            return response;
        }

        private String dpopProof(String method, String url) throws GeneralSecurityException, IOException {
            Map<String, Object> header = Map.of("typ", "dpop+jwt", "alg", "ES256", "jwk", publicJwk(dpopKey));
            Map<String, Object> claims = new LinkedHashMap<>();
            claims.put("jti", UUID.randomUUID().toString());
            claims.put("htm", method);
            claims.put("htu", url);
            claims.put("iat", now());
            if (nonce != null) {
                claims.put("nonce", nonce);
            }
            return jwt(header, claims, dpopKey);
        }

        private String clientAssertion() throws GeneralSecurityException, IOException {
            Map<String, Object> claims = new LinkedHashMap<>();
            claims.put("iss", clientId);
            claims.put("sub", clientId);
            claims.put("aud", server.path("issuer").asText());
            claims.put("jti", UUID.randomUUID().toString());
            claims.put("iat", now());
            claims.put("exp", now() + 60);
            return jwt(Map.of("typ", "JWT", "alg", "ES256", "kid", "k1"), claims, clientKey);
        }
    }

    private static String jwt(Map<String, Object> header, Map<String, Object> claims, KeyPair key)
            throws GeneralSecurityException, IOException {
        String signingInput = base64url(JSON.writeValueAsBytes(header)) + "." + base64url(JSON.writeValueAsBytes(claims));
        Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
        es256.initSign(key.getPrivate());
        es256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + base64url(es256.sign());
    }

    private static Map<String, Object> publicJwk(KeyPair key) {
        ECPublicKey pub = (ECPublicKey) key.getPublic();
        return Map.of("kty", "EC", "crv", "P-256",
                "x", base64url(unsigned32(pub.getW().getAffineX())),
                "y", base64url(unsigned32(pub.getW().getAffineY())));
    }

    private static byte[] unsigned32(BigInteger n) {
        byte[] raw = n.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
        return out;
    }

    private static KeyPair ecKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the app host: https://appview.coves-e2e.net:<port> served by this JVM with TestTls.shared() ----

    private record Request(String method, String path, Map<String, String> query, String host, String cookie) {
    }

    private record ClientHost(HttpsServer server, List<Request> requests, AtomicReference<String> metadata,
                              AtomicReference<String> loginRedirect) {
        String authority() {
            return TestTls.HOSTNAME + ":" + server.getAddress().getPort();
        }

        String origin() {
            return "https://" + authority();
        }

        String clientId() {
            return origin() + "/oauth-client-metadata.json";
        }

        String callbackUrl() {
            return origin() + "/oauth/callback";
        }
    }

    private ClientHost startClientHost() throws IOException {
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        https.setHttpsConfigurator(new HttpsConfigurator(TestTls.shared().serverContext()));
        https.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        ClientHost host = new ClientHost(https, new CopyOnWriteArrayList<>(), new AtomicReference<>(),
                new AtomicReference<>());
        https.createContext("/", exchange -> {
            try (exchange) {
                URI uri = exchange.getRequestURI();
                host.requests.add(new Request(exchange.getRequestMethod(), uri.getRawPath(), parseQuery(uri.getRawQuery()),
                        exchange.getRequestHeaders().getFirst("Host"), exchange.getRequestHeaders().getFirst("Cookie")));
                switch (uri.getRawPath()) {
                    case "/oauth-client-metadata.json" -> respond(exchange, 200, "application/json", host.metadata.get());
                    case "/login" -> {
                        exchange.getResponseHeaders().add("Set-Cookie", "app-state=s-456; Path=/; Secure; HttpOnly; SameSite=Lax");
                        exchange.getResponseHeaders().add("Location", host.loginRedirect.get());
                        exchange.sendResponseHeaders(302, -1);
                    }
                    case "/oauth/callback" -> {
                        exchange.getResponseHeaders().add("Location", APP_DEEP_LINK + "?token=t-123");
                        exchange.sendResponseHeaders(302, -1);
                    }
                    default -> respond(exchange, 404, "text/plain", "not found");
                }
            }
        });
        https.start();
        clientHosts.add(https);
        return host;
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    // ---- small helpers ----

    private static JsonNode getJson(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", url, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.putIfAbsent(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    private static String formBody(Map<String, String> form) {
        return form.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String base64url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static String unique(int length) {
        return UUID.randomUUID().toString().replace("-", "").substring(0, length);
    }
}
