package social.coves.api.bench;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A JDK Flight Recorder profile of this JVM (the API under test) over the measured part of a run, written to
 * {@code target/bench/<name>.jfr}; read it with {@code jfr view hot-methods <file>} or JDK Mission Control.
 */
final class JfrWindow implements WrkDriver.Window {

    private final Path file;
    private Recording recording;

    JfrWindow(String name) {
        this.file = Path.of("target", "bench", name + ".jfr");
    }

    @Override
    public void open() {
        try {
            Files.createDirectories(file.getParent());
            recording = new Recording(Configuration.getConfiguration("profile"));
            recording.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start a JFR recording", e);
        }
    }

    @Override
    public void close() {
        try {
            recording.stop();
            recording.dump(file);
            recording.close();
            System.out.println("NOTE JFR profile of the API: " + file.toAbsolutePath());
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the JFR recording", e);
        }
    }
}
