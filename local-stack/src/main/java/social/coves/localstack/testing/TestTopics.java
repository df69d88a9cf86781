package social.coves.localstack.testing;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Topics and writes for tests that build their own Kafka history: a topic is ready for writes when {@link #create}
 * returns, and {@link #produce} returns only when every record is acknowledged (or fails).
 *
 * <p>Why: a freshly created partition answers its first writes with NOT_LEADER_OR_FOLLOWER until its leader is in
 * place, after which an idempotent producer (Kafka's default) can loop on OUT_OF_ORDER_SEQUENCE_NUMBER until its
 * batches expire, two minutes later — records silently missing from the history (seen on a loaded machine). Waiting
 * for the leaders, one request in flight without idempotence, and checking every acknowledgement rule that out.
 */
public final class TestTopics {

    private TestTopics() {
    }

    /** Creates the topics (name → partitions, replication 1) and waits until every partition has a leader. */
    public static void create(String bootstrap, Map<String, Integer> partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<NewTopic> topics = new ArrayList<>();
            partitions.forEach((name, n) -> topics.add(new NewTopic(name, n, (short) 1)));
            admin.createTopics(topics).all().get(1, TimeUnit.MINUTES);
            Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
            while (!leadersInPlace(admin, partitions.keySet())) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("partitions of " + partitions.keySet() + " without a leader after a minute");
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create " + partitions.keySet(), e);
        }
    }

    /** Sends the records in order; returns when all are acknowledged, throws when one is not. */
    public static void produce(String bootstrap, List<ProducerRecord<String, String>> records) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new StringSerializer())) {
            List<Future<?>> sent = new ArrayList<>(records.size());
            for (ProducerRecord<String, String> r : records) {
                sent.add(producer.send(r));
            }
            producer.flush();
            for (Future<?> f : sent) {
                f.get(2, TimeUnit.MINUTES);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("a record was not acknowledged", e);
        }
    }

    private static boolean leadersInPlace(Admin admin, java.util.Set<String> topics) {
        try {
            for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
                if (d.partitions().stream().anyMatch(p -> p.leader() == null || p.leader().isEmpty())) {
                    return false;
                }
            }
            return true;
        } catch (Exception e) {
            return false;   // not known yet: asked again
        }
    }
}
