package social.coves.api.support;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;

/** Puts {@link LexiconConformance} in front of every RestAssured call of every {@code @QuarkusTest} (META-INF/services). */
public class LexiconConformanceInstaller implements QuarkusTestBeforeEachCallback {

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        if (RestAssured.filters().stream().noneMatch(f -> f instanceof LexiconConformance)) {
            RestAssured.filters(new LexiconConformance());
        }
    }
}
