package social.coves.lexicon.syntax;

import java.util.Optional;

/**
 * An {@code at://} URI naming a repository, a collection in it, or one record: {@code at://authority[/nsid[/rkey]]}.
 * The authority is an {@link AtIdentifier} (a DID or a handle), the collection an {@link Nsid}, the key a {@link RecordKey}.
 * Fragments, queries and trailing slashes are rejected: records and indexes never carry them.
 */
public record AtUri(String authority, String collection, String rkey) {

    public static final int MAX_LENGTH = 8192;
    private static final String TYPE = "AT-URI";
    private static final String PREFIX = "at://";

    public AtUri {
        if (!AtIdentifier.isValid(authority)) {
            throw Syntax.fail(TYPE, String.valueOf(authority), "authority must be a DID or a handle");
        }
        if (collection != null && !Nsid.isValid(collection)) {
            throw Syntax.fail(TYPE, collection, "collection must be an NSID");
        }
        if (rkey != null && (collection == null || !RecordKey.isValid(rkey))) {
            throw Syntax.fail(TYPE, rkey, collection == null ? "record key without collection" : "invalid record key");
        }
    }

    /** {@code at://did/collection/rkey} for one record. */
    public static AtUri of(Did did, Nsid collection, RecordKey rkey) {
        return new AtUri(did.value(), collection.value(), rkey.value());
    }

    public static AtUri parse(String value) {
        if (value == null) {
            throw Syntax.fail(TYPE, null, "null");
        }
        if (value.length() > MAX_LENGTH) {
            throw Syntax.fail(TYPE, value, "longer than " + MAX_LENGTH + " characters");
        }
        if (!value.startsWith(PREFIX)) {
            throw Syntax.fail(TYPE, value, "must start with \"at://\"");
        }
        String[] parts = value.substring(PREFIX.length()).split("/", -1);
        if (parts.length > 3) {
            throw Syntax.fail(TYPE, value, "at most authority, collection and record key");
        }
        for (String part : parts) {
            if (part.isEmpty()) {
                throw Syntax.fail(TYPE, value, "empty path segment or trailing slash");
            }
        }
        try {
            return new AtUri(parts[0], parts.length > 1 ? parts[1] : null, parts.length > 2 ? parts[2] : null);
        } catch (InvalidSyntaxException e) {
            throw Syntax.fail(TYPE, value, e.getMessage());
        }
    }

    public static boolean isValid(String value) {
        try {
            parse(value);
            return true;
        } catch (InvalidSyntaxException e) {
            return false;
        }
    }

    public boolean hasDidAuthority() {
        return authority.startsWith("did:");
    }

    /** The authority as a DID; empty when the authority is a handle. */
    public Optional<Did> did() {
        return hasDidAuthority() ? Optional.of(Did.parse(authority)) : Optional.empty();
    }

    public Optional<Nsid> collectionNsid() {
        return Optional.ofNullable(collection).map(Nsid::parse);
    }

    public Optional<RecordKey> recordKey() {
        return Optional.ofNullable(rkey).map(RecordKey::parse);
    }

    /** True when the URI names a single record (it has both collection and record key). */
    public boolean isRecord() {
        return rkey != null;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(PREFIX).append(authority);
        if (collection != null) {
            sb.append('/').append(collection);
        }
        if (rkey != null) {
            sb.append('/').append(rkey);
        }
        return sb.toString();
    }
}
