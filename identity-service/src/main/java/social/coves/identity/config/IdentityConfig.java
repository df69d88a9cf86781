package social.coves.identity.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Everything under {@code coves.identity.*}; see the module README for the meaning of each key. */
@ConfigMapping(prefix = "coves.identity")
public interface IdentityConfig {

    /** PLC directory base URL (env {@code COVES_IDENTITY_PLC_URL}). */
    @WithDefault("https://plc.directory")
    String plcUrl();

    /**
     * Local mode, for dev and tests only: loopback addresses, plain HTTP, explicit ports and the {@code .test} TLD are
     * allowed. Private, link-local and metadata addresses stay refused.
     */
    @WithDefault("false")
    boolean localMode();

    /** In local mode, the port used for handle hosts and did:web hosts that carry no port of their own. */
    Optional<Integer> localHttpPort();

    /**
     * In local mode only: domains (e.g. {@code coves.test}) whose host names are answered with loopback and have no
     * TXT records, so the handles a local PDS hands out verify through its own {@code /.well-known/atproto-did}
     * (with {@code local-http-port} = the PDS's port). Ignored outside local mode.
     */
    Optional<List<String>> localLoopbackDomains();

    Fetch fetch();

    Dns dns();

    Cache cache();

    Limits limits();

    /** atproto OAuth authorization-server discovery ({@code social.coves.identity.resolveOAuthServer}). */
    OAuth oauth();

    interface Fetch {
        @WithDefault("3s")
        Duration connectTimeout();

        @WithDefault("3s")
        Duration readTimeout();

        /** Whole-request budget (connect, TLS, headers, body). */
        @WithDefault("5s")
        Duration totalTimeout();

        /** DID documents (PLC and did:web). */
        @WithDefault("65536")
        int maxDocumentBytes();

        /** {@code /.well-known/atproto-did} bodies. */
        @WithDefault("2048")
        int maxWellKnownBytes();

        @WithDefault("coves-identity-service/0.1 (+https://coves.social)")
        String userAgent();

        /**
         * Tests only: a PEM file of certificates trusted for HTTPS fetches in addition to the JVM's default CAs (env
         * {@code COVES_IDENTITY_FETCH_EXTRA_TRUSTED_CERTIFICATES}), e.g. local-stack's {@code TestHttpsHost}. Host-name
         * verification stays on. Never set in production.
         */
        Optional<Path> extraTrustedCertificates();
    }

    interface Dns {
        /** Recursive resolvers as {@code host[:port]}; empty = the system's resolvers. */
        Optional<List<String>> servers();

        @WithDefault("2s")
        Duration timeout();
    }

    interface Cache {
        /** Successful entries are served but refreshed in the background after this age. */
        @WithDefault("1h")
        Duration staleAfter();

        /** Successful entries are never served after this age. */
        @WithDefault("24h")
        Duration expireAfter();

        /** Transient failures (timeouts, 5xx, refusals). */
        @WithDefault("2m")
        Duration failureTtl();

        /** Confirmed negatives: not found, deactivated, invalid documents, ambiguous handles. */
        @WithDefault("5m")
        Duration notFoundTtl();

        @WithDefault("250000")
        long maxEntries();

        /** Share entries between pods through the {@code identity.cache_entry} table. */
        @WithDefault("true")
        boolean sharedTable();

        /** refreshIdentity re-fetches one identifier at most once per this period. */
        @WithDefault("30s")
        Duration refreshCooldown();
    }

    interface Limits {
        /** Outbound fetches in flight across the pod. */
        @WithDefault("64")
        int maxConcurrentFetches();

        /** How long a look-up waits for a free fetch slot before failing. */
        @WithDefault("2s")
        Duration fetchSlotWait();

        /** Per did:web / handle host. */
        @WithDefault("5")
        double perHostPerSecond();

        @WithDefault("10")
        int perHostBurst();

        @WithDefault("50")
        double plcPerSecond();

        @WithDefault("100")
        int plcBurst();
    }

    interface OAuth {
        /** Body cap for a {@code oauth-protected-resource} or {@code oauth-authorization-server} document. */
        @WithDefault("32768")
        int maxDocumentBytes();

        /** How long a valid metadata document is kept, per URL. */
        @WithDefault("10m")
        Duration successTtl();

        /** How long a failed fetch or an invalid document is remembered, per URL. */
        @WithDefault("1m")
        Duration failureTtl();

        /** Metadata documents kept in memory (both kinds together). */
        @WithDefault("10000")
        long maxEntries();
    }
}
