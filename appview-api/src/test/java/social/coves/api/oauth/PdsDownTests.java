package social.coves.api.oauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import social.coves.api.AppviewSchemaResource;
import social.coves.api.secrets.SecretBox;
import social.coves.api.support.FaultyPdsProxy;
import social.coves.api.support.SignInAppResource;
import social.coves.localstack.testing.PostgresResource;

import java.text.ParseException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static social.coves.api.writes.WriteFixtures.PDS;
import static social.coves.api.writes.WriteFixtures.newUser;

/**
 * The user's PDS is down while they write: the app gets a clear XRPC 502 {@code UpstreamFailure}, nothing is
 * remembered as written and nothing is in their repository; once the PDS is back the same write goes through.
 * "The PDS" is a {@link FaultyPdsProxy} the session's {@code pds_url} points at; as the PDS checks a DPoP proof's
 * {@code htu} against its own URL, the relay re-signs each proof (with the session's key) for the PDS's URL.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(AppviewSchemaResource.class)
@WithTestResource(SignInAppResource.class)
class PdsDownTests {

    private static final String VOTES = "social.coves.feed.vote";

    @Inject
    SecretBox box;

    @Test
    void aWriteWhileThePdsIsDownIsA502ThatLeavesNoTraceAndGoesThroughOnceItIsBack() throws Exception {
        SignIns.Session session = SignIns.signInOnMobile(SignInAppResource.publicUrl(), newUser("dwn"));
        String pdsUrl = ((String) SignIns.sessionRow(session.sessionId()).get("pds_url")).replaceAll("/+$", "");
        try (FaultyPdsProxy pds = new FaultyPdsProxy(pdsUrl)) {
            ECKey key = dpopKey(session.sessionId());
            pds.rewriteHeader("DPoP", proof -> proofFor(proof, key, pds.url(), pdsUrl));
            SignIns.setSessionColumn(session.sessionId(), "pds_url", pds.url());
            Map<String, String> post = SignIns.somePost();

            pds.down();
            SignIns.voteUp(session.token(), post).then().statusCode(502)
                    .body("error", equalTo("UpstreamFailure")).body("message", containsString("PDS"));
            assertThat(pds.calls("com.atproto.repo.createRecord")).as("the write was tried").isPositive();
            assertThat(userWrites(session.did())).isZero();
            assertThat(PDS.listRecords(session.did(), VOTES)).isEmpty();

            pds.up();
            String vote = SignIns.voteUp(session.token(), post).then().statusCode(200).extract().path("uri");
            assertThat(vote).startsWith("at://" + session.did() + "/" + VOTES + "/");
            assertThat(PDS.listRecords(session.did(), VOTES)).singleElement()
                    .satisfies(record -> assertThat(record.path("uri").asText()).isEqualTo(vote));
            assertThat(userWrites(session.did())).isOne();
        }
    }

    private ECKey dpopKey(String sessionId) throws ParseException {
        byte[] sealed = (byte[]) SignIns.sessionRow(sessionId).get("dpop_key_sealed");
        return ECKey.parse(box.open(sealed, UserSession.sealContext(sessionId, "dpop_key")));
    }

    /** The DPoP proof {@code proof} made for a URL at {@code from}, for the same path at {@code to}, signed again. */
    private static String proofFor(String proof, ECKey key, String from, String to) {
        try {
            SignedJWT jwt = SignedJWT.parse(proof);
            String htu = jwt.getJWTClaimsSet().getStringClaim("htu");
            if (!htu.startsWith(from + "/")) {
                return proof;
            }
            SignedJWT moved = new SignedJWT(jwt.getHeader(), new JWTClaimsSet.Builder(jwt.getJWTClaimsSet())
                    .claim("htu", to + htu.substring(from.length())).build());
            moved.sign(new ECDSASigner(key));
            return moved.serialize();
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("cannot move the DPoP proof " + proof, e);
        }
    }

    private static int userWrites(String did) {
        return SignIns.count("SELECT count(*) FROM coves_api.user_writes WHERE did = ?", did);
    }
}
