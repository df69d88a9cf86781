package social.coves.identity.cache;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import social.coves.identity.resolution.IdentityService;
import social.coves.identity.support.DidDocs;
import social.coves.identity.support.FakeNetwork;
import social.coves.identity.support.FakeNetwork.Route;
import social.coves.identity.support.FakeNetworkResource;
import social.coves.lexicon.envelope.EnvelopeCodec;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.lexicon.envelope.Topics;
import social.coves.localstack.testing.KafkaResource;
import social.coves.localstack.testing.PostgresResource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(FakeNetworkResource.class)
class IdentityCacheTest {

    @Inject
    IdentityService identities;
    @Inject
    IdentityCache cache;
    @Inject
    SharedCacheStore store;
    @Inject
    IdentityClock clock;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private final FakeNetwork net = FakeNetwork.get();

    private String plcDid(String handle) {
        String did = DidDocs.newPlcDid();
        net.route("localhost", "/" + did, Route.json(DidDocs.document(did, handle)));
        return did;
    }

    @Test
    void concurrentLookupsOfOneKeyShareOneFetch() throws Exception {
        String did = DidDocs.newPlcDid();
        net.route("localhost", "/" + did, Route.json(DidDocs.document(did, null)).delayed(300));
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<String>> calls = IntStream.range(0, 20)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> identities.resolveDid(did).did(), pool)).toList();
            for (CompletableFuture<String> call : calls) {
                assertThat(call.get()).isEqualTo(did);
            }
        }
        assertThat(net.hits("localhost", "/" + did)).isEqualTo(1);
    }

    @Test
    void servesStaleWhileRevalidatingAndExpiresAfterTheHardLimit() {
        String did = plcDid(null);
        identities.resolveDid(did);
        identities.resolveDid(did);
        assertThat(net.hits("localhost", "/" + did)).isEqualTo(1);

        clock.advance(Duration.ofMinutes(61));          // stale: answered from cache, refreshed in the background
        assertThat(identities.resolveDid(did).did()).isEqualTo(did);
        await().atMost(Duration.ofSeconds(5)).until(() -> net.hits("localhost", "/" + did) == 2);

        clock.advance(Duration.ofHours(25));            // past the hard expiry (locally and in Postgres): fetched again
        identities.resolveDid(did);
        assertThat(net.hits("localhost", "/" + did)).isEqualTo(3);
    }

    @Test
    void negativeResultsExpireWithinMinutes() {
        String did = DidDocs.newPlcDid();
        net.route("localhost", "/" + did, Route.status(404, "{\"message\":\"DID not registered\"}"));
        assertThat(cacheStatus(did)).isEqualTo("NOT_FOUND");
        assertThat(cacheStatus(did)).isEqualTo("NOT_FOUND");
        assertThat(net.hits("localhost", "/" + did)).isEqualTo(1);
        CacheEntry entry = cache.peek(did).orElseThrow();
        assertThat(Duration.between(entry.fetchedAt(), entry.expiresAt())).isBetween(Duration.ofMinutes(2), Duration.ofMinutes(5));

        net.route("localhost", "/" + did, Route.json(DidDocs.document(did, null)));
        clock.advance(Duration.ofMinutes(6));
        assertThat(identities.resolveDid(did).did()).isEqualTo(did);
        assertThat(net.hits("localhost", "/" + did)).isEqualTo(2);
    }

    @Test
    void podsShareWorkThroughThePostgresTable() {
        String did = plcDid(null);
        identities.resolveDid(did);
        assertThat(store.read(did)).isPresent();
        // a second pod has nothing in memory: simulate by dropping only the local entry
        cache.purgeLocalOnlyForTest(did);
        assertThat(identities.resolveDid(did).did()).isEqualTo(did);
        assertThat(net.hits("localhost", "/" + did)).isEqualTo(1);
    }

    @Test
    void anIdentityEventOnKafkaPurgesTheDidAndItsHandle() {
        String handle = DidDocs.unique("purge") + ".test";
        String did = plcDid(handle);
        net.txt("_atproto." + handle, "did=" + did);
        assertThat(identities.resolveIdentity(handle).handle()).isEqualTo(handle);
        assertThat(cache.peek(did)).isPresent();
        assertThat(cache.peek(IdentityCache.handleKey(handle))).isPresent();

        EventEnvelope event = new EventEnvelope(1, EventEnvelope.KIND_IDENTITY, did, Instant.now().toEpochMilli() * 1000,
                null, "test", Instant.now(), null, new EventEnvelope.Identity(handle, 1L, Instant.now().toString()), null);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                new StringSerializer(), new StringSerializer())) {
            // auto.offset.reset=latest: keep publishing until this pod's consumer (assigned asynchronously) sees one
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                producer.send(new ProducerRecord<>(Topics.IDENTITY_EVENTS, did, EnvelopeCodec.encodeToString(event))).get();
                return cache.peek(did).isEmpty();
            });
        }
        assertThat(cache.peek(IdentityCache.handleKey(handle))).isEmpty();
        assertThat(store.read(did)).isEmpty();
        assertThat(store.read(IdentityCache.handleKey(handle))).isEmpty();
        identities.resolveDid(did);
        assertThat(net.hits("localhost", "/" + did)).isEqualTo(2);
    }

    private String cacheStatus(String did) {
        try {
            identities.resolveDid(did);
            return "FOUND";
        } catch (RuntimeException e) {
            return cache.peek(did).orElseThrow().lookup().status().name();
        }
    }
}
