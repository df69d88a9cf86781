package social.coves.ingestor.export;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import social.coves.ingestor.IngestorRoles;

/**
 * The export role: with {@code coves.ingestor.export.enabled=true} (and the jetstream and indexer roles off) the process
 * exports the topics to Iceberg tables ({@link KafkaLogExport}). With {@code coves.export.until=end} it stops at the end
 * offsets seen at start and exits with 0 (1 when it failed: run it again, it resumes exactly); with {@code follow} it
 * keeps exporting until the process is stopped, committing what it has read on the way out.
 */
@ApplicationScoped
public class ExportCommand {

    private static final Logger LOG = Logger.getLogger(ExportCommand.class);

    private final IngestorRoles roles;
    private final ExportConfig config;
    private final String bootstrap;
    private final MeterRegistry registry;
    private volatile KafkaLogExport running;
    private volatile Thread thread;

    public ExportCommand(IngestorRoles roles, ExportConfig config,
                         @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap, MeterRegistry registry) {
        this.roles = roles;
        this.config = config;
        this.bootstrap = bootstrap;
        this.registry = registry;
    }

    void start(@Observes StartupEvent ignored) {
        if (!roles.export()) {
            return;
        }
        if (roles.indexer() || roles.jetstream() || roles.rebuild()) {
            throw new IllegalStateException("coves.ingestor.export.enabled=true runs alone: set coves.ingestor.indexer.enabled=false "
                    + "and coves.ingestor.jetstream.enabled=false");
        }
        running = new KafkaLogExport(config.settings(bootstrap), ExportFaults.NONE, metrics());
        thread = Thread.ofPlatform().name("kafka-log-export").start(() -> {
            try {
                running.run();
                Quarkus.asyncExit(0);
            } catch (Throwable e) {   // an Error too: a Job whose export died must not hang
                LOG.errorf(e, "export failed; run it again to resume from the offsets its tables recorded");
                Quarkus.asyncExit(1);
            }
        });
    }

    /**
     * {@code coves_export_events_read_total} (read, committed or not) and {@code coves_export_rows_committed_total}
     * and {@code coves_export_commits_total} per table: a following export's progress and lag on {@code /q/metrics}.
     */
    private ExportProgress metrics() {
        Counter read = registry.counter("coves_export_events_read");
        return new ExportProgress() {
            @Override
            public void read(int events) {
                read.increment(events);
            }

            @Override
            public void committed(String table, int rows) {
                registry.counter("coves_export_rows_committed", "table", table).increment(rows);
                registry.counter("coves_export_commits", "table", table).increment();
            }
        };
    }

    void stop(@Observes ShutdownEvent ignored) throws InterruptedException {
        if (running != null && thread != null && thread.isAlive()) {
            running.stop();
            thread.join(java.time.Duration.ofSeconds(60));
        }
    }
}
