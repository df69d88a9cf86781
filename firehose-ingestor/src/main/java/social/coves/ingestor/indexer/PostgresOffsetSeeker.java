package social.coves.ingestor.indexer;

import io.agroal.api.AgroalDataSource;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;

/**
 * On partition assignment, seeks each partition to the next offset stored in Postgres (the offsets committed with
 * the projections), so Postgres, not Kafka's committed offsets, decides where the indexer resumes. A partition with no
 * stored offset (empty or reset schema) is read from its beginning: that is how a replay is started.
 */
@ApplicationScoped
@Identifier("appview-offsets")
public class PostgresOffsetSeeker implements KafkaConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(PostgresOffsetSeeker.class);

    private final AgroalDataSource dataSource;

    public PostgresOffsetSeeker(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        String groupId = consumer.groupMetadata().groupId();
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement(
                     "SELECT next_offset FROM appview.consumer_offsets WHERE group_id = ? AND topic = ? AND partition = ?")) {
            for (TopicPartition tp : partitions) {
                select.setString(1, groupId);
                select.setString(2, tp.topic());
                select.setInt(3, tp.partition());
                try (ResultSet rs = select.executeQuery()) {
                    if (rs.next()) {
                        consumer.seek(tp, rs.getLong(1));
                        LOG.debugf("indexer: %s seeks %s to %d", groupId, tp, rs.getLong(1));
                    } else {
                        // nothing of this partition is in this schema (new or reset schema): fold it from the start
                        consumer.seekToBeginning(java.util.List.of(tp));
                        LOG.infof("indexer: %s has no stored offset for %s; replaying it from the beginning", groupId, tp);
                    }
                }
            }
        } catch (SQLException e) {
            // Not fatal: records below the stored offsets are skipped inside the batch transaction anyway.
            LOG.warnf("indexer: could not read stored offsets (%s); relying on in-transaction skipping", e.getMessage());
        }
    }
}
