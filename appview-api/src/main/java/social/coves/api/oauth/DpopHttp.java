package social.coves.api.oauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.pds.CappedBody;
import social.coves.api.xrpc.XrpcException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP with DPoP proofs (RFC 9449) to authorization servers and users' PDSes: each request carries a proof signed
 * by the session's key; a server that answers {@code use_dpop_nonce} gets the request once more with the nonce it
 * sent. Bounded: no redirects, connect and whole-call timeouts, answers capped. Blocking: call from worker threads.
 */
@ApplicationScoped
public class DpopHttp {

    private static final long MAX_ANSWER_BYTES = 1 << 20;

    /** An answer, and the nonce to use next with that server (the newest one it sent, or the one we had). */
    public record Answer(int status, Map<String, List<String>> headers, byte[] body, String nonce) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** As the OAuth SDK's response, for its parsers (token and PAR responses). */
        public HTTPResponse asSdkResponse() {
            HTTPResponse response = new HTTPResponse(status);
            headers.forEach((name, values) -> {
                if (name != null && !name.startsWith(":")) {
                    response.setHeader(name, values.toArray(String[]::new));
                }
            });
            response.setBody(bodyText());
            return response;
        }
    }

    private final HttpClient http;
    private final OAuthConfig config;
    private final MeterRegistry meters;

    public DpopHttp(OAuthConfig config, MeterRegistry meters) {
        this.config = config;
        this.meters = meters;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.httpTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** A request to an authorization server (PAR, token, revocation), built by the OAuth SDK. */
    public Answer toAuthorizationServer(HTTPRequest request, ECKey dpopKey, String nonce, String what) {
        URI uri = request.getURI();
        String body = request.getBody() == null ? "" : request.getBody();
        Answer answer = send(uri, request.getMethod().name(), "application/x-www-form-urlencoded",
                body.getBytes(StandardCharsets.UTF_8), null, proof(dpopKey, request.getMethod().name(), uri, null, nonce), what);
        if (answer.status() == 400 && answer.bodyText().contains("use_dpop_nonce") && isNew(answer.nonce(), nonce)) {
            String fresh = answer.nonce();
            answer = withNonce(send(uri, request.getMethod().name(), "application/x-www-form-urlencoded",
                    body.getBytes(StandardCharsets.UTF_8), null, proof(dpopKey, request.getMethod().name(), uri, null, fresh), what), fresh);
        }
        return withNonce(answer, nonce);
    }

    /** A request to a resource server (the user's PDS) with a DPoP-bound access token. */
    public Answer toResource(String method, URI uri, String contentType, byte[] body, ECKey dpopKey, String accessToken,
                             String nonce, String what) {
        DPoPAccessToken token = new DPoPAccessToken(accessToken);
        Answer answer = send(uri, method, contentType, body, token, proof(dpopKey, method, uri, token, nonce), what);
        if (answer.status() == 401 && asksForNonce(answer) && isNew(answer.nonce(), nonce)) {
            String fresh = answer.nonce();
            answer = withNonce(send(uri, method, contentType, body, token, proof(dpopKey, method, uri, token, fresh), what), fresh);
        }
        return withNonce(answer, nonce);
    }

    private static boolean isNew(String sent, String had) {
        return sent != null && !sent.equals(had);
    }

    private static Answer withNonce(Answer answer, String fallback) {
        return answer.nonce() != null ? answer : new Answer(answer.status(), answer.headers(), answer.body(), fallback);
    }

    private static boolean asksForNonce(Answer answer) {
        return answer.headers().entrySet().stream()
                .filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase("www-authenticate"))
                .flatMap(e -> e.getValue().stream())
                .anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("use_dpop_nonce"))
                || answer.bodyText().contains("use_dpop_nonce");
    }

    private static String proof(ECKey key, String method, URI uri, DPoPAccessToken token, String nonce) {
        try {
            URI htu = new URI(uri.getScheme(), uri.getAuthority(), uri.getPath(), null, null);
            DefaultDPoPProofFactory factory = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);
            Nonce n = nonce == null ? null : new Nonce(nonce);
            return (token == null ? factory.createDPoPJWT(method, htu, n) : factory.createDPoPJWT(method, htu, token, n)).serialize();
        } catch (JOSEException | java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot make a DPoP proof", e);
        }
    }

    private Answer send(URI uri, String method, String contentType, byte[] body, DPoPAccessToken token, String proof, String what) {
        if (!config.allowPrivateAddresses()) {
            PublicAddresses.require(uri, what);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(config.httpTimeout()).header("DPoP", proof);
        if (token != null) {
            request.header("Authorization", token.toAuthorizationHeader());
        }
        if (body != null) {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        String outcome = "error";
        try {
            HttpResponse<byte[]> response = http.send(request.build(), CappedBody.handler(MAX_ANSWER_BYTES));
            outcome = response.statusCode() < 300 ? "ok" : response.statusCode() < 500 ? "refused" : "upstream_failure";
            String nonce = response.headers().firstValue("DPoP-Nonce").orElse(null);
            return new Answer(response.statusCode(), response.headers().map(), response.body(), nonce);
        } catch (HttpTimeoutException e) {
            outcome = "timeout";
            throw new XrpcException(504, "UpstreamTimeout", what + " did not answer within " + config.httpTimeout().toMillis() + " ms");
        } catch (IOException e) {
            boolean tooLarge = e instanceof CappedBody.TooLarge || e.getCause() instanceof CappedBody.TooLarge;
            outcome = tooLarge ? "too_large" : "unreachable";
            throw new XrpcException(502, "UpstreamFailure", tooLarge ? what + " answered more than " + MAX_ANSWER_BYTES + " bytes"
                    : what + " is unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XrpcException(503, "UpstreamFailure", "interrupted while calling " + what);
        } finally {
            meters.counter("coves_api_oauth_upstream_calls_total", "target", what.startsWith("the PDS") ? "pds" : "authorization_server",
                    "outcome", outcome).increment();
        }
    }
}
