package social.coves.localstack.testing;

/**
 * Which real Kafka/PostgreSQL the tests use: {@code docker} (Testcontainers) or {@code embedded} (child JVMs).
 * {@code coves.test.infra} / {@code COVES_TEST_INFRA} = auto (default) | docker | embedded.
 */
public final class Infra {

    private static Boolean dockerAvailable;

    private Infra() {
    }

    public static boolean useDocker() {
        String mode = System.getProperty("coves.test.infra", System.getenv().getOrDefault("COVES_TEST_INFRA", "auto"));
        return switch (mode) {
            case "docker" -> true;
            case "embedded" -> false;
            default -> dockerAvailable();
        };
    }

    private static synchronized boolean dockerAvailable() {
        if (dockerAvailable == null) {
            try {
                dockerAvailable = org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
            } catch (Throwable t) {
                dockerAvailable = false;
            }
        }
        return dockerAvailable;
    }
}
