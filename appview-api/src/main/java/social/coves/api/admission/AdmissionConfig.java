package social.coves.api.admission;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code coves.api.admission.*}: how many reads run at once and how many may wait for their turn. */
@ConfigMapping(prefix = "coves.api.admission")
public interface AdmissionConfig {

    /** Off: every read starts at once (processor sharing between all of them). */
    @WithDefault("true")
    boolean enabled();

    /** Reads running at once per replica; the rest wait in arrival order. */
    @WithDefault("16")
    int maxRunning();

    /** Reads waiting at most; one more is refused with 503 {@code ServiceUnavailable} and {@code Retry-After}. */
    @WithDefault("2000")
    int maxWaiting();
}
