package social.coves.identity.web;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import social.coves.identity.support.DidDocs;
import social.coves.identity.support.FakeNetwork;
import social.coves.identity.support.FakeNetwork.Route;
import social.coves.identity.support.FakeNetworkResource;
import social.coves.localstack.testing.KafkaResource;
import social.coves.localstack.testing.PostgresResource;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(FakeNetworkResource.class)
class HostingVerifierTest {

    private final FakeNetwork net = FakeNetwork.get();

    private void verdict(String handle, String hostedBy, boolean verified, String reason) {
        given().queryParam("handle", handle).queryParam("hostedBy", hostedBy)
                .get("/xrpc/social.coves.identity.verifyHosting")
                .then().statusCode(200).body("verified", equalTo(verified)).body("reason", equalTo(reason));
    }

    @Test
    void verifiesACommunityHostedByItsInstanceDidWeb() {
        String domain = DidDocs.unique("coves") + ".test";
        net.route(domain, "/.well-known/did.json", Route.json(DidDocs.document("did:web:" + domain, domain)));
        verdict("c-gaming." + domain, "did:web:" + domain, true, "Verified");
    }

    @Test
    void refusesWithAReason() {
        String domain = DidDocs.unique("host") + ".test";
        String noAlias = DidDocs.unique("noalias") + ".test";
        net.route(domain, "/.well-known/did.json", Route.json(DidDocs.document("did:web:" + domain, domain)));
        net.route(noAlias, "/.well-known/did.json", Route.json(DidDocs.document("did:web:" + noAlias, "other.test")));

        verdict("c-x." + domain, DidDocs.newPlcDid(), false, "NotDidWeb");
        verdict("c-x." + domain, "did:web:" + domain + ":path", false, "NotDidWeb");   // generic syntax, not a did:web host
        verdict("c-x.attacker.test", "did:web:" + domain, false, "DomainMismatch");
        verdict("c-x." + noAlias, "did:web:" + noAlias, false, "AliasMissing");
        verdict("c-x.missing-host.test", "did:web:missing-host.test", false, "DidNotFound");
        verdict("not a handle", "did:web:" + domain, false, "InvalidHandle");
    }

    @Test
    void registrableDomainUsesKnownTwoLabelSuffixes() {
        assertThat(RegistrableDomain.of("c-x.coves.social")).isEqualTo("coves.social");
        assertThat(RegistrableDomain.of("c-x.coves.co.uk")).isEqualTo("coves.co.uk");
        assertThat(RegistrableDomain.of("coves.social")).isEqualTo("coves.social");
    }
}
