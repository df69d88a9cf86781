package social.coves.api.auth;

import social.coves.api.xrpc.XrpcException;

/** A refused credential: HTTP 401 with an atproto auth error name ({@code BadJwt}, {@code JwtExpired}, ...). */
public class AuthException extends XrpcException {

    public AuthException(String error, String message) {
        super(401, error, message);
    }
}
