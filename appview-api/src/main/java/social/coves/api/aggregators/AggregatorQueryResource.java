package social.coves.api.aggregators;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import social.coves.api.communities.CommunityIdentifier;
import social.coves.api.communities.CommunityQueries;
import social.coves.api.feeds.PageSize;
import social.coves.api.xrpc.QueryParams;
import social.coves.api.xrpc.XrpcException;
import social.coves.lexicon.syntax.Did;

import java.util.ArrayList;
import java.util.List;

/** {@code social.coves.aggregator.getServices}, {@code getAuthorizations} and {@code listForCommunity}; no credentials. */
@Path("/xrpc")
@Produces(MediaType.APPLICATION_JSON)
public class AggregatorQueryResource {

    /** More than the lexicon's 25 (issue 24 asks for 100); a request within the lexicon is always served. */
    static final int MAX_DIDS = 100;
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 100;

    private final AggregatorQueries queries;
    private final CommunityQueries communities;

    public AggregatorQueryResource(AggregatorQueries queries, CommunityQueries communities) {
        this.queries = queries;
        this.communities = communities;
    }

    @GET
    @Path("social.coves.aggregator.getServices")
    public Uni<AggregatorViews.Services> getServices(@QueryParam("dids") List<String> dids, @QueryParam("detailed") String detailed) {
        List<String> asked = new ArrayList<>();
        for (String value : dids == null ? List.<String>of() : dids) {
            for (String did : value.split(",")) {
                if (!did.isBlank()) {
                    asked.add(did(did.trim(), "dids"));
                }
            }
        }
        if (asked.isEmpty()) {
            throw XrpcException.invalidRequest("dids is required (one or more aggregator DIDs)");
        }
        if (asked.size() > MAX_DIDS) {
            throw XrpcException.invalidRequest("at most " + MAX_DIDS + " dids per request, got " + asked.size());
        }
        return queries.services(asked, QueryParams.bool("detailed", detailed, false));
    }

    @GET
    @Path("social.coves.aggregator.getAuthorizations")
    public Uni<AggregatorViews.Authorizations> getAuthorizations(@QueryParam("aggregatorDid") String aggregatorDid,
                                                                 @QueryParam("enabledOnly") String enabledOnly,
                                                                 @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        if (aggregatorDid == null || aggregatorDid.isBlank()) {
            throw XrpcException.invalidRequest("aggregatorDid is required");
        }
        String aggregator = did(aggregatorDid.trim(), "aggregatorDid");
        return queries.authorizationsOf(aggregator, QueryParams.bool("enabledOnly", enabledOnly, true),
                        PageSize.parse(limit, DEFAULT_LIMIT, MAX_LIMIT), cursor)
                .map(found -> found.orElseThrow(() -> XrpcException.notFound("AggregatorNotFound",
                        "no aggregator service record is indexed for " + aggregator)));
    }

    @GET
    @Path("social.coves.aggregator.listForCommunity")
    public Uni<AggregatorViews.CommunityAggregators> listForCommunity(@QueryParam("community") String community,
                                                                     @QueryParam("enabledOnly") String enabledOnly,
                                                                     @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        CommunityIdentifier id = CommunityIdentifier.parse(community);
        boolean onlyEnabled = QueryParams.bool("enabledOnly", enabledOnly, false);
        int size = PageSize.parse(limit, DEFAULT_LIMIT, MAX_LIMIT);
        return communities.resolveDid(id).chain(did -> {
            if (did.isEmpty()) {
                throw XrpcException.notFound("CommunityNotFound", "community not found: " + community);
            }
            return queries.authorizationsIn(did.get(), onlyEnabled, size, cursor);
        });
    }

    private static String did(String value, String parameter) {
        if (!Did.isValid(value)) {
            throw XrpcException.invalidRequest(parameter + ": not a DID: " + value);
        }
        return value;
    }
}
