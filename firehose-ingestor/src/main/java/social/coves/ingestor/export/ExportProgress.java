package social.coves.ingestor.export;

/** What a run reports as it goes (the role turns it into metrics on {@code /q/metrics}). */
public interface ExportProgress {

    ExportProgress NONE = new ExportProgress() {
    };

    /** Events read from Kafka (not yet committed to their tables). */
    default void read(int events) {
    }

    /** One table's snapshot with {@code rows} new rows committed. */
    default void committed(String table, int rows) {
    }
}
