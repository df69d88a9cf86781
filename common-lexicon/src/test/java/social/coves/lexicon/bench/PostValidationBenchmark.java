package social.coves.lexicon.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.CovesLexicons;
import social.coves.lexicon.SampleRecords;
import social.coves.lexicon.schema.ValidationError;

import java.util.List;

/** Validating a typical post (title, text with emoji, facets, image embed, langs, labels, tags, cross-post ref). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
public class PostValidationBenchmark {

    private CovesLexicons lexicons;
    private ObjectNode post;

    @Setup
    public void setUp() {
        lexicons = CovesLexicons.get();
        post = SampleRecords.post();
        if (!lexicons.validateRecord(CovesCollections.COMMUNITY_POST, post).isEmpty()) {
            throw new IllegalStateException("benchmark post must be valid");
        }
    }

    @Benchmark
    public List<ValidationError> validateTypicalPost() {
        return lexicons.validateRecord(CovesCollections.COMMUNITY_POST, post);
    }
}
