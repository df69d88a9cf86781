package social.coves.lexicon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import social.coves.lexicon.schema.LexiconCatalog;
import social.coves.lexicon.schema.ValidationError;
import social.coves.lexicon.syntax.AtUri;
import social.coves.lexicon.syntax.Did;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Coves lexicons bundled with this module (under {@code /lexicons} on the classpath): the indexed record
 * collections and the embed, rich-text facet, label and strong-ref definitions they use. Loaded once; thread-safe.
 */
public final class CovesLexicons {

    /** Every bundled document, by NSID; resource path is {@code /lexicons/<nsid with dots as slashes>.json}. */
    public static final List<String> DOCUMENTS = List.of(
            CovesCollections.COMMUNITY_PROFILE,
            CovesCollections.COMMUNITY_SUBSCRIPTION,
            CovesCollections.COMMUNITY_BLOCK,
            CovesCollections.COMMUNITY_POST,
            CovesCollections.COMMUNITY_COMMENT,
            CovesCollections.FEED_VOTE,
            CovesCollections.ACTOR_PROFILE,
            CovesCollections.AGGREGATOR_SERVICE,
            CovesCollections.AGGREGATOR_AUTHORIZATION,
            "social.coves.embed.images",
            "social.coves.embed.video",
            "social.coves.embed.external",
            "social.coves.embed.post",
            "social.coves.richtext.facet",
            "com.atproto.label.defs",
            "com.atproto.repo.strongRef");

    private static final CovesLexicons INSTANCE = new CovesLexicons();

    private final LexiconCatalog catalog;

    private CovesLexicons() {
        ObjectMapper mapper = new ObjectMapper();
        catalog = new LexiconCatalog();
        for (String nsid : DOCUMENTS) {
            String resource = resourcePath(nsid);
            try (InputStream in = CovesLexicons.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("bundled lexicon missing: " + resource);
                }
                catalog.add(mapper.readTree(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read bundled lexicon " + resource, e);
            }
        }
        List<String> unresolved = catalog.unresolvedReferences();
        if (!unresolved.isEmpty()) {
            throw new IllegalStateException("bundled lexicons have unresolved references: " + unresolved);
        }
    }

    public static CovesLexicons get() {
        return INSTANCE;
    }

    public static String resourcePath(String nsid) {
        return "/lexicons/" + nsid.replace('.', '/') + ".json";
    }

    public LexiconCatalog catalog() {
        return catalog;
    }

    public boolean isIndexedCollection(String collection) {
        return CovesCollections.INDEXED.contains(collection);
    }

    /**
     * Validates a record of an indexed collection; an empty list means valid. A collection we do not index is
     * reported as an error rather than silently accepted.
     */
    public List<ValidationError> validateRecord(String collection, JsonNode record) {
        if (!isIndexedCollection(collection)) {
            return List.of(new ValidationError("$", "collection " + collection + " is not indexed by Coves"));
        }
        return catalog.validateRecord(collection, record);
    }

    /** As {@link #validateRecord(String, JsonNode)}, also checking the record key (tid or literal:self). */
    public List<ValidationError> validateRecord(String collection, String rkey, JsonNode record) {
        if (!isIndexedCollection(collection)) {
            return List.of(new ValidationError("$", "collection " + collection + " is not indexed by Coves"));
        }
        return catalog.validateRecord(collection, rkey, record);
    }

    /**
     * As {@link #validateRecord(String, String, JsonNode)} for a record read from the repo {@code repoDid}: a record
     * that names the repo holding it must name this one ({@link #repoMismatch}), and a comment's references must be
     * one thread ({@link #threadMismatch}).
     */
    public List<ValidationError> validateRecord(String repoDid, String collection, String rkey, JsonNode record) {
        List<ValidationError> errors = validateRecord(collection, rkey, record);
        Optional<ValidationError> mismatch = repoMismatch(collection, record, repoDid).or(() -> threadMismatch(collection, record));
        if (mismatch.isEmpty()) {
            return errors;
        }
        List<ValidationError> all = new ArrayList<>(errors);
        all.add(mismatch.get());
        return List.copyOf(all);
    }

    /**
     * The thread rule a comment's own references can break: {@code reply.root} is a post, and a reply to a post (its
     * {@code parent} is a post) names that post as its root too, URI and CID. A parent comment from another thread can
     * only be seen in the index; the indexer checks that. Empty when the rule holds or the references are missing or
     * malformed (the lexicon reports those).
     */
    public static Optional<ValidationError> threadMismatch(String collection, JsonNode record) {
        if (!CovesCollections.COMMUNITY_COMMENT.equals(collection) || record == null) {
            return Optional.empty();
        }
        JsonNode root = record.path("reply").path("root");
        JsonNode parent = record.path("reply").path("parent");
        String rootUri = root.path("uri").asText("");
        String parentUri = parent.path("uri").asText("");
        if (!AtUri.isValid(rootUri) || !AtUri.isValid(parentUri)) {
            return Optional.empty();
        }
        if (!CovesCollections.COMMUNITY_POST.equals(AtUri.parse(rootUri).collection())) {
            return Optional.of(new ValidationError("$.reply.root.uri", rootUri + " is not a " + CovesCollections.COMMUNITY_POST));
        }
        if (CovesCollections.COMMUNITY_POST.equals(AtUri.parse(parentUri).collection())
                && !(parentUri.equals(rootUri) && parent.path("cid").asText("").equals(root.path("cid").asText("")))) {
            return Optional.of(new ValidationError("$.reply.parent", "a reply to the post " + parentUri
                    + " must name that post as its root, not " + rootUri));
        }
        return Optional.empty();
    }

    /**
     * The rule for records that name the repo holding them ({@link CovesCollections#REPO_DID_FIELDS}: an aggregator's
     * service record its own DID, an authorization its community): the field must equal {@code repoDid}, e.g.
     * {@code $.did: did:plc:x is not the repo did:plc:y}. Empty when it does, when the collection has no such field,
     * and when the field is missing or not a DID (the lexicon reports those). The jetstream role rejects such records
     * with this error; the indexer checks it again before it writes one.
     */
    public static Optional<ValidationError> repoMismatch(String collection, JsonNode record, String repoDid) {
        String field = CovesCollections.REPO_DID_FIELDS.get(collection);
        if (field == null || record == null) {
            return Optional.empty();
        }
        JsonNode value = record.get(field);
        if (value == null || !value.isTextual() || !Did.isValid(value.textValue()) || value.textValue().equals(repoDid)) {
            return Optional.empty();
        }
        return Optional.of(new ValidationError("$." + field, value.textValue() + " is not the repo " + repoDid));
    }
}
