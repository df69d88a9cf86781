package social.coves.api.pds;

/** A record's AT-URI and CID, as {@code createRecord}/{@code putRecord} answer. */
public record RecordRef(String uri, String cid) {
}
