package social.coves.api.writes;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import social.coves.api.AppviewSchemaResource;
import social.coves.api.secrets.SealingKeys;
import social.coves.api.secrets.SecretBox;
import social.coves.api.support.InstancePdsResource;
import social.coves.localstack.pds.PdsAccounts;
import social.coves.localstack.testing.PostgresResource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static social.coves.api.writes.AccountRows.column;
import static social.coves.api.writes.AccountRows.expireAccessToken;
import static social.coves.api.writes.AccountRows.setSealed;
import static social.coves.api.writes.WriteFixtures.createCommunity;
import static social.coves.api.writes.WriteFixtures.createPost;
import static social.coves.api.writes.WriteFixtures.newUser;
import static social.coves.api.writes.WriteFixtures.uniqueName;

/**
 * A sealing-key rotation as the README describes it: the API runs with a new key and the previous one beside it.
 * Credentials sealed with the previous key still work, and the next token refresh seals all of them (the password
 * included) with the new key, so the previous key can then be retired.
 */
@QuarkusTest
@TestProfile(SealingKeyRotationTests.Rotating.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
@WithTestResource(InstancePdsResource.class)
class SealingKeyRotationTests {

    static final String OLD_ID = "k-old";
    static final String OLD_KEY = key("the-previous-sealing-key-32bytes");
    static final String NEW_ID = "k-new";
    static final String NEW_KEY = key("the-current-sealing-key-32-bytes");

    public static class Rotating implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("coves.api.sealing.key-id", NEW_ID, "coves.api.sealing.key", NEW_KEY,
                    "coves.api.sealing.previous-key-id", OLD_ID, "coves.api.sealing.previous-key", OLD_KEY);
        }
    }

    @Test
    void credentialsSealedWithThePreviousKeyWorkAndAreSealedAgainWithTheNewOneOnRefresh() throws Exception {
        PdsAccounts.Account owner = newUser("rot");
        String name = uniqueName("rot");
        String community = createCommunity(owner, name, Map.of()).then().statusCode(200).extract().path("did");

        // as if written before the rotation: every credential sealed with the previous key
        SecretBox rotating = new SecretBox(SealingKeys.config(NEW_ID, NEW_KEY, OLD_ID, OLD_KEY));
        SecretBox previousOnly = SealingKeys.only(OLD_ID, OLD_KEY);
        for (String field : List.of("password", "access", "refresh")) {
            String context = "community:" + name + ":" + field;
            String clear = rotating.open(column(community, field + "_sealed"), context);
            setSealed(community, field + "_sealed", previousOnly.seal(clear, context));
        }
        createPost(owner, community, Map.of("title", "read with the previous key")).then().statusCode(200);

        // the next refresh seals everything with the new key: the previous key is no longer needed
        expireAccessToken(community);
        createPost(owner, community, Map.of("title", "after the refresh")).then().statusCode(200);
        SecretBox newOnly = SealingKeys.only(NEW_ID, NEW_KEY);
        for (String field : List.of("password", "access", "refresh")) {
            byte[] sealed = column(community, field + "_sealed");
            assertThat(newOnly.isCurrent(sealed)).as(field).isTrue();
            assertThat(newOnly.open(sealed, "community:" + name + ":" + field)).as(field).isNotBlank();
        }
        // and the re-sealed password still signs the community in (a refresh token that is no longer accepted)
        setSealed(community, "refresh_sealed", newOnly.seal("not-a-refresh-token", "community:" + name + ":refresh"));
        expireAccessToken(community);
        createPost(owner, community, Map.of("title", "after a new session")).then().statusCode(200);
    }

    private static String key(String thirtyTwoChars) {
        return Base64.getEncoder().encodeToString(thirtyTwoChars.getBytes(StandardCharsets.US_ASCII));
    }
}
