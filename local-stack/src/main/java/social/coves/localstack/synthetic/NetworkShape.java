package social.coves.localstack.synthetic;

/**
 * How big a {@link SyntheticNetwork} is and how skewed.
 *
 * @param events            frames to emit in total
 * @param users             accounts that join over the first 80% of the stream
 * @param communities       communities, all created at the start; their popularity follows Zipf's law
 * @param communityZipf     exponent of community popularity (1.0 = classic Zipf: rank k gets ~1/k of rank 1)
 * @param userZipf          exponent of user activity (a few accounts post and vote much more than most)
 * @param meanGapMicros     mean distance between two frames' {@code time_us}
 */
public record NetworkShape(long events, int users, int communities, double communityZipf, double userZipf, long meanGapMicros) {

    public NetworkShape {
        if (events < 1 || users < 1 || communities < 1 || meanGapMicros < 1) {
            throw new IllegalArgumentException("events, users, communities and meanGapMicros must be positive");
        }
    }

    /** Proportions of a busy network: ~1 user per 100 frames and 1 community per 2,000 (at least 20 and 5). */
    public static NetworkShape forEvents(long events) {
        int users = (int) Math.min(5_000_000, Math.max(20, events / 100));
        int communities = (int) Math.min(100_000, Math.max(5, events / 2_000));
        return new NetworkShape(events, users, communities, 1.0, 0.8, 500);
    }

    public NetworkShape withCommunities(int count) {
        return new NetworkShape(events, users, count, communityZipf, userZipf, meanGapMicros);
    }

    public NetworkShape withUsers(int count) {
        return new NetworkShape(events, count, communities, communityZipf, userZipf, meanGapMicros);
    }
}
