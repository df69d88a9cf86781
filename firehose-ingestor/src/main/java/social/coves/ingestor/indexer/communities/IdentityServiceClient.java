package social.coves.ingestor.indexer.communities;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Asks identity-service whether a community's {@code hostedBy} may host it, in two cached look-ups there:
 * {@code com.atproto.identity.resolveIdentity} gives the community DID's bidirectionally verified handle (a handle
 * claimed in the profile record proves nothing), then {@code social.coves.identity.verifyHosting} checks that handle
 * against {@code hostedBy}. Timeouts, refused connections, 5xx and {@code ResolutionFailed} are {@link HostingOutcome.Undecided}.
 */
public class IdentityServiceClient {

    static final String INVALID_HANDLE = "handle.invalid";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final Duration timeout;
    private final HttpClient http;

    public IdentityServiceClient(URI base, Duration connectTimeout, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public HostingOutcome check(String communityDid, String hostedBy) throws InterruptedException {
        try {
            HttpResponse<String> identity = get("/xrpc/com.atproto.identity.resolveIdentity?identifier=" + encode(communityDid));
            if (identity.statusCode() >= 500 || identity.statusCode() == 429) {
                return new HostingOutcome.Undecided("Unreachable", "resolveIdentity answered " + identity.statusCode());
            }
            JsonNode body = JSON.readTree(identity.body());
            if (identity.statusCode() != 200) {
                String error = body.path("error").asText("HTTP " + identity.statusCode());
                return new HostingOutcome.Decided(false, "CommunityNotResolved",
                        "the community DID does not resolve: " + error + " " + body.path("message").asText(""), null);
            }
            String handle = body.path("handle").asText(INVALID_HANDLE);
            if (INVALID_HANDLE.equals(handle)) {
                return new HostingOutcome.Decided(false, "InvalidHandle", "the community DID has no verified handle", null);
            }
            HttpResponse<String> hosting = get("/xrpc/social.coves.identity.verifyHosting?handle=" + encode(handle)
                    + "&hostedBy=" + encode(hostedBy == null ? "" : hostedBy));
            if (hosting.statusCode() != 200) {
                return new HostingOutcome.Undecided("Unreachable", "verifyHosting answered " + hosting.statusCode());
            }
            JsonNode verdict = JSON.readTree(hosting.body());
            String reason = verdict.path("reason").asText("");
            String message = verdict.path("message").asText("");
            if (reason.isEmpty() || "ResolutionFailed".equals(reason)) {
                return new HostingOutcome.Undecided(reason.isEmpty() ? "Unreachable" : reason, message);
            }
            return new HostingOutcome.Decided(verdict.path("verified").asBoolean(false), reason, message, handle);
        } catch (IOException e) {
            return new HostingOutcome.Undecided("Unreachable", "identity-service: " + e.getClass().getSimpleName() + " " + e.getMessage());
        }
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(timeout)
                .header("Accept", "application/json").GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
