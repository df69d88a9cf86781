package social.coves.api.auth;

import java.time.Duration;

/**
 * Who we are to service-auth tokens, and how strict we are.
 *
 * @param appviewDid      {@code coves.appview.did}: tokens must name it (bare, or {@code did#serviceId}) as {@code aud}
 * @param serviceId       {@code coves.appview.service-id}, e.g. {@code coves_appview}
 * @param clockSkew       {@code coves.auth.clock-skew}: allowed skew for {@code exp}/{@code iat}
 * @param maxLifetime     {@code coves.auth.max-lifetime}: longest lifetime accepted ({@code exp - iat}, {@code exp - now})
 * @param refreshInterval {@code coves.auth.refresh-interval}: how often a DID's key may be force-refreshed
 * @param requireLowS     {@code coves.auth.require-low-s}: refuse high-S signatures (atproto's rule for its signatures;
 *                        {@code false} accepts both forms, as some reference JWT verifiers do)
 * @param verifiedSignatures {@code coves.auth.verified-signatures}: how many verified token signatures to remember
 *                        (a reused token skips its ECDSA check; claims are still checked), 0 = none
 */
public record AuthConfig(String appviewDid, String serviceId, Duration clockSkew, Duration maxLifetime, Duration refreshInterval,
                         boolean requireLowS, long verifiedSignatures) {
}
