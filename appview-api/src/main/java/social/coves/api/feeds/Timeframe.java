package social.coves.api.feeds;

import social.coves.api.xrpc.XrpcException;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** The window of {@code sort=top}; {@code day} by default, ignored by the other sorts. */
public enum Timeframe {
    HOUR(Duration.ofHours(1)), DAY(Duration.ofDays(1)), WEEK(Duration.ofDays(7)), MONTH(Duration.ofDays(30)),
    YEAR(Duration.ofDays(365)), ALL(null);

    private final Duration window;

    Timeframe(Duration window) {
        this.window = window;
    }

    public static Timeframe parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            return DAY;
        }
        try {
            return valueOf(raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw XrpcException.invalidRequest("timeframe must be hour, day, week, month, year or all");
        }
    }

    public Optional<Duration> window() {
        return Optional.ofNullable(window);
    }
}
