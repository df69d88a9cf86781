package social.coves.identity.oauth;

/**
 * The resolveOAuthServer answer: the identity (handle verified both ways, else {@code handle.invalid}), the origin of
 * its {@code #atproto_pds} and that PDS's checked authorization server.
 */
public record OAuthServer(String did, String handle, String pds, AuthorizationServerMetadata authorizationServer) {
}
