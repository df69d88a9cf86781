package social.coves.api.writes.user;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import social.coves.api.auth.Viewer;
import social.coves.api.oauth.SealedTokens;
import social.coves.api.writes.BodyFields;
import social.coves.api.writes.WriteProcedures;
import social.coves.api.writes.WriteRequests;
import social.coves.api.xrpc.XrpcException;

import java.io.InputStream;

/**
 * What every write to the caller's own repository does first: the caller must be signed in through this AppView
 * (a sealed session token; anyone else gets the 501 naming the PDS call to make instead), verified and within its
 * write rate; then the body, bounded, must be a JSON object.
 */
@ApplicationScoped
public class SignedInWrites {

    /** Bodies of the user-owned procedures that carry no images. */
    public static final long MAX_BODY = 200 * 1024;

    /** An accepted write: who writes, and what they sent. */
    public record Accepted(Viewer user, JsonNode body) {
    }

    private final WriteRequests requests;
    private final CurrentRecords current;

    public SignedInWrites(WriteRequests requests, CurrentRecords current) {
        this.requests = requests;
        this.current = current;
    }

    public Accepted accept(String nsid, String authorization, String contentLength, InputStream body, long maxBytes) {
        Viewer user = signedIn(nsid, authorization);
        return new Accepted(user, requests.body(nsid, contentLength, body, maxBytes));
    }

    public Accepted accept(String nsid, String authorization, String contentLength, InputStream body) {
        return accept(nsid, authorization, contentLength, body, MAX_BODY);
    }

    /** The DID of the community the body's {@code community} names; 404 {@code notFound} when the index has none. */
    public String community(JsonNode in, String notFound) {
        String raw = BodyFields.requiredString(in, "community");
        return current.communityDid(raw).orElseThrow(() -> XrpcException.notFound(notFound, "community not found: " + raw));
    }

    private Viewer signedIn(String nsid, String authorization) {
        String token = authorization == null ? "" : authorization.trim().replaceFirst("(?i)^Bearer\\s+", "");
        if (!SealedTokens.looksSealed(token)) {
            throw new XrpcException(501, "MethodNotImplemented", WriteProcedures.adviceFor(nsid).orElseThrow());
        }
        return requests.caller(nsid, WriteRequests.Credentials.SERVICE_AUTH, authorization);
    }
}
