package social.coves.api.logging;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.handlers.ConsoleHandler;
import org.junit.jupiter.api.Test;
import social.coves.api.AppviewSchemaResource;
import social.coves.localstack.testing.PostgresResource;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
class LogRedactionAndRequestIdTests {

    static final String JWT = "eyJhbGciOiJFUzI1NksiLCJ0eXAiOiJKV1QifQ.eyJpc3MiOiJkaWQ6cGxjOmFiYyJ9.c2lnbmF0dXJlLWJ5dGVz";

    @Test
    void theConsoleHandlerRedactsTokensAndEmailsBeforeFormatting() {
        // the real console handler: its filters (Quarkus' own and "redact", combined) and its formatter
        Handler console = consoleHandlers(Logger.getLogger("").getHandlers(), new ArrayList<>()).stream()
                .filter(h -> h instanceof ConsoleHandler).findFirst().orElseThrow(() -> new AssertionError("no console handler"));
        ExtLogRecord record = new ExtLogRecord(Level.WARNING, "auth failed for %s (Authorization: Bearer %s), contact %s",
                ExtLogRecord.FormatStyle.PRINTF, LogRedactionAndRequestIdTests.class.getName());
        record.setParameters(new Object[] {"did:plc:ewvi7nxzyoun6zhxrhs64oiz", JWT, "alice@example.com"});
        record.setLoggerName("social.coves.api.auth.Test");
        record.setThrown(new IllegalStateException("token " + JWT + " of bob@example.org rejected"));

        assertThat(console.isLoggable(record)).isTrue();
        String line = console.getFormatter().format(record);

        assertThat(line).doesNotContain(JWT).doesNotContain("eyJ").doesNotContain("alice@example.com").doesNotContain("bob@example.org")
                .contains("auth failed for did:plc:ewvi7nxzyoun6zhxrhs64oiz").contains("[REDACTED").contains("IllegalStateException");
    }

    @Test
    void everyResponseCarriesARequestIdAndASaneIncomingOneIsKept() {
        given().when().get("/.well-known/did.json").then().statusCode(200)
                .header(RequestIdFilter.HEADER, matchesPattern("[0-9a-f-]{36}"));
        given().header(RequestIdFilter.HEADER, "edge-7f3a.42").when().get("/xrpc/social.coves.nothing.here")
                .then().statusCode(501).header(RequestIdFilter.HEADER, equalTo("edge-7f3a.42"));
        given().header(RequestIdFilter.HEADER, "x\" injected=1 " + "y".repeat(200)).when().get("/q/health/live")
                .then().header(RequestIdFilter.HEADER, matchesPattern("[0-9a-f-]{36}"));
    }

    private static List<Handler> consoleHandlers(Handler[] handlers, List<Handler> out) {
        for (Handler h : handlers) {
            out.add(h);
            if (h instanceof ExtHandler ext) {
                consoleHandlers(ext.getHandlers(), out);
            }
        }
        return out;
    }
}
