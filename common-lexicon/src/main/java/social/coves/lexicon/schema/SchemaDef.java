package social.coves.lexicon.schema;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One compiled lexicon type definition. References are stored in absolute form ({@code nsid#name}), so a definition
 * can be validated without knowing which document it came from.
 */
public sealed interface SchemaDef {

    /** The lexicon {@code type} keyword of this definition. */
    String type();

    record BooleanSchema(Boolean constValue) implements SchemaDef {
        public String type() {
            return "boolean";
        }
    }

    record IntegerSchema(Long minimum, Long maximum, List<Long> enumValues, Long constValue) implements SchemaDef {
        public String type() {
            return "integer";
        }
    }

    record StringSchema(StringFormat format, Integer minLength, Integer maxLength, Integer minGraphemes,
                        Integer maxGraphemes, List<String> enumValues, String constValue, List<String> knownValues)
            implements SchemaDef {
        public String type() {
            return "string";
        }
    }

    record BytesSchema(Integer minLength, Integer maxLength) implements SchemaDef {
        public String type() {
            return "bytes";
        }
    }

    record CidLinkSchema() implements SchemaDef {
        public String type() {
            return "cid-link";
        }
    }

    /** {@code accept} holds MIME patterns such as {@code image/*}; empty accepts anything. */
    record BlobSchema(List<String> accept, Long maxSize) implements SchemaDef {
        public String type() {
            return "blob";
        }
    }

    record ArraySchema(SchemaDef items, Integer minLength, Integer maxLength) implements SchemaDef {
        public String type() {
            return "array";
        }
    }

    record ObjectSchema(Map<String, SchemaDef> properties, Set<String> required, Set<String> nullable) implements SchemaDef {
        public String type() {
            return "object";
        }
    }

    /** {@code ref} is absolute: {@code nsid#name}. */
    record RefSchema(String ref) implements SchemaDef {
        public String type() {
            return "ref";
        }
    }

    /** {@code refs} are absolute; an open union ({@code closed == false}) accepts {@code $type}s it does not list. */
    record UnionSchema(List<String> refs, boolean closed) implements SchemaDef {
        public String type() {
            return "union";
        }
    }

    record UnknownSchema() implements SchemaDef {
        public String type() {
            return "unknown";
        }
    }

    record TokenSchema() implements SchemaDef {
        public String type() {
            return "token";
        }
    }

    /** {@code key} is {@code tid}, {@code nsid}, {@code any} or {@code literal:<value>}. */
    record RecordSchema(String key, ObjectSchema record) implements SchemaDef {
        public String type() {
            return "record";
        }
    }

    /** subscription and permission-set: loaded and kept, but not used to validate data. */
    record EndpointSchema(String type) implements SchemaDef {
    }

    /** A query or procedure: the XRPC method an NSID names. */
    sealed interface XrpcSchema extends SchemaDef {
        /** The URL query parameters; empty when the lexicon declares none. */
        ParamsSchema parameters();

        /** The response body, or {@code null} when the method returns none. */
        XrpcBody output();

        /** The names of the errors the method declares, in lexicon order. */
        Set<String> errors();
    }

    record QuerySchema(ParamsSchema parameters, XrpcBody output, Set<String> errors) implements XrpcSchema {
        public String type() {
            return "query";
        }
    }

    /** {@code input} is the request body, or {@code null} when the procedure takes none. */
    record ProcedureSchema(ParamsSchema parameters, XrpcBody input, XrpcBody output, Set<String> errors)
            implements XrpcSchema {
        public String type() {
            return "procedure";
        }
    }

    /**
     * {@code properties} are boolean, integer, string or unknown definitions, or arrays of those. Not a data type:
     * parameters are read from a query string, not from JSON.
     */
    record ParamsSchema(Map<String, SchemaDef> properties, Set<String> required) {
        public static final ParamsSchema NONE = new ParamsSchema(Map.of(), Set.of());
    }

    /** {@code schema} is an object, ref or union definition, or {@code null} when any body of the encoding goes. */
    record XrpcBody(String encoding, SchemaDef schema) {
    }
}
