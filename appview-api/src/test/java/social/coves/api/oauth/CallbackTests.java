package social.coves.api.oauth;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import social.coves.api.AppviewSchemaResource;
import social.coves.api.support.SignInAppResource;
import social.coves.localstack.pds.PdsAccounts;
import social.coves.localstack.testing.OAuthBrowser;
import social.coves.localstack.testing.PostgresResource;
import social.coves.localstack.testing.TestTls;

import java.util.Arrays;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static social.coves.api.oauth.SignIns.callback;
import static social.coves.api.oauth.SignIns.enc;
import static social.coves.api.oauth.SignIns.password;
import static social.coves.api.oauth.SignIns.sessionsOf;
import static social.coves.api.writes.WriteFixtures.newUser;

/**
 * The callback belongs to the browser that started the sign-in, comes from the server it was sent to and signs in the
 * account it was started for; otherwise it is refused and no session exists. The app's redirect is checked before
 * anyone is asked anything; the web sign-in ends with an HttpOnly session cookie. The browser is stopped as it is about
 * to open the callback, so the test can replay (or alter) that request with the browser's own cookie.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
@WithTestResource(SignInAppResource.class)
class CallbackTests {

    private static String publicUrl() {
        return SignInAppResource.publicUrl();
    }

    private static SignIns.Callback signInUntilTheCallback(PdsAccounts.Account startedFor, PdsAccounts.Account signsIn) {
        return SignIns.stopAtCallback(publicUrl(), SignIns.mobileLogin(publicUrl(), startedFor.handle()), signsIn.handle(),
                password(signsIn));
    }

    @Test
    void aCallbackWithAnotherStateOrWithoutTheBrowsersCookieIsRefusedAndTheRealOneStillFinishes() {
        PdsAccounts.Account user = newUser("cbs");
        SignIns.Callback real = signInUntilTheCallback(user, user);
        assertThat(real.code()).isNotBlank();

        char[] otherState = real.state().toCharArray();
        otherState[0] = otherState[0] == 'a' ? 'b' : 'a';
        refused(callback(real.withState(new String(otherState))));
        refused(callback(real.withState(null)));
        refused(callback(real.withBrowserCookie(null)));
        refused(callback(real.withBrowserCookie("")));
        refused(callback(real.withBrowserCookie("another-browsers-secret-" + real.browserCookie())));
        assertThat(sessionsOf(user.did())).isZero();

        // none of that spent the sign-in: the browser that started it still finishes it
        Response finished = callback(real);
        finished.then().statusCode(302);
        assertThat(finished.header("Location")).startsWith(SignIns.APP_REDIRECT + "?").contains("token=")
                .contains("did=" + enc(user.did()));
        assertThat(sessionsOf(user.did())).isOne();
        // and a callback is used once
        refused(callback(real));
        assertThat(sessionsOf(user.did())).isOne();
    }

    @Test
    void aCallbackFromAnotherIssuerIsRefusedAndEndsTheSignIn() {
        PdsAccounts.Account user = newUser("cbi");
        SignIns.Callback real = signInUntilTheCallback(user, user);

        callback(real.withIss("https://pds.elsewhere.example")).then().statusCode(400)
                .body("error", equalTo("InvalidRequest")).body("message", containsString("iss"));
        assertThat(sessionsOf(user.did())).isZero();
        // a mix-up ends the sign-in: the genuine callback after it finds nothing to finish
        refused(callback(real));
        assertThat(sessionsOf(user.did())).isZero();
    }

    @Test
    void signingInAtThePdsAsAnotherAccountThanTheOneAskedForIsRefused() {
        PdsAccounts.Account asked = newUser("cba");
        PdsAccounts.Account other = newUser("cbo");
        SignIns.Callback callback = signInUntilTheCallback(asked, other);

        callback(callback).then().statusCode(401).body("error", equalTo("InvalidToken"))
                .body("message", allOf(containsString(other.did()), containsString(asked.did())));
        assertThat(sessionsOf(asked.did())).isZero();
        assertThat(sessionsOf(other.did())).isZero();
    }

    @Test
    void anAppRedirectOffTheAllowListIsRefusedBeforeAnyoneIsAsked() {
        PdsAccounts.Account user = newUser("cbr");
        double upstreamBefore = upstreamCalls();
        for (String redirect : Arrays.asList("https://evil.example/callback", "social.coves:/callback/../../evil",
                "social.coves:/callbackx", "evil:/callback", "", null)) {
            var request = given().redirects().follow(false).queryParam("handle", user.handle());
            if (redirect != null) {
                request.queryParam("redirect_uri", redirect);
            }
            request.when().get("/oauth/mobile/login").then().statusCode(400)
                    .body("error", equalTo("InvalidRequest")).body("message", containsString("redirect_uri"));
        }
        assertThat(SignIns.count("SELECT count(*) FROM coves_api.oauth_sign_ins WHERE did = ?", user.did())).isZero();
        assertThat(upstreamCalls()).isEqualTo(upstreamBefore);
    }

    @Test
    void theWebSignInEndsWithAnHttpOnlySessionCookieBackAtTheAppWithItsState() {
        PdsAccounts.Account user = newUser("cbw");
        String back = publicUrl() + "/welcome/back";
        String appState = "app-state-" + user.handle().substring(0, user.handle().indexOf('.'));
        String start = publicUrl() + "/oauth/login?handle=" + enc(user.handle()) + "&redirect_uri=" + enc(back)
                + "&state=" + enc(appState);

        OAuthBrowser.Result result = SignIns.browse(start, user.handle(), password(user), back);

        assertThat(result.stopQuery()).isEqualTo(Map.of("state", appState));
        OAuthBrowser.Cookie session = result.cookie(SignIns.SESSION_COOKIE).orElseThrow(() ->
                new AssertionError("no session cookie: " + result.cookies()));
        assertThat(session.httpOnly()).isTrue();
        assertThat(session.secure()).isTrue();
        assertThat(session.sameSite()).isEqualTo("Lax");
        assertThat(session.path()).isEqualTo("/");
        assertThat(session.domain()).isEqualTo(TestTls.shared().hostname());
        assertThat(result.cookie(SignIns.BROWSER_COOKIE)).as("the sign-in cookie is gone").isEmpty();

        given().cookie(SignIns.SESSION_COOKIE, session.value()).when().get("/api/me")
                .then().statusCode(200).body("did", equalTo(user.did())).body("handle", equalTo(user.handle()));
        assertThat(sessionsOf(user.did())).isOne();
    }

    private static void refused(Response response) {
        response.then().statusCode(400).body("error", equalTo("InvalidRequest"));
        assertThat(String.valueOf(response.header("Set-Cookie"))).as("no session cookie").doesNotContain(SignIns.SESSION_COOKIE);
    }

    private static double upstreamCalls() {
        String metrics = given().when().get("/q/metrics").asString();
        return SignIns.counter(metrics, "coves_api_oauth_upstream_calls_total")
                + SignIns.counter(metrics, "coves_api_oauth_sign_ins_total", "step=\"started\"");
    }
}
