package social.coves.api.actors;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import social.coves.api.auth.ServiceAuthVerifier;
import social.coves.api.auth.Viewer;
import social.coves.api.communities.CommunityIdentifier;
import social.coves.api.communities.CommunityQueries;
import social.coves.api.feeds.FeedPage;
import social.coves.api.feeds.PageSize;
import social.coves.api.xrpc.XrpcException;

import java.util.Optional;

/** {@code social.coves.actor.*} queries: profile (and the lowercase Coves alias), a user's posts and comments. */
@Path("/xrpc")
@Produces(MediaType.APPLICATION_JSON)
public class ActorResource {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 100;

    private final ActorQueries actors;
    private final CommunityQueries communities;
    private final ServiceAuthVerifier auth;

    public ActorResource(ActorQueries actors, CommunityQueries communities, ServiceAuthVerifier auth) {
        this.actors = actors;
        this.communities = communities;
        this.auth = auth;
    }

    @GET
    @Path("social.coves.actor.getProfile")
    public Uni<ProfileView> getProfile(@QueryParam("actor") String actor) {
        ActorIdentifier id = ActorIdentifier.parse(actor);
        return actors.profile(id).map(p -> p.orElseThrow(() -> XrpcException.notFound("ProfileNotFound", "profile not found: " + actor)));
    }

    /** The path Coves serves today (lowercase {@code p}); same behaviour. */
    @GET
    @Path("social.coves.actor.getprofile")
    public Uni<ProfileView> getProfileAlias(@QueryParam("actor") String actor) {
        return getProfile(actor);
    }

    @GET
    @Path("social.coves.actor.getPosts")
    public Uni<FeedPage> getPosts(@QueryParam("actor") String actor, @QueryParam("filter") String filter,
                                  @QueryParam("community") String community, @QueryParam("limit") String limit,
                                  @QueryParam("cursor") String cursor, @HeaderParam("Authorization") String authorization) {
        ActorIdentifier id = ActorIdentifier.parse(actor);
        ActorQueries.PostFilter f = ActorQueries.PostFilter.parse(filter);
        Optional<CommunityIdentifier> c = optionalCommunity(community);
        int size = PageSize.parse(limit, DEFAULT_LIMIT, MAX_LIMIT);
        return auth.optional(authorization, "social.coves.actor.getPosts").chain(viewer -> resolved(id, actor, c, community,
                (did, communityDid) -> actors.posts(did, f, communityDid, size, cursor, viewer.map(Viewer::did))));
    }

    @GET
    @Path("social.coves.actor.getComments")
    public Uni<ActorComments> getComments(@QueryParam("actor") String actor, @QueryParam("community") String community,
                                          @QueryParam("limit") String limit, @QueryParam("cursor") String cursor,
                                          @HeaderParam("Authorization") String authorization) {
        ActorIdentifier id = ActorIdentifier.parse(actor);
        Optional<CommunityIdentifier> c = optionalCommunity(community);
        int size = PageSize.parse(limit, DEFAULT_LIMIT, MAX_LIMIT);
        return auth.optional(authorization, "social.coves.actor.getComments").chain(viewer -> resolved(id, actor, c, community,
                (did, communityDid) -> actors.comments(did, communityDid, size, cursor, viewer.map(Viewer::did))));
    }

    private static Optional<CommunityIdentifier> optionalCommunity(String community) {
        return community == null || community.isEmpty() ? Optional.empty() : Optional.of(CommunityIdentifier.parse(community));
    }

    private <T> Uni<T> resolved(ActorIdentifier id, String actor, Optional<CommunityIdentifier> community, String rawCommunity,
                                java.util.function.BiFunction<String, Optional<String>, Uni<T>> then) {
        Uni<Optional<String>> communityDid = community.isEmpty() ? Uni.createFrom().item(Optional.empty())
                : communities.resolveDid(community.get()).map(found -> {
                    if (found.isEmpty()) {
                        throw XrpcException.notFound("NotFound", "community not found: " + rawCommunity);
                    }
                    return found;
                });
        if (id.did() != null) {
            // asked by DID: whether we know the actor and their listing are read side by side, not one after the other
            return communityDid.chain(cd -> Uni.combine().all().unis(actors.resolve(id), then.apply(id.did(), cd)).asTuple().map(both -> {
                if (both.getItem1().isEmpty()) {
                    throw XrpcException.notFound("NotFound", "actor not found: " + actor);
                }
                return both.getItem2();
            }));
        }
        return actors.resolve(id).chain(did -> {
            if (did.isEmpty()) {
                throw XrpcException.notFound("NotFound", "actor not found: " + actor);
            }
            return communityDid.chain(cd -> then.apply(did.get(), cd));
        });
    }
}
