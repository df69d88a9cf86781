package social.coves.localstack.testing;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SharedInfraTests {

    @Test
    void kafkaBrokerRoundTripsARecord() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        try (var producer = new KafkaProducer<String, String>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("local-stack-smoke", "did:plc:abc", "hello")).get();
        }
        try (var consumer = new KafkaConsumer<String, String>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "smoke",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("local-stack-smoke"));
            ConsumerRecords<String, String> records = ConsumerRecords.empty();
            long deadline = System.currentTimeMillis() + 30_000;
            while (records.isEmpty() && System.currentTimeMillis() < deadline) {
                records = consumer.poll(Duration.ofMillis(500));
            }
            assertThat(records.count()).isEqualTo(1);
            assertThat(records.iterator().next().key()).isEqualTo("did:plc:abc");
            assertThat(records.iterator().next().value()).isEqualTo("hello");
        }
    }

    @Test
    void postgresIsARealPostgres17() throws Exception {
        SharedPostgres.Connection pg = SharedPostgres.connection();
        try (var c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             ResultSet rs = c.createStatement().executeQuery("SELECT current_database(), current_setting('server_version_num')::int")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("coves");
            assertThat(rs.getInt(2)).isGreaterThanOrEqualTo(170000);
        }
    }
}
