package social.coves.localstack.ops;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;

/**
 * The restore drill's own embedded PostgreSQL, of the major version whose client tools CI installs (pom property
 * {@code drill.pg.version}; the build copies those zonky binaries to {@code target/drill-pg}). zonky's bundles ship
 * only initdb/pg_ctl/postgres, so pg_dump/pg_restore/psql come from the OS and must match the server's major.
 */
final class DrillPostgres {

    static final Path BINARIES = Path.of("target", "drill-pg", "drill-postgres-binaries.jar");

    private DrillPostgres() {
    }

    static EmbeddedPostgres start() throws IOException {
        if (!Files.isRegularFile(BINARIES)) {
            throw new IllegalStateException(BINARIES + " is missing: run the build (maven-dependency-plugin copy-drill-postgres)");
        }
        return EmbeddedPostgres.builder()
                .setPgBinaryResolver(DrillPostgres::binaries)
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .start();
    }

    private static InputStream binaries(String system, String hardware) throws IOException {
        JarFile jar = new JarFile(BINARIES.toFile());
        String entry = ("postgres-" + system + "-" + hardware + ".txz").toLowerCase(java.util.Locale.ROOT);
        if (jar.getEntry(entry) == null) {
            jar.close();
            throw new IOException(entry + " not in " + BINARIES);
        }
        InputStream in = jar.getInputStream(jar.getEntry(entry));
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() throws IOException {
                super.close();
                jar.close();
            }
        };
    }
}
