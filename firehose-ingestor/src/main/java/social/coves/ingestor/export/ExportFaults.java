package social.coves.ingestor.export;

/** A test's way to kill a run at a chosen point (after a table's files are written, before its snapshot commits). */
@FunctionalInterface
public interface ExportFaults {

    ExportFaults NONE = table -> { };

    void beforeCommit(String table);
}
