package social.coves.ingestor.export;

/**
 * A test's way to stop a run at a chosen point: after a table's files are written, before its snapshot commits. An
 * exception is a failed commit (the run removes the files it wrote); an {@link Error} stands for a crash (the files
 * stay, and the next start removes them).
 */
@FunctionalInterface
public interface ExportFaults {

    ExportFaults NONE = table -> { };

    void beforeCommit(String table);
}
