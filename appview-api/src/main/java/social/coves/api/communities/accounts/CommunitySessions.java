package social.coves.api.communities.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import social.coves.api.communities.accounts.CommunityAccountStore.LockedResult;
import social.coves.api.communities.accounts.CommunityAccountStore.Tokens;
import social.coves.api.instance.InstanceConfig;
import social.coves.api.pds.PdsClient;
import social.coves.api.pds.PdsException;
import social.coves.api.pds.PdsSession;
import social.coves.api.secrets.SecretBox;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Acting as a community on its PDS with a valid access token. The token is refreshed when it expires within
 * {@code coves.instance.refresh-margin} and once more when the PDS refuses it as expired; a refresh token is single
 * use, so refreshes of one community are serialised across every API replica by the row lock of its account
 * ({@link CommunityAccountStore#underLock}), and within a replica by a local lock first (one waiter per replica on the
 * database). When the refresh token itself is no longer accepted, a new session is made with the stored password.
 * Every refresh seals the new tokens with the current key, and the password too when it was sealed with a previous
 * one, so after a key rotation the previous key is needed only until each community's next refresh.
 */
@ApplicationScoped
public class CommunitySessions {

    private static final Logger LOG = Logger.getLogger(CommunitySessions.class);

    private final CommunityAccountStore store;
    private final PdsClient pds;
    private final SecretBox box;
    private final InstanceConfig config;
    private final MeterRegistry meters;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();
    private final LoadingCache<String, ReentrantLock> localLocks = Caffeine.newBuilder().weakValues()
            .build(did -> new ReentrantLock());

    public CommunitySessions(CommunityAccountStore store, PdsClient pds, SecretBox box, InstanceConfig config,
                             MeterRegistry meters, ObjectMapper json) {
        this.store = store;
        this.pds = pds;
        this.box = box;
        this.config = config;
        this.meters = meters;
        this.json = json;
    }

    /** Runs {@code call} with the community's access token; refreshes and retries once if the PDS calls it expired. */
    public <T> T asCommunity(CommunityAccount account, Function<String, T> call) {
        String access = validAccess(account);
        try {
            return call.apply(access);
        } catch (PdsException e) {
            if (!e.isExpiredToken()) {
                throw e;
            }
            LOG.debugf("access token of %s refused (%s); refreshing", account.did(), e.error());
            return call.apply(refresh(account.did(), access));
        }
    }

    /** Seals a fresh session's tokens for storage. */
    public Tokens seal(CommunityAccount account, PdsSession session) {
        return new Tokens(box.seal(session.accessJwt(), account.sealContext("access")),
                box.seal(session.refreshJwt(), account.sealContext("refresh")), expiryOf(session.accessJwt()));
    }

    private String validAccess(CommunityAccount account) {
        if (account.accessSealed() != null && freshEnough(account.accessExpiresAt())) {
            return box.open(account.accessSealed(), account.sealContext("access"));
        }
        String stale = account.accessSealed() == null ? null : box.open(account.accessSealed(), account.sealContext("access"));
        return refresh(account.did(), stale);
    }

    /** A token other than {@code seen}, as fresh as the PDS gives; {@code seen} is the one found stale or refused. */
    String refresh(String did, String seen) {
        ReentrantLock local = localLocks.get(did);
        local.lock();
        try {
            return store.underLock(did, locked -> {
                String current = locked.accessSealed() == null ? null
                        : box.open(locked.accessSealed(), locked.sealContext("access"));
                if (current != null && !current.equals(seen) && freshEnough(locked.accessExpiresAt())) {
                    meters.counter("coves_api_community_token_refreshes_total", "outcome", "already_fresh").increment();
                    return new LockedResult<>(current, null);
                }
                PdsSession session = renew(locked);
                Tokens tokens = seal(locked, session);
                if (!box.isCurrent(locked.passwordSealed())) {
                    // sealed before a key rotation: seal it with the current key, so the previous key can be retired
                    tokens = new Tokens(tokens.accessSealed(), tokens.refreshSealed(), tokens.accessExpiresAt(),
                            box.seal(box.open(locked.passwordSealed(), locked.sealContext("password")), locked.sealContext("password")));
                }
                return new LockedResult<>(session.accessJwt(), tokens);
            });
        } finally {
            local.unlock();
        }
    }

    private PdsSession renew(CommunityAccount locked) {
        try {
            PdsSession session = pds.refreshSession(locked.pds(), box.open(locked.refreshSealed(), locked.sealContext("refresh")));
            meters.counter("coves_api_community_token_refreshes_total", "outcome", "refreshed").increment();
            return session;
        } catch (PdsException e) {
            if (!e.isExpiredToken() && e.status() != 400) {
                throw e;
            }
            LOG.infof("refresh token of community %s no longer accepted (%s); signing in again", locked.did(), e.error());
            PdsSession session = pds.createSession(locked.pds(), locked.did(),
                    box.open(locked.passwordSealed(), locked.sealContext("password")));
            meters.counter("coves_api_community_token_refreshes_total", "outcome", "new_session").increment();
            return session;
        }
    }

    private boolean freshEnough(Instant expiresAt) {
        return expiresAt != null && expiresAt.isAfter(clock.instant().plus(config.refreshMargin()));
    }

    /** The {@code exp} of a JWT the PDS issued us (not verified: we only schedule our own refreshes by it). */
    private Instant expiryOf(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length == 3) {
            try {
                JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
                if (claims.path("exp").canConvertToLong()) {
                    return Instant.ofEpochSecond(claims.path("exp").asLong());
                }
            } catch (IOException | IllegalArgumentException e) {
                // fall through: treat as short-lived
            }
        }
        return clock.instant().plusSeconds(60);
    }
}
