package social.coves.identity.oauth;

/**
 * One metadata document as fetched and checked, cached per URL: the document, or why there is none.
 *
 * @param cacheable whether a failure may be remembered; false when only our own admission gate (rate limit, fetch
 *                  slots) said "not now", which says nothing about the document
 */
record Outcome<T>(T document, String failure, boolean cacheable) {

    static <T> Outcome<T> valid(T document) {
        return new Outcome<>(document, null, true);
    }

    static <T> Outcome<T> failed(String failure, boolean cacheable) {
        return new Outcome<>(null, failure, cacheable);
    }

    boolean isValid() {
        return document != null;
    }
}
