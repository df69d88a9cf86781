package social.coves.ingestor.jetstream;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared fixtures ({@code ../shared/fixtures} next to the repository), read in place and never copied. */
final class Fixtures {

    private Fixtures() {
    }

    static Path jetstream(String name) {
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/fixtures/jetstream").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("fixture shared/fixtures/jetstream/" + name + " not found above " + Path.of("").toAbsolutePath());
    }
}
