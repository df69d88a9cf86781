package social.coves.ingestor.jetstream;

import java.util.HashMap;
import java.util.Map;

/**
 * Same tuning as {@link ResilienceProfile}, but no time rewind: a disconnect every few dozen events would otherwise
 * replay the whole 10 s window each time and never progress (the stand-in's legacy times are unique, as on legacy
 * servers, so the inclusive time cursor alone is gapless).
 */
public class CompressedLegacyProfile extends ResilienceProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("coves.jetstream.rewind-time", "PT0S");
        return config;
    }
}
