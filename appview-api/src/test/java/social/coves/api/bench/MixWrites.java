package social.coves.api.bench;

import social.coves.localstack.testing.SharedPostgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the indexer would be folding while users read: every 100 ms (the indexer commits in batches too) a transaction
 * that changes the vote counts of recent posts in communities drawn by the same Zipf(1.1) as the reads (the busy
 * communities get most of the votes) and adds votes of the benchmark's viewers. The tables' change notices then reach
 * the API as they would in production, so answers it keeps until their index changes are dropped at a realistic rate
 * instead of never. {@code postsPerSecond} 0 writes nothing.
 */
final class MixWrites implements AutoCloseable {

    private static final String BUMP_POSTS = """
            UPDATE appview.posts SET upvotes = upvotes + 1
             WHERE uri IN (SELECT (SELECT p.uri FROM appview.posts p WHERE p.community_did = x.c AND p.deleted_at IS NULL
                                    ORDER BY p.created_at DESC, p.uri DESC OFFSET x.o LIMIT 1)
                             FROM unnest(?::text[], ?::int[]) AS x(c, o))""";
    private static final String VOTE = """
            INSERT INTO appview.votes (uri, cid, voter_did, rkey, subject_uri, subject_cid, direction, created_at)
            SELECT 'at://' || ? || '/social.coves.feed.vote/' || ?, 'bafyreibenchvote', ?, ?, p.uri, p.cid, 'up', now()
              FROM appview.posts p WHERE p.community_did = ? AND p.deleted_at IS NULL
             ORDER BY p.created_at DESC, p.uri DESC OFFSET ? LIMIT 1
            ON CONFLICT DO NOTHING""";

    private final int postsPerTick;
    private final int votesPerTick;
    private final Zipf communities;
    private final Random random = new Random(7);
    private final AtomicLong rkeys = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private ScheduledExecutorService ticks;
    private ScheduledFuture<?> running;
    private Connection connection;

    /** {@code postsPerSecond} posts' counts changed per second, and a tenth as many viewer votes. */
    MixWrites(int communities, int postsPerSecond) {
        this.communities = new Zipf(communities, 1.1);
        this.postsPerTick = Math.max(0, postsPerSecond / 10);
        this.votesPerTick = postsPerSecond > 0 ? Math.max(1, postsPerTick / 10) : 0;
    }

    String describe() {
        return postsPerTick == 0 ? "no writes"
                : String.format("beside a write stream of %d post count changes and %d viewer votes per second, in 10 commits per second",
                postsPerTick * 10, votesPerTick * 10);
    }

    void start() throws Exception {
        if (postsPerTick == 0 || running != null) {
            return;
        }
        SharedPostgres.Connection pg = SharedPostgres.connection();
        connection = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
        connection.setAutoCommit(false);
        ticks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-writes");
            t.setDaemon(true);
            return t;
        });
        running = ticks.scheduleAtFixedRate(this::tick, 0, 100, TimeUnit.MILLISECONDS);
    }

    void stop() throws Exception {
        if (running == null) {
            return;
        }
        running.cancel(false);
        ticks.shutdown();
        ticks.awaitTermination(10, TimeUnit.SECONDS);
        connection.close();
        running = null;
    }

    long written() {
        return written.get();
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    private void tick() {
        try (PreparedStatement bump = connection.prepareStatement(BUMP_POSTS); PreparedStatement vote = connection.prepareStatement(VOTE)) {
            String[] dids = new String[postsPerTick];
            Integer[] offsets = new Integer[postsPerTick];
            for (int i = 0; i < postsPerTick; i++) {
                dids[i] = BenchDataset.did("benchcomm", communities.draw(random));
                offsets[i] = random.nextInt(30); // recent posts: the ones on first pages
            }
            bump.setArray(1, connection.createArrayOf("text", dids));
            bump.setArray(2, connection.createArrayOf("int4", offsets));
            written.addAndGet(bump.executeUpdate());
            for (int i = 0; i < votesPerTick; i++) {
                String voter = BenchDataset.viewer(1 + random.nextInt(BenchDataset.VIEWERS));
                String rkey = "3benchvote" + rkeys.incrementAndGet();
                vote.setString(1, voter);
                vote.setString(2, rkey);
                vote.setString(3, voter);
                vote.setString(4, rkey);
                vote.setString(5, BenchDataset.did("benchcomm", communities.draw(random)));
                vote.setInt(6, random.nextInt(30));
                written.addAndGet(vote.executeUpdate());
            }
            connection.commit();
        } catch (Exception e) {
            try {
                connection.rollback();
            } catch (Exception ignored) {
                // the next tick tries again
            }
            System.out.println("bench writes: " + e.getMessage());
        }
    }
}
