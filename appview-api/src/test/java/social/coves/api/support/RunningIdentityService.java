package social.coves.api.support;

import social.coves.localstack.ChildJvm;
import social.coves.localstack.pds.PdsStack;
import social.coves.localstack.testing.SharedKafka;
import social.coves.localstack.testing.SharedPostgres;
import social.coves.localstack.testing.TestHttpsHost;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The real identity-service (its packaged jar) for the API's auth tests, resolving DIDs against a {@link PlcStandIn}
 * in local mode; one per test JVM.
 */
public final class RunningIdentityService {

    private static RunningIdentityService instance;
    private static final Map<String, RunningIdentityService> BY_PLC = new java.util.concurrent.ConcurrentHashMap<>();

    private final PlcStandIn plc;
    private final String url;

    private RunningIdentityService() throws Exception {
        this(new PlcStandIn(), null);
    }

    /** Against {@code plcUrl} (a real PLC directory) when given, else against {@code standIn}. */
    private RunningIdentityService(PlcStandIn standIn, String plcUrl) throws Exception {
        this(standIn, plcUrl, null);
    }

    /** With {@code pds} given, the PDS's handles verify: its handle domain is loopback at its port (local mode). */
    private RunningIdentityService(PlcStandIn standIn, String plcUrl, PdsStack.Endpoints pds) throws Exception {
        Path jar = Path.of(System.getProperty("coves.identity.jar", "../identity-service/target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("build identity-service first (./mvnw verify builds it before this module): " + jar.toAbsolutePath());
        }
        plc = standIn;
        SharedPostgres.Connection pg = SharedPostgres.connection();
        int port = ChildJvm.freePort();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(new File(plcUrl == null ? "target/test-identity-service.log"
                        : pds == null ? "target/test-identity-service-plc.log" : "target/test-identity-service-handles.log"));
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_OTEL_SDK_DISABLED", "true");   // no collector in tests
        env.put("COVES_IDENTITY_PLC_URL", plcUrl != null ? plcUrl : plc.url());
        env.put("COVES_IDENTITY_LOCAL_MODE", "true");
        if (pds != null) {
            env.put("COVES_IDENTITY_LOCAL_LOOPBACK_DOMAINS", pds.instanceDomain());
            env.put("COVES_IDENTITY_LOCAL_HTTP_PORT", Integer.toString(java.net.URI.create(pds.pdsUrl()).getPort()));
        }
        // aggregator registration proves DIDs at this test HTTPS host: trusted here, and only in tests
        env.put("COVES_IDENTITY_FETCH_EXTRA_TRUSTED_CERTIFICATES", TestHttpsHost.shared().certificatePem().toString());
        env.put("KAFKA_BOOTSTRAP_SERVERS", SharedKafka.bootstrapServers());
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", pg.reactiveUrl());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", pg.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", pg.user());
        env.put("QUARKUS_DATASOURCE_PASSWORD", pg.password());
        Process process = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
        url = "http://localhost:" + port;
        ReadinessProbe.await(process, url, "identity-service");
    }

    public static synchronized RunningIdentityService get() {
        if (instance == null) {
            try {
                instance = new RunningIdentityService();
            } catch (Exception e) {
                throw new IllegalStateException("could not start identity-service; see target/test-identity-service.log", e);
            }
        }
        return instance;
    }

    /** An identity-service resolving DIDs against the real PLC directory at {@code plcUrl}; one per directory. */
    public static RunningIdentityService againstPlc(String plcUrl) {
        return BY_PLC.computeIfAbsent(plcUrl, url -> {
            try {
                return new RunningIdentityService(null, url);
            } catch (Exception e) {
                throw new IllegalStateException("could not start identity-service; see target/test-identity-service-plc.log", e);
            }
        });
    }

    /**
     * An identity-service against the PDS stack's PLC that also verifies the PDS's handles both ways (sign-in needs a
     * verified handle); separate from {@link #againstPlc}, whose callers see the PDS's handles unverified.
     */
    public static RunningIdentityService verifyingPdsHandles(PdsStack.Endpoints pds) {
        return BY_PLC.computeIfAbsent("handles:" + pds.plcUrl(), key -> {
            try {
                return new RunningIdentityService(null, pds.plcUrl(), pds);
            } catch (Exception e) {
                throw new IllegalStateException("could not start identity-service; see target/test-identity-service-handles.log", e);
            }
        });
    }

    public String url() {
        return url;
    }

    public PlcStandIn plc() {
        return plc;
    }
}
