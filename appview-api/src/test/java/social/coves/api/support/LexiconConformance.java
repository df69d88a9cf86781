package social.coves.api.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import social.coves.lexicon.fixtures.SharedFixtures;
import social.coves.lexicon.schema.LexiconCatalog;
import social.coves.lexicon.schema.LexiconDocument;
import social.coves.lexicon.schema.SchemaDef;
import social.coves.lexicon.schema.ValidationError;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every XRPC answer a test receives through RestAssured is checked against the published Coves lexicon of its method
 * (the shared fixtures, read in place): a 200 against the method's output schema, an error against the
 * error names the method declares (when it declares any) and XRPC's own. A nonconforming answer fails the test that
 * received it, so no endpoint test can pass while the API breaks the lexicons. Methods without a published lexicon
 * (aliases, {@code com.atproto.*}) are not checked. Installed for every {@code @QuarkusTest} by
 * {@link LexiconConformanceInstaller}.
 */
public final class LexiconConformance implements Filter {

    /** Error names any XRPC method may answer with. */
    static final Set<String> XRPC_ERRORS = Set.of("InvalidRequest", "ExpiredToken", "InvalidToken", "AuthenticationRequired",
            "Forbidden", "RateLimitExceeded", "InternalServerError", "MethodNotImplemented", "NotEnoughResources",
            "UpstreamFailure", "UpstreamTimeout", "BadJwtType", "BadJwtAudience", "BadJwtLexiconMethod", "BadJwtSignature",
            "BadJwtIss", "BadJwt", "JwtExpired", "IdentityUnavailable", "PayloadTooLarge", "RequestTooLarge");

    /**
     * Names this API answers beyond what a method's lexicon declares, each for a reason the appview-api README gives:
     * the instance's creator allow-list (issue 19 names it), and atproto's own name for a lost swapRecord race.
     */
    static final Map<String, Set<String>> BEYOND_LEXICON = Map.of(
            "social.coves.community.create", Set.of("CommunityCreationRestricted"),
            "social.coves.community.update", Set.of("InvalidSwap"),
            "social.coves.community.comment.update", Set.of("InvalidSwap"));

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Coves' vote toggle: a vote removed by voting the same way again answers {@code {"uri":"","cid":""}}. */
    static final String TOGGLED_OFF = "social.coves.feed.vote.create";
    static final JsonNode TOGGLED_OFF_ANSWER = JSON.createObjectNode().put("uri", "").put("cid", "");
    private static LexiconCatalog published;

    public static synchronized LexiconCatalog published() {
        if (published == null) {
            published = new LexiconCatalog().addDirectory(SharedFixtures.resolve("coves-lexicons"));
        }
        return published;
    }

    /** The NSIDs of every query the published lexicons define. */
    public static List<String> publishedQueries() {
        return published().documents().stream().map(LexiconDocument::id)
                .filter(id -> published().xrpcMethod(id).map(m -> "query".equals(m.type())).orElse(false)).sorted().toList();
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification responseSpec, FilterContext ctx) {
        Response response = ctx.next(request, responseSpec);
        String path = URI.create(request.getURI()).getPath();
        if (!path.startsWith("/xrpc/")) {
            return response;
        }
        String nsid = path.substring("/xrpc/".length());
        Optional<SchemaDef.XrpcSchema> method = published().xrpcMethod(nsid);
        if (method.isEmpty()) {
            return response;
        }
        JsonNode body = parse(response);
        if (response.statusCode() == 200 && body != null && TOGGLED_OFF.equals(nsid) && body.equals(TOGGLED_OFF_ANSWER)) {
            return response;   // the lexicon's description asks for these empty strings, which its own formats refuse
        }
        if (response.statusCode() == 200 && body != null) {
            List<ValidationError> errors = "query".equals(method.get().type()) ? published().validateQueryOutput(nsid, body)
                    : published().validateProcedureOutput(nsid, body);
            if (!errors.isEmpty()) {
                throw new AssertionError("the answer of " + request.getMethod() + " " + request.getURI() + " breaks the lexicon "
                        + nsid + ": " + errors.stream().map(ValidationError::toString).collect(Collectors.joining("; "))
                        + "\n" + truncated(response.asString()));
            }
        } else if (response.statusCode() >= 400 && body != null && body.path("error").isTextual()) {
            Set<String> declared = published().declaredErrors(nsid);
            String name = body.path("error").asText();
            if (!declared.isEmpty() && !declared.contains(name) && !XRPC_ERRORS.contains(name)
                    && !BEYOND_LEXICON.getOrDefault(nsid, Set.of()).contains(name)) {
                throw new AssertionError(nsid + " answered error " + name + ", which its lexicon does not declare (declared: "
                        + declared + ")");
            }
        }
        return response;
    }

    private static JsonNode parse(Response response) {
        String type = response.contentType();
        if (type == null || !type.startsWith("application/json")) {
            return null;
        }
        try {
            return JSON.readTree(response.asByteArray());
        } catch (IOException e) {
            throw new AssertionError("an XRPC answer that is not JSON: " + truncated(response.asString()), e);
        }
    }

    private static String truncated(String s) {
        return s.length() <= 2000 ? s : s.substring(0, 2000) + "…";
    }
}
