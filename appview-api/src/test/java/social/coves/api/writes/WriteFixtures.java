package social.coves.api.writes;

import io.restassured.response.Response;
import social.coves.api.support.InstancePdsResource;
import social.coves.localstack.pds.PdsAccounts;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;

/** Users on the real PDS, their service-auth tokens for this AppView, and calls to its write procedures. */
public final class WriteFixtures {

    private static final AtomicInteger SEQ = new AtomicInteger();
    public static final PdsAccounts PDS = InstancePdsResource.accounts();

    private WriteFixtures() {
    }

    /** A short name no other test (or earlier run on the same PDS) uses: fits the 16-character community name. */
    public static String uniqueName(String prefix) {
        return prefix + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36) + SEQ.incrementAndGet();
    }

    public static PdsAccounts.Account newUser(String prefix) {
        String name = uniqueName(prefix);
        return PDS.create(InstancePdsResource.stack().handle(name), name + "@example.test", "password-" + name);
    }

    public static String bearer(PdsAccounts.Account user, String lxm) {
        return "Bearer " + PDS.serviceAuth(user, InstancePdsResource.APPVIEW_DID, lxm);
    }

    public static Response call(PdsAccounts.Account user, String nsid, Object body) {
        return given().header("Authorization", bearer(user, nsid)).contentType("application/json").body(body)
                .when().post("/xrpc/" + nsid);
    }

    public static Response createCommunity(PdsAccounts.Account creator, String name, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", name, "displayName", "The " + name,
                "description", "about " + name, "visibility", "public"));
        body.putAll(extra);
        return call(creator, "social.coves.community.create", body);
    }

    public static Response createPost(PdsAccounts.Account author, String community, Map<String, Object> fields) {
        Map<String, Object> body = new java.util.HashMap<>(fields);
        body.put("community", community);
        return call(author, "social.coves.community.post.create", body);
    }
}
