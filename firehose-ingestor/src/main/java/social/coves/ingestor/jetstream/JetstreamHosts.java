package social.coves.ingestor.jetstream;

import java.net.URI;
import java.util.List;

/**
 * The configured Jetstream endpoints in failover order. The consumer stays on one host while it makes progress and
 * moves to the next after repeated failures; seqs are instance-local, so a switch resumes from a time cursor.
 */
public final class JetstreamHosts {

    private final List<URI> urls;
    private int current;

    public JetstreamHosts(List<String> urls) {
        this.urls = urls.stream().map(String::trim).filter(u -> !u.isEmpty()).map(URI::create).toList();
        if (this.urls.isEmpty()) {
            throw new IllegalArgumentException("coves.jetstream.url lists no endpoint");
        }
    }

    public synchronized URI current() {
        return urls.get(current);
    }

    /** Identifies the seq space of a host in Kafka headers ({@code host:port}). */
    public synchronized String currentSource() {
        return current().getAuthority();
    }

    /** Moves to the next host; returns true when that is a different host. */
    public synchronized boolean failOver() {
        current = (current + 1) % urls.size();
        return urls.size() > 1;
    }

    public int size() {
        return urls.size();
    }
}
