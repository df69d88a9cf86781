package social.coves.lexicon.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code docs/envelope-v1.schema.json} describes exactly what {@link EnvelopeCodec} writes. */
class EnvelopeSchemaTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode schemaNode;
    private static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        Path file = schemaFile();
        schemaNode = JSON.readTree(file.toFile());
        assertThat(schemaNode.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaNode, config);
    }

    @Test
    void everySampleEnvelopeValidates() throws IOException {
        for (EventEnvelope envelope : EnvelopeSamples.all()) {
            JsonNode json = JSON.readTree(EnvelopeCodec.encode(envelope));
            assertThat(errors(json)).as("schema errors for %s", json).isEmpty();
        }
    }

    @Test
    void schemaDeclaresEveryWrittenFieldAndNothingElse() throws IOException {
        Set<String> written = new TreeSet<>();
        for (EventEnvelope envelope : EnvelopeSamples.all()) {
            JsonNode json = JSON.readTree(EnvelopeCodec.encode(envelope));
            collectFields("", json, written);
        }
        Set<String> declared = new TreeSet<>();
        declared.addAll(propertyNames("", schemaNode));
        for (String payload : new String[] {"commit", "identity", "account"}) {
            declared.addAll(propertyNames(payload + ".", schemaNode.path("$defs").path(payload)));
        }
        assertThat(written).isEqualTo(declared);
        assertThat(declared).contains("v", "kind", "did", "timeUs", "seq", "source", "receivedAt",
                "commit.operation", "commit.collection", "commit.rkey", "commit.rev", "commit.cid", "commit.record",
                "identity.handle", "identity.seq", "identity.time",
                "account.active", "account.status", "account.seq", "account.time");
    }

    @Test
    void extraFieldsFromALaterV1StillValidate() throws IOException {
        ObjectNode json = (ObjectNode) JSON.readTree(EnvelopeCodec.encode(EnvelopeSamples.all().getFirst()));
        json.put("partition", 3);
        ((ObjectNode) json.get("commit")).put("rebase", false);
        assertThat(errors(json)).isEmpty();
    }

    @Test
    void schemaRejectsWhatTheCodecNeverWrites() {
        String base = "\"v\":1,\"did\":\"did:plc:abc\",\"timeUs\":1";
        String create = "\"commit\":{\"operation\":\"create\",\"collection\":\"social.coves.feed.vote\",\"rkey\":\"3k\",\"rev\":\"3k\","
                + "\"cid\":\"bafy\",\"record\":{}}";
        // the valid baseline, so each rejection below is caused by the one change it makes
        assertThat(errors("{" + base + ",\"kind\":\"commit\"," + create + "}")).isEmpty();

        Map<String, String> invalid = Map.ofEntries(
                Map.entry("kind/payload mismatch", "{" + base + ",\"kind\":\"identity\"," + create + "}"),
                Map.entry("two payloads", "{" + base + ",\"kind\":\"commit\"," + create + ",\"identity\":{}}"),
                Map.entry("no payload", "{" + base + ",\"kind\":\"account\"}"),
                Map.entry("unknown kind", "{" + base + ",\"kind\":\"sync\",\"identity\":{}}"),
                Map.entry("version 2", "{\"v\":2,\"did\":\"did:plc:abc\",\"timeUs\":1,\"kind\":\"identity\",\"identity\":{}}"),
                Map.entry("missing did", "{\"v\":1,\"timeUs\":1,\"kind\":\"identity\",\"identity\":{}}"),
                Map.entry("not a did", "{\"v\":1,\"did\":\"alice.example\",\"timeUs\":1,\"kind\":\"identity\",\"identity\":{}}"),
                Map.entry("missing timeUs", "{\"v\":1,\"did\":\"did:plc:abc\",\"kind\":\"identity\",\"identity\":{}}"),
                Map.entry("seq as string", "{" + base + ",\"seq\":\"5\",\"kind\":\"identity\",\"identity\":{}}"),
                Map.entry("null source", "{" + base + ",\"source\":null,\"kind\":\"identity\",\"identity\":{}}"),
                Map.entry("receivedAt not a timestamp", "{" + base + ",\"receivedAt\":\"yesterday\",\"kind\":\"identity\",\"identity\":{}}"),
                Map.entry("receivedAt as number", "{" + base + ",\"receivedAt\":1700000000,\"kind\":\"identity\",\"identity\":{}}"),
                Map.entry("create without cid", "{" + base + ",\"kind\":\"commit\"," + create.replace("\"cid\":\"bafy\",", "") + "}"),
                Map.entry("create without record", "{" + base + ",\"kind\":\"commit\"," + create.replace(",\"record\":{}", "") + "}"),
                Map.entry("delete with record", "{" + base + ",\"kind\":\"commit\"," + create.replace("create", "delete") + "}"),
                Map.entry("unknown operation", "{" + base + ",\"kind\":\"commit\"," + create.replace("create", "upsert") + "}"),
                Map.entry("commit without rev", "{" + base + ",\"kind\":\"commit\"," + create.replace("\"rev\":\"3k\",", "") + "}"),
                Map.entry("record not an object", "{" + base + ",\"kind\":\"commit\"," + create.replace("\"record\":{}", "\"record\":[]") + "}"),
                Map.entry("account without active", "{" + base + ",\"kind\":\"account\",\"account\":{\"status\":\"deleted\"}}"),
                Map.entry("identity handle not a string", "{" + base + ",\"kind\":\"identity\",\"identity\":{\"handle\":7}}"));
        Set<String> accepted = new TreeSet<>();
        invalid.forEach((name, json) -> {
            if (errors(json).isEmpty()) {
                accepted.add(name);
            }
        });
        assertThat(accepted).as("invalid envelopes the schema accepted").isEmpty();
    }

    private static Set<ValidationMessage> errors(String json) {
        try {
            return errors(JSON.readTree(json));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Set<ValidationMessage> errors(JsonNode json) {
        return schema.validate(json);
    }

    /** Field paths of the envelope, not descending into the record (whose fields belong to its lexicon). */
    private static void collectFields(String prefix, JsonNode node, Set<String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String path = prefix + field.getKey();
            out.add(path);
            if (field.getValue().isObject() && prefix.isEmpty()) {
                collectFields(path + ".", field.getValue(), out);
            }
        }
    }

    private static Set<String> propertyNames(String prefix, JsonNode schemaObject) {
        Set<String> names = new TreeSet<>();
        schemaObject.path("properties").fieldNames().forEachRemaining(name -> names.add(prefix + name));
        return names;
    }

    static Path schemaFile() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs/envelope-v1.schema.json");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("docs/envelope-v1.schema.json not found above " + Path.of("").toAbsolutePath());
    }
}
