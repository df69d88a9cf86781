package social.coves.lexicon.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import social.coves.lexicon.syntax.Nsid;
import social.coves.lexicon.syntax.RecordKey;
import social.coves.lexicon.syntax.Tid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A set of lexicon documents that can reference each other, and the entry point for validating data against them:
 * records, values, and the bodies and parameters of XRPC queries and procedures.
 * Thread-safe for reads once loaded; documents may be added concurrently.
 */
public final class LexiconCatalog {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, LexiconDocument> documents = new ConcurrentHashMap<>();

    /** Parses and adds a document. @throws InvalidLexiconException if malformed or its id is already present */
    public LexiconDocument add(JsonNode json) {
        LexiconDocument document = LexiconParser.parse(json);
        if (documents.putIfAbsent(document.id(), document) != null) {
            throw new InvalidLexiconException("duplicate lexicon document " + document.id());
        }
        return document;
    }

    /** Adds every {@code *.json} file below {@code directory}. */
    public LexiconCatalog addDirectory(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                try {
                    add(MAPPER.readTree(file.toFile()));
                } catch (InvalidLexiconException e) {
                    throw new InvalidLexiconException(file + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lexicons under " + directory, e);
        }
        return this;
    }

    public Optional<LexiconDocument> document(String nsid) {
        return Optional.ofNullable(documents.get(nsid));
    }

    public Collection<LexiconDocument> documents() {
        return List.copyOf(documents.values());
    }

    /** Finds a definition by reference: {@code nsid#name} or a bare {@code nsid} (meaning {@code nsid#main}). */
    public Optional<SchemaDef> find(String ref) {
        String absolute = absoluteType(ref);
        int hash = absolute.indexOf('#');
        LexiconDocument document = documents.get(absolute.substring(0, hash));
        return document == null ? Optional.empty() : document.def(absolute.substring(hash + 1));
    }

    /** Every {@code ref} and union member that does not resolve to a definition in this catalog. */
    public List<String> unresolvedReferences() {
        List<String> missing = new ArrayList<>();
        for (LexiconDocument document : documents.values()) {
            for (Map.Entry<String, SchemaDef> def : document.defs().entrySet()) {
                collectUnresolved(def.getValue(), document.id() + "#" + def.getKey(), missing);
            }
        }
        return missing;
    }

    /** Validates a record value against the record definition of {@code collection}; empty list means valid. */
    public List<ValidationError> validateRecord(String collection, JsonNode record) {
        SchemaDef.RecordSchema schema = document(collection).flatMap(LexiconDocument::recordSchema).orElse(null);
        if (schema == null) {
            return List.of(new ValidationError("$", "no record lexicon for collection " + collection));
        }
        if (record == null || !record.isObject()) {
            return List.of(new ValidationError("$", "record must be a JSON object"));
        }
        List<ValidationError> errors = new ArrayList<>();
        JsonNode type = record.get("$type");
        if (type == null || !type.isTextual()) {
            errors.add(new ValidationError("$.$type", "required field missing"));
        } else if (!absoluteType(type.textValue()).equals(collection + "#main")) {
            errors.add(new ValidationError("$.$type", "must be " + collection + ", got " + type.textValue()));
        }
        ValueValidator validator = new ValueValidator(this);
        validator.validate(schema.record(), record, JsonPath.ROOT, 0);
        errors.addAll(validator.errors());
        return errors;
    }

    /** As {@link #validateRecord(String, JsonNode)}, also checking the record key against the lexicon's key type. */
    public List<ValidationError> validateRecord(String collection, String rkey, JsonNode record) {
        List<ValidationError> errors = new ArrayList<>(validateRecord(collection, record));
        document(collection).flatMap(LexiconDocument::recordSchema).ifPresent(schema -> {
            String problem = recordKeyProblem(schema.key(), rkey);
            if (problem != null) {
                errors.add(0, new ValidationError("rkey", problem));
            }
        });
        return errors;
    }

    /** Validates any value against a definition, e.g. {@code social.coves.richtext.facet} or {@code nsid#def}. */
    public List<ValidationError> validateValue(String ref, JsonNode value) {
        SchemaDef def = find(ref).orElse(null);
        if (def == null) {
            return List.of(new ValidationError("$", "unknown definition " + ref));
        }
        ValueValidator validator = new ValueValidator(this);
        validator.validate(def, value, JsonPath.ROOT, 0);
        return validator.errors();
    }

    /** The query or procedure {@code nsid} names, if this catalog holds one. */
    public Optional<SchemaDef.XrpcSchema> xrpcMethod(String nsid) {
        return document(nsid).flatMap(d -> d.def("main"))
                .filter(SchemaDef.XrpcSchema.class::isInstance).map(SchemaDef.XrpcSchema.class::cast);
    }

    /**
     * Validates a query's response body (JSON; {@code null} for none) against its output schema with the rules of
     * {@link #validateValue}. An NSID that is not a query in this catalog is reported as an error at {@code $}.
     */
    public List<ValidationError> validateQueryOutput(String nsid, JsonNode body) {
        return withMethod(nsid, SchemaDef.QuerySchema.class, "query",
                query -> new XrpcValidator(this).body("output", query.output(), body));
    }

    /** As {@link #validateQueryOutput}, for a procedure's response body. */
    public List<ValidationError> validateProcedureOutput(String nsid, JsonNode body) {
        return withMethod(nsid, SchemaDef.ProcedureSchema.class, "procedure",
                procedure -> new XrpcValidator(this).body("output", procedure.output(), body));
    }

    /** As {@link #validateQueryOutput}, for a procedure's request body. */
    public List<ValidationError> validateProcedureInput(String nsid, JsonNode body) {
        return withMethod(nsid, SchemaDef.ProcedureSchema.class, "procedure",
                procedure -> new XrpcValidator(this).body("input", procedure.input(), body));
    }

    /**
     * Validates the URL query parameters of a query or procedure, given as read from the query string (name → values
     * in order). Each value is read as its declared type (integers as {@code -?[0-9]+}, booleans as {@code true} or
     * {@code false}, anything else is an error) and then checked like record data; an empty value counts as absent;
     * only array parameters may repeat; undeclared parameters are allowed.
     */
    public List<ValidationError> validateQueryParameters(String nsid, Map<String, List<String>> params) {
        return withMethod(nsid, SchemaDef.XrpcSchema.class, "query or procedure",
                method -> new XrpcValidator(this).params(method.parameters(), params));
    }

    /**
     * The error names a query or procedure declares, in lexicon order.
     *
     * @throws IllegalArgumentException if {@code nsid} is not a query or procedure in this catalog
     */
    public Set<String> declaredErrors(String nsid) {
        return requireMethod(nsid, SchemaDef.XrpcSchema.class, "query or procedure").errors();
    }

    private <T extends SchemaDef.XrpcSchema> List<ValidationError> withMethod(String nsid, Class<T> kind, String kindName,
                                                                             Function<T, List<ValidationError>> check) {
        T method;
        try {
            method = requireMethod(nsid, kind, kindName);
        } catch (IllegalArgumentException e) {
            return List.of(new ValidationError("$", e.getMessage()));
        }
        return check.apply(method);
    }

    private <T extends SchemaDef.XrpcSchema> T requireMethod(String nsid, Class<T> kind, String kindName) {
        LexiconDocument document = document(nsid)
                .orElseThrow(() -> new IllegalArgumentException("no lexicon " + nsid + " in the catalog"));
        SchemaDef main = document.def("main")
                .orElseThrow(() -> new IllegalArgumentException(nsid + " has no main definition, so it is not a " + kindName));
        if (!kind.isInstance(main)) {
            throw new IllegalArgumentException(nsid + " is a " + main.type() + ", not a " + kindName);
        }
        return kind.cast(main);
    }

    static String recordKeyProblem(String keyType, String rkey) {
        if (rkey == null || !RecordKey.isValid(rkey)) {
            return "not a valid record key";
        }
        if (keyType.equals("tid") && !Tid.isValid(rkey)) {
            return "record key must be a TID";
        }
        if (keyType.equals("nsid") && !Nsid.isValid(rkey)) {
            return "record key must be an NSID";
        }
        if (keyType.startsWith("literal:") && !keyType.substring("literal:".length()).equals(rkey)) {
            return "record key must be " + keyType.substring("literal:".length());
        }
        return null;
    }

    static String absoluteType(String ref) {
        return ref.indexOf('#') >= 0 ? ref : ref + "#main";
    }

    private void collectUnresolved(SchemaDef.XrpcBody body, String where, List<String> missing) {
        if (body != null && body.schema() != null) {
            collectUnresolved(body.schema(), where, missing);
        }
    }

    private void collectUnresolved(SchemaDef def, String where, List<String> missing) {
        switch (def) {
            case SchemaDef.RefSchema ref -> {
                if (find(ref.ref()).isEmpty()) {
                    missing.add(where + " -> " + ref.ref());
                }
            }
            case SchemaDef.UnionSchema union -> union.refs().stream().filter(r -> find(r).isEmpty())
                    .forEach(r -> missing.add(where + " -> " + r));
            case SchemaDef.ArraySchema array -> collectUnresolved(array.items(), where + "[]", missing);
            case SchemaDef.ObjectSchema object -> object.properties()
                    .forEach((name, property) -> collectUnresolved(property, where + "." + name, missing));
            case SchemaDef.RecordSchema record -> collectUnresolved(record.record(), where, missing);
            case SchemaDef.XrpcSchema method -> {
                method.parameters().properties()
                        .forEach((name, param) -> collectUnresolved(param, where + ".parameters." + name, missing));
                if (method instanceof SchemaDef.ProcedureSchema procedure) {
                    collectUnresolved(procedure.input(), where + ".input", missing);
                }
                collectUnresolved(method.output(), where + ".output", missing);
            }
            default -> {
            }
        }
    }
}
