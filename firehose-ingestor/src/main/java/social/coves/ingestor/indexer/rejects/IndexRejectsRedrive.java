package social.coves.ingestor.indexer.rejects;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import social.coves.ingestor.jetstream.CursorHeaders;
import social.coves.ingestor.jetstream.CursorRecovery;
import social.coves.lexicon.envelope.EnvelopeCodec;
import social.coves.lexicon.envelope.EventEnvelope;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Re-drives what the indexer set aside in {@code appview.index_rejects} once a fix is deployed
 * (docs/runbooks/index-rejects.md): every kept value that is an envelope is published again to its topic, keyed by its
 * DID as the ingestor does, and its row is deleted once Kafka has acknowledged it. The live indexer then folds it like
 * any event (the ledger orders it among the record's later commits). Values that still are no envelope stay.
 */
@ApplicationScoped
public class IndexRejectsRedrive {

    private static final Logger LOG = Logger.getLogger(IndexRejectsRedrive.class);

    /** What a re-drive did. */
    public record Result(int republished, int keptNotEnvelopes) {
    }

    private record Kept(String topic, int partition, long offset, String payload) {
    }

    private final AgroalDataSource dataSource;
    private final String bootstrap;

    public IndexRejectsRedrive(AgroalDataSource dataSource, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.dataSource = dataSource;
        this.bootstrap = bootstrap;
    }

    public Result redrive() {
        List<Kept> kept = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement(
                     "SELECT topic, partition, \"offset\", payload FROM appview.index_rejects ORDER BY topic, partition, \"offset\"");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                kept.add(new Kept(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getString(4)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read appview.index_rejects: " + e.getMessage(), e);
        }
        int republished = 0;
        int notEnvelopes = 0;
        // the jetstream role resumes from the acked prefix in the newest record's headers: republished records carry
        // the current one, so they never hide it
        List<Header> resume = new ArrayList<>();
        CursorRecovery.recover(bootstrap).ifPresent(r -> {
            resume.add(new RecordHeader(CursorHeaders.ACKED_CURSOR, Long.toString(r.cursor()).getBytes(StandardCharsets.UTF_8)));
            resume.add(new RecordHeader(CursorHeaders.ACKED_TIME_US, Long.toString(r.maxTimeUs()).getBytes(StandardCharsets.UTF_8)));
            if (r.source() != null) {
                resume.add(new RecordHeader(CursorHeaders.SOURCE, r.source().getBytes(StandardCharsets.UTF_8)));
            }
        });
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), new StringSerializer());
             Connection c = dataSource.getConnection();
             PreparedStatement delete = c.prepareStatement(
                     "DELETE FROM appview.index_rejects WHERE topic = ? AND partition = ? AND \"offset\" = ?")) {
            for (Kept k : kept) {
                EventEnvelope envelope;
                try {
                    envelope = EnvelopeCodec.decode(k.payload() == null ? "" : k.payload());
                } catch (EnvelopeCodec.MalformedEnvelopeException e) {
                    notEnvelopes++;
                    continue;
                }
                producer.send(new ProducerRecord<>(k.topic(), null, envelope.did(), k.payload(), resume)).get();
                delete.setString(1, k.topic());
                delete.setInt(2, k.partition());
                delete.setLong(3, k.offset());
                delete.executeUpdate();
                republished++;
            }
        } catch (SQLException | ExecutionException e) {
            throw new IllegalStateException("re-drive stopped after " + republished + " records: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("re-drive interrupted after " + republished + " records", e);
        }
        LOG.infof("re-drive: %d set-aside records published again, %d kept (still not envelopes)", republished, notEnvelopes);
        return new Result(republished, notEnvelopes);
    }
}
