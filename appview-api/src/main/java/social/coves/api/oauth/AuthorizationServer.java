package social.coves.api.oauth;

/** A user's authorization server as identity-service found and checked it (its metadata's endpoints). */
public record AuthorizationServer(String issuer, String authorizationEndpoint, String parEndpoint, String tokenEndpoint,
                                  String revocationEndpoint) {
}
