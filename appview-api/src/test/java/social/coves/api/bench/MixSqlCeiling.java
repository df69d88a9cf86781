package social.coves.api.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import social.coves.localstack.testing.SharedPostgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The database's ceiling for the mix: the statements the API itself sent while it served the mix, with their
 * parameters, replayed by pgbench in the same proportions on as many connections as the API's pool.
 *
 * <ol>
 *   <li>{@link #capture}: {@code log_statement = 'all'} (ALTER SYSTEM, reloaded) while wrk runs the mix, then off again;
 *   the server's JSON log ({@code coves.postgres.json-log-dir}) holds every {@code execute} with its parameters.
 *   Statements answered from the API's caches never reach the log, so the ceiling counts what the mix really costs the
 *   database per request.</li>
 *   <li>{@link #run}: one pgbench script per statement text (and set of NULL parameters), weighted by how often the API
 *   sent it; each transaction reads one captured parameter set by primary key ({@code \gset}) and runs the statement
 *   with it, prepared. Transactions/s divided by statements per request (from the capture) = requests/s the database
 *   could serve. The look-up's own cost is measured alone beside it.</li>
 * </ol>
 */
final class MixSqlCeiling implements WrkDriver.Window {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$(\\d+)");
    /** pgbench allows at most 128 scripts; the rarest statements beyond that are left out (and counted). */
    private static final int MAX_SCRIPTS = 128;

    private final Path log;
    private final String marker = "coves capture " + System.nanoTime();
    /** Where the log ended when the capture was opened: only what follows is read. */
    private long from;

    /** One statement text with its NULL parameters written in, and every captured parameter set for it. */
    record Logged(String sql, List<String[]> parameterSets) {
    }

    record Capture(List<Logged> statements, long executions, long requests) {
        double statementsPerRequest() {
            return executions / (double) Math.max(1, requests);
        }
    }

    MixSqlCeiling() {
        String dir = System.getProperty("coves.postgres.json-log-dir", "");
        this.log = dir.isEmpty() ? null : Path.of(dir, "postgres.json");
    }

    boolean available() {
        return log != null && PgbenchCeiling.binary() != null;
    }

    @Override
    public void open() {
        try {
            from = Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        switchLogging("ALTER SYSTEM SET log_statement = 'all'", "all", "SELECT 'start of " + marker + "'");
    }

    @Override
    public void close() {
        switchLogging("SELECT 'end of " + marker + "'", null, null);
        switchLogging("ALTER SYSTEM RESET log_statement", "none", null);
    }

    /** The statements logged between {@link #open} and {@link #close}, for {@code requests} requests served meanwhile. */
    Capture capture(long requests) throws Exception {
        Map<String, List<String[]>> byText = new LinkedHashMap<>();
        long executions = 0;
        for (String line : window()) {
            JsonNode entry = JSON.readTree(line);
            String message = entry.path("message").asText("");
            String application = entry.path("application_name").asText("");
            if (!message.startsWith("execute ") || application.startsWith("PostgreSQL JDBC") || application.startsWith("pgbench")) {
                continue;
            }
            String sql = message.substring(message.indexOf(": ") + 2);
            List<String> parameters = parameters(entry.path("detail").asText(""));
            // NULL parameters are written into the statement's text, so each set of them is its own script
            List<String> values = parameters.stream().filter(java.util.Objects::nonNull).toList();
            byText.computeIfAbsent(withPgbenchVariables(sql, parameters), k -> new ArrayList<>()).add(values.toArray(String[]::new));
            executions++;
        }
        List<Logged> statements = new ArrayList<>();
        byText.forEach((sql, sets) -> statements.add(new Logged(sql, sets)));
        statements.sort(Comparator.comparingInt((Logged s) -> s.parameterSets().size()).reversed());
        return new Capture(statements, executions, requests);
    }

    /**
     * Replays the capture with pgbench on {@code connections} connections for {@code duration}; returns the ceiling in
     * requests/s, then the parameter look-ups alone, as rows.
     */
    List<LoadDriver.Result> run(Capture capture, int connections, Duration duration) throws Exception {
        List<Logged> kept = capture.statements().stream().limit(MAX_SCRIPTS).toList();
        long keptExecutions = kept.stream().mapToLong(s -> s.parameterSets().size()).sum();
        SharedPostgres.Connection pg = SharedPostgres.connection();
        Path dir = Files.createDirectories(Path.of("target", "bench", "pgbench", "mix"));
        try (Stream<Path> old = Files.list(dir)) {
            old.forEach(p -> p.toFile().delete());
        }
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
            storeParameters(c, kept);
        }
        List<String> full = new ArrayList<>();
        List<String> lookUps = new ArrayList<>();
        for (int k = 0; k < kept.size(); k++) {
            Logged s = kept.get(k);
            int weight = s.parameterSets().size();
            String lookUp = lookUp(k, s);
            full.add(Files.writeString(dir.resolve("s" + k + ".sql"), lookUp + s.sql() + ";\n") + "@" + weight);
            lookUps.add(Files.writeString(dir.resolve("l" + k + ".sql"), lookUp.isEmpty() ? "SELECT 1;\n" : lookUp + "\n") + "@" + weight);
        }
        double perRequest = capture.statementsPerRequest();
        String note = String.format("%.2f statements/request, %d texts, %.1f %% of executions kept", perRequest,
                capture.statements().size(), 100.0 * keptExecutions / Math.max(1, capture.executions()));
        LoadDriver.Result statements = PgbenchCeiling.runScripts("mix SQL (" + note + ")", full, connections, duration, dir.resolve("tx"));
        LoadDriver.Result lookUpsAlone = PgbenchCeiling.runScripts("mix SQL: parameter look-ups alone", lookUps, connections, duration,
                dir.resolve("lk"));
        profile = profile(dir.resolve("tx.out"), kept);
        return List.of(perRequest(statements, perRequest), perRequest(lookUpsAlone, perRequest));
    }

    private List<String> profile = List.of();

    /** The statements that took most of pgbench's time (transactions × average latency, per script), after {@link #run}. */
    List<String> profile() {
        return profile;
    }

    private static final Pattern SCRIPT = Pattern.compile("^SQL script (\\d+): ");
    private static final Pattern TRANSACTIONS = Pattern.compile("^ - (\\d+) transactions");
    private static final Pattern AVERAGE = Pattern.compile("^ - latency average = ([0-9.]+) ms");

    private static List<String> profile(Path pgbenchOutput, List<Logged> kept) throws IOException {
        record Share(int script, double millis, long transactions) {
        }
        List<Share> shares = new ArrayList<>();
        int script = -1;
        long transactions = 0;
        for (String line : Files.readAllLines(pgbenchOutput)) {
            Matcher m;
            if ((m = SCRIPT.matcher(line)).find()) {
                script = Integer.parseInt(m.group(1)) - 1;
            } else if (script >= 0 && (m = TRANSACTIONS.matcher(line)).find()) {
                transactions = Long.parseLong(m.group(1));
            } else if (script >= 0 && (m = AVERAGE.matcher(line)).find()) {
                shares.add(new Share(script, transactions * Double.parseDouble(m.group(1)), transactions));
            }
        }
        double total = shares.stream().mapToDouble(Share::millis).sum();
        return shares.stream().sorted(Comparator.comparingDouble(Share::millis).reversed()).limit(10)
                .map(s -> {
                    String sql = kept.get(s.script()).sql().replaceAll("\\s+", " ");
                    return String.format("%4.1f %% of the mix's SQL time, %5.1f %% of its statements: %s", 100 * s.millis() / total,
                            100.0 * kept.get(s.script()).parameterSets().size() / kept.stream().mapToLong(l -> l.parameterSets().size()).sum(),
                            sql.length() > 160 ? sql.substring(0, 160) + "…" : sql);
                }).toList();
    }

    /** Transactions (one statement each) per second → requests per second; latencies stay per statement. */
    private static LoadDriver.Result perRequest(LoadDriver.Result r, double statementsPerRequest) {
        return new LoadDriver.Result(r.name() + " → requests", r.clients(), Math.round(r.requests() / statementsPerRequest), r.errors(),
                r.seconds(), r.p50Ms(), r.p99Ms(), r.maxMs());
    }

    private static String lookUp(int k, Logged s) {
        int n = s.parameterSets().getFirst().length;
        if (n == 0) {
            return "";
        }
        StringBuilder columns = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            columns.append(i == 1 ? "" : ", ").append("p[").append(i).append("] AS p").append(i);
        }
        return "\\set i random(1, " + s.parameterSets().size() + ")\n"
                + "SELECT " + columns + " FROM bench_mix.params WHERE k = " + k + " AND i = :i \\gset\n";
    }

    private static void storeParameters(Connection c, List<Logged> statements) throws Exception {
        try (Statement ddl = c.createStatement()) {
            ddl.execute("DROP SCHEMA IF EXISTS bench_mix CASCADE");
            ddl.execute("CREATE SCHEMA bench_mix");
            ddl.execute("CREATE TABLE bench_mix.params (k int, i int, p text[], PRIMARY KEY (k, i))");
        }
        c.setAutoCommit(false);
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO bench_mix.params (k, i, p) VALUES (?, ?, ?)")) {
            for (int k = 0; k < statements.size(); k++) {
                List<String[]> sets = statements.get(k).parameterSets();
                for (int i = 0; i < sets.size(); i++) {
                    insert.setInt(1, k);
                    insert.setInt(2, i + 1);
                    insert.setArray(3, c.createArrayOf("text", sets.get(i)));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
        c.commit();
        c.setAutoCommit(true);
        try (Statement analyze = c.createStatement()) {
            analyze.execute("ANALYZE bench_mix.params");
        }
    }

    /**
     * The statement as pgbench runs it: {@code $n} becomes {@code :pn} (numbered among the non-NULL parameters) or
     * {@code NULL}; a colon inside a quoted literal is spelled {@code chr(58)}, since pgbench reads {@code :name} as a
     * variable anywhere.
     */
    static String withPgbenchVariables(String sql, List<String> parameters) {
        int[] variable = new int[parameters.size() + 1];
        int next = 1;
        for (int i = 0; i < parameters.size(); i++) {
            variable[i + 1] = parameters.get(i) == null ? 0 : next++;
        }
        StringBuilder out = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < sql.length(); i++) {
            char ch = sql.charAt(i);
            if (ch == '\'') {
                quoted = !quoted;
                out.append(ch);
            } else if (quoted && ch == ':') {
                out.append("' || chr(58) || '");
            } else if (!quoted && ch == '$') {
                Matcher m = PLACEHOLDER.matcher(sql).region(i, sql.length());
                if (m.lookingAt()) {
                    int n = Integer.parseInt(m.group(1));
                    out.append(n < variable.length && variable[n] > 0 ? ":p" + variable[n] : "NULL");
                    i = m.end() - 1;
                } else {
                    out.append(ch);
                }
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    /** {@code Parameters: $1 = 'a''b', $2 = NULL} → ["a'b", null]. */
    static List<String> parameters(String detail) {
        List<String> values = new ArrayList<>();
        if (!detail.startsWith("Parameters: ")) {
            return values;
        }
        int i = "Parameters: ".length();
        while (i < detail.length()) {
            int eq = detail.indexOf(" = ", i);
            if (eq < 0) {
                break;
            }
            i = eq + 3;
            if (detail.startsWith("NULL", i)) {
                values.add(null);
                i += 4;
            } else {
                StringBuilder value = new StringBuilder();
                i++; // opening quote
                while (i < detail.length()) {
                    char ch = detail.charAt(i);
                    if (ch == '\'') {
                        if (i + 1 < detail.length() && detail.charAt(i + 1) == '\'') {
                            value.append('\'');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    value.append(ch);
                    i++;
                }
                values.add(value.toString());
            }
            i += 2; // ", "
        }
        return values;
    }

    /**
     * Runs {@code statement}; when {@code until} is given, reloads the configuration and waits until this session sees
     * {@code log_statement = until} (a reload reaches each backend a moment later), then runs {@code then}.
     */
    private static void switchLogging(String statement, String until, String then) {
        SharedPostgres.Connection pg = SharedPostgres.connection();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password()); Statement s = c.createStatement()) {
            s.execute(statement);
            if (until != null) {
                s.execute("SELECT pg_reload_conf()");
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (true) {
                    try (var rs = s.executeQuery("SHOW log_statement")) {
                        rs.next();
                        if (rs.getString(1).equals(until)) {
                            break;
                        }
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("log_statement never became " + until);
                    }
                    Thread.sleep(20); // waiting for the server's reload to reach this session
                }
            }
            if (then != null) {
                s.execute(then);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not switch statement logging", e);
        }
    }

    /**
     * The log's lines after the start marker and before the end marker, read from where the log ended at {@link #open},
     * once the end marker is written (the logging collector writes behind the server).
     */
    private List<String> window() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            List<String> lines = new ArrayList<>();
            boolean started = false;
            try (var channel = java.nio.channels.FileChannel.open(log);
                 var reader = new java.io.BufferedReader(java.nio.channels.Channels.newReader(channel.position(from), StandardCharsets.UTF_8), 1 << 20)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (!started) {
                        started = line.contains("start of " + marker);
                    } else if (line.contains("end of " + marker)) {
                        return lines;
                    } else if (line.startsWith("{")) {
                        lines.add(line);
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the statement log " + log + " never showed the capture's end marker");
            }
            Thread.sleep(200); // polling a file the server writes behind; not a timing assumption
        }
    }
}
