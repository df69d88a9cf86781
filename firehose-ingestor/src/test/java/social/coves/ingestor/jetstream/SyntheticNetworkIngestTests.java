package social.coves.ingestor.jetstream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import social.coves.lexicon.envelope.EnvelopeCodec;
import social.coves.localstack.synthetic.Envelopes;
import social.coves.localstack.synthetic.NetworkShape;
import social.coves.localstack.synthetic.SyntheticNetwork;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated network the benchmarks use passes the ingestor's real normaliser and lexicon validator, and the
 * envelopes local-stack makes of its frames (for the replay benchmark) are the ones the ingestor makes.
 */
class SyntheticNetworkIngestTests {

    private static final Instant NOW = Instant.parse("2026-11-21T00:00:00Z");

    @Test
    void everyGeneratedFrameIsAcceptedAndBecomesTheSameEnvelopeAsLocalStackMakes() {
        JetstreamEventNormaliser normaliser = new JetstreamEventNormaliser(EnvelopeCodec.mapper(), "synthetic",
                new JetstreamRecordValidator()::validate);
        SyntheticNetwork network = new SyntheticNetwork(NetworkShape.forEvents(20_000), 11, Instant.parse("2026-11-01T00:00:00Z"));
        long seq = 0;
        while (network.hasNext()) {
            ObjectNode frame = network.next().put("cursor", ++seq);
            var outcome = normaliser.normalise(frame.toString().getBytes(StandardCharsets.UTF_8), NOW);
            assertThat(outcome).as(frame.toString()).isInstanceOf(JetstreamEventNormaliser.Accepted.class);
            var accepted = (JetstreamEventNormaliser.Accepted) outcome;
            var ours = Envelopes.of(frame, seq, "synthetic", NOW);
            assertThat(EnvelopeCodec.encodeToString(accepted.envelope())).isEqualTo(EnvelopeCodec.encodeToString(ours));
            assertThat(accepted.topic()).isEqualTo(Envelopes.topicOf(ours));
        }
        assertThat(seq).isEqualTo(20_000);
    }
}
