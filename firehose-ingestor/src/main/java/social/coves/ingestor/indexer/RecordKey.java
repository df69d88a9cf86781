package social.coves.ingestor.indexer;

/** The key of one record in the ledger: its repo, collection and rkey. */
public record RecordKey(String did, String collection, String rkey) {

    public String uri() {
        return "at://" + did + "/" + collection + "/" + rkey;
    }
}
