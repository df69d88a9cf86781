package social.coves.localstack.ops;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import social.coves.localstack.testing.SharedPostgres;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exercises docs/runbooks/backup-restore.md: deploy/scripts/pg-restore-drill.sh against the embedded PostgreSQL 17 —
 * dump, wipe, restore, same row counts and checksums. Needs pg_dump/pg_restore/psql of major version ≥ 17 (PG_BIN, or
 * /usr/lib/postgresql/N/bin, or /tmp/embedded-pg/PG-x/bin); skipped with a message when none is installed.
 */
class BackupRestoreDrillTests {

    @Test
    void dumpWipeRestoreGivesTheSameRowsAndChecksums() throws Exception {
        Path bin = clientBin();
        Assumptions.assumeTrue(bin != null, "no pg_dump >= 17 found (set PG_BIN); the drill script is not exercised");
        SharedPostgres.Connection pg = SharedPostgres.connection();
        try (var c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password()); var st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS drill CASCADE");
            st.execute("CREATE SCHEMA drill");
            st.execute("CREATE TABLE drill.posts (uri text PRIMARY KEY, did text NOT NULL, record jsonb, score bigint, created_at timestamptz)");
            st.execute("CREATE TABLE drill.votes (uri text PRIMARY KEY, subject text REFERENCES drill.posts(uri), dir smallint)");
            st.execute("INSERT INTO drill.posts SELECT 'at://did:plc:' || g || '/p/' || g, 'did:plc:' || (g % 50), "
                    + "jsonb_build_object('text', 'post ' || g, 'langs', jsonb_build_array('en')), g * 7, now() - g * interval '1 minute' FROM generate_series(1, 5000) g");
            st.execute("INSERT INTO drill.votes SELECT 'at://v/' || g, 'at://did:plc:' || (g % 5000 + 1) || '/p/' || (g % 5000 + 1), (g % 2) * 2 - 1 FROM generate_series(1, 20000) g");
        }
        String url = "postgresql://" + pg.user() + ":" + pg.password() + "@" + pg.host() + ":" + pg.port() + "/" + pg.database();
        Path script = DeploymentManifestTests.ROOT.resolve("deploy/scripts/pg-restore-drill.sh");
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), url, "drill").redirectErrorStream(true)
                .redirectOutput(new File("target/pg-restore-drill.log"));
        pb.environment().put("PG_BIN", bin.toString());
        Process p = pb.start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String out = Files.readString(Path.of("target/pg-restore-drill.log"));
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("RESTORE VERIFIED: 2 tables").contains("drill.posts 5000 ").contains("drill.votes 20000 ");
    }

    static Path clientBin() throws Exception {
        List<Path> candidates = new ArrayList<>();
        if (System.getenv("PG_BIN") != null) {
            candidates.add(Path.of(System.getenv("PG_BIN")));
        }
        for (String parent : List.of("/usr/lib/postgresql", "/tmp/embedded-pg")) {
            if (Files.isDirectory(Path.of(parent))) {
                try (Stream<Path> dirs = Files.list(Path.of(parent))) {
                    dirs.map(d -> d.resolve("bin")).forEach(candidates::add);
                }
            }
        }
        for (Path dir : candidates) {
            Path dump = dir.resolve("pg_dump");
            if (Files.isExecutable(dump) && Files.isExecutable(dir.resolve("pg_restore")) && Files.isExecutable(dir.resolve("psql"))) {
                Process v = new ProcessBuilder(dump.toString(), "--version").redirectErrorStream(true).start();
                String version = new String(v.getInputStream().readAllBytes()).replaceAll("[^0-9.]", " ").trim().split("[ .]")[0];
                if (v.waitFor() == 0 && Integer.parseInt(version) >= 17) {
                    return dir;
                }
            }
        }
        return null;
    }
}
