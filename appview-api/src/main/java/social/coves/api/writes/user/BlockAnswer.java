package social.coves.api.writes.user;

/** What Coves answers for a block, of a community or a user: {@code {block: {recordUri, recordCid}}}. */
public record BlockAnswer(Block block) {

    public record Block(String recordUri, String recordCid) {
    }

    static BlockAnswer of(String uri, String cid) {
        return new BlockAnswer(new Block(uri, cid));
    }
}
