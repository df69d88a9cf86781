package social.coves.ingestor.indexer.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import social.coves.ingestor.indexer.communities.HostingOutcome;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The indexer's questions to identity-service (both cached there): a DID's bidirectionally verified handle
 * ({@code com.atproto.identity.resolveIdentity}; a handle claimed in an event or a record proves nothing), and whether
 * a community's {@code hostedBy} may host that handle ({@code social.coves.identity.verifyHosting}). Timeouts, refused
 * connections, 429, 5xx and {@code ResolutionFailed} are no answer: the caller tries again later.
 */
public class IdentityServiceClient {

    public static final String INVALID_HANDLE = "handle.invalid";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What identity-service said about a DID's handle. */
    public sealed interface HandleAnswer {
        /** The verified handle, or {@link #INVALID_HANDLE} when the DID's claim does not verify. */
        record Handle(String handle) implements HandleAnswer {
        }

        /** The DID itself does not resolve (not found, deactivated, invalid document). */
        record NotResolved(String error, String message) implements HandleAnswer {
        }

        /** No answer now. */
        record NoAnswer(String message) implements HandleAnswer {
        }
    }

    private final URI base;
    private final Duration timeout;
    private final HttpClient http;

    public IdentityServiceClient(URI base, Duration connectTimeout, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public HandleAnswer handleOf(String did) throws InterruptedException {
        try {
            HttpResponse<String> identity = get("/xrpc/com.atproto.identity.resolveIdentity?identifier=" + encode(did));
            if (identity.statusCode() >= 500 || identity.statusCode() == 429) {
                return new HandleAnswer.NoAnswer("resolveIdentity answered " + identity.statusCode());
            }
            JsonNode body = JSON.readTree(identity.body());
            if (identity.statusCode() != 200) {
                return new HandleAnswer.NotResolved(body.path("error").asText("HTTP " + identity.statusCode()), body.path("message").asText(""));
            }
            return new HandleAnswer.Handle(body.path("handle").asText(INVALID_HANDLE));
        } catch (IOException e) {
            return new HandleAnswer.NoAnswer("identity-service: " + e.getClass().getSimpleName() + " " + e.getMessage());
        }
    }

    public HostingOutcome checkHosting(String communityDid, String hostedBy) throws InterruptedException {
        HandleAnswer answer = handleOf(communityDid);
        if (answer instanceof HandleAnswer.NoAnswer none) {
            return new HostingOutcome.Undecided("Unreachable", none.message());
        }
        if (answer instanceof HandleAnswer.NotResolved not) {
            return new HostingOutcome.Decided(false, "CommunityNotResolved",
                    "the community DID does not resolve: " + not.error() + " " + not.message(), null);
        }
        String handle = ((HandleAnswer.Handle) answer).handle();
        if (INVALID_HANDLE.equals(handle)) {
            return new HostingOutcome.Decided(false, "InvalidHandle", "the community DID has no verified handle", null);
        }
        try {
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
