package social.coves.localstack.ops;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Exercises docs/runbooks/backup-restore.md: deploy/scripts/pg-restore-drill.sh dumps, fingerprints, wipes, restores
 * and re-fingerprints the real {@code appview} schema (every Flyway migration of the indexer, with consumed offsets,
 * records, actors and communities) plus a bulk {@code drill} schema, on an embedded PostgreSQL of the same major
 * version as the installed pg_dump (see {@link DrillPostgres}). Without matching client tools it fails under CI=true
 * (.ci/run installs postgresql-client-15) and is skipped with a message elsewhere.
 */
class BackupRestoreDrillTests {

    static final Path MIGRATIONS = DeploymentManifestTests.ROOT.resolve("firehose-ingestor/src/main/resources/db/migration");

    @Test
    void dumpWipeRestoreGivesTheSameRowsAndChecksums() throws Exception {
        try (EmbeddedPostgres pg = DrillPostgres.start()) {
            int major = serverMajor(pg);
            Path bin = clientTools(major);
            String url = "postgresql://postgres:postgres@localhost:" + pg.getPort() + "/postgres";
            migrate(bin, url);
            seed(pg);

            Path log = Path.of("target", "pg-restore-drill.log");
            ProcessBuilder pb = new ProcessBuilder("bash", DeploymentManifestTests.ROOT.resolve("deploy/scripts/pg-restore-drill.sh").toString(),
                    url, "appview", "drill").redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("PG_BIN", bin.toString());
            Process p = pb.start();
            assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
            String out = Files.readString(log);
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("RESTORE VERIFIED: ")
                    .contains("appview.consumer_offsets 6 ").contains("appview.records 3000 ")
                    .contains("appview.actors 200 ").contains("appview.communities 20 ")
                    .contains("drill.posts 5000 ").contains("drill.votes 20000 ");
            // the restored schema still works for the indexer: its functions and the trigram index came back
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM appview.communities WHERE name % 'communit'")) {
                rs.next();
                assertThat(rs.getLong(1)).isPositive();
            }
        }
    }

    private static Path clientTools(int major) throws Exception {
        Optional<Path> bin = PgClientTools.forMajor(major);
        if (bin.isEmpty()) {
            String why = "no pg_dump/pg_restore/psql of major " + major + " (the drill server's version): install "
                    + "postgresql-client-" + major + " or set PG_BIN";
            if ("true".equals(System.getenv("CI"))) {
                fail(why + " — the restore drill must run in CI");
            }
            Assumptions.abort(why);
        }
        return bin.get();
    }

    private static int serverMajor(EmbeddedPostgres pg) throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW server_version_num")) {
            rs.next();
            return Integer.parseInt(rs.getString(1)) / 10000;
        }
    }

    /** The indexer's Flyway migrations in version order (repeatables last), applied with psql as Flyway would. */
    private static void migrate(Path bin, String url) throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(MIGRATIONS)) {
            files = s.filter(f -> f.toString().endsWith(".sql"))
                    .sorted(Comparator.comparing(BackupRestoreDrillTests::migrationOrder)).toList();
        }
        assertThat(files).hasSizeGreaterThan(2);
        psql(bin, url, "-c", "CREATE SCHEMA appview");
        for (Path f : files) {
            psql(bin, url, "-f", f.toString());
        }
    }

    private static long migrationOrder(Path f) {
        String name = f.getFileName().toString();
        return name.startsWith("V") ? Long.parseLong(name.substring(1, name.indexOf("__"))) : Long.MAX_VALUE;
    }

    private static void psql(Path bin, String url, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(bin.resolve("psql").toString(), url, "-X", "-q", "-v", "ON_ERROR_STOP=1"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PGOPTIONS", "-c search_path=appview,public");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", args) + "\n" + out).isZero();
    }

    private static void seed(EmbeddedPostgres pg) throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO appview.consumer_offsets (group_id, topic, partition, next_offset) "
                    + "SELECT 'coves-indexer', 'coves.repo-events.v1', g, 1000 + g * 37 FROM generate_series(0, 5) g");
            st.execute("INSERT INTO appview.records (did, collection, rkey, rev, cid, deleted) SELECT 'did:plc:u' || (g % 200), "
                    + "'social.coves.community.post', 'r' || g, '3l' || lpad(g::text, 10, '0'), 'bafy' || md5(g::text), g % 17 = 0 "
                    + "FROM generate_series(1, 3000) g");
            st.execute("INSERT INTO appview.actors (did, handle, display_name, created_at) SELECT 'did:plc:u' || g, 'user' || g || '.test', "
                    + "'User ' || g, timestamptz '2026-01-01' + g * interval '1 hour' FROM generate_series(0, 199) g");
            st.execute("INSERT INTO appview.communities (did, name, description_facets, content_warnings, subscriber_count, record_uri, created_at) "
                    + "SELECT 'did:plc:c' || g, 'community' || g, jsonb_build_array(jsonb_build_object('i', g)), ARRAY['nsfw'], g * 3, "
                    + "'at://did:plc:c' || g || '/social.coves.community.profile/self', timestamptz '2026-01-01' FROM generate_series(1, 20) g");
            st.execute("CREATE SCHEMA drill");
            st.execute("CREATE TABLE drill.posts (uri text PRIMARY KEY, did text NOT NULL, record jsonb, score bigint, created_at timestamptz)");
            st.execute("CREATE TABLE drill.votes (uri text PRIMARY KEY, subject text REFERENCES drill.posts(uri), dir smallint)");
            st.execute("INSERT INTO drill.posts SELECT 'at://did:plc:' || g || '/p/' || g, 'did:plc:' || (g % 50), "
                    + "jsonb_build_object('text', 'post ' || g, 'langs', jsonb_build_array('en')), g * 7, now() - g * interval '1 minute' FROM generate_series(1, 5000) g");
            st.execute("INSERT INTO drill.votes SELECT 'at://v/' || g, 'at://did:plc:' || (g % 5000 + 1) || '/p/' || (g % 5000 + 1), (g % 2) * 2 - 1 FROM generate_series(1, 20000) g");
        }
    }

}
