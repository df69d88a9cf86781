package social.coves.ingestor.export;

import social.coves.lexicon.CovesCollections;
import social.coves.lexicon.envelope.EventEnvelope;
import social.coves.lexicon.records.ActorProfile;
import social.coves.lexicon.records.CommunityBlock;
import social.coves.lexicon.records.CommunityComment;
import social.coves.lexicon.records.CommunityPost;
import social.coves.lexicon.records.CommunityProfile;
import social.coves.lexicon.records.CommunitySubscription;
import social.coves.lexicon.records.StrongRef;
import social.coves.lexicon.records.Vote;
import social.coves.lexicon.schema.Graphemes;
import social.coves.lexicon.syntax.Datetime;

import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The tables the export writes (docs/analytics.md lists their columns): one per record family of
 * {@code coves.repo-events.v1}, one for {@code coves.identity-events.v1}, and {@code malformed_events} for values that
 * are not envelopes ({@code other_commits} takes collections that have no table of their own yet). A commit row keeps the operation, so deletes are rows too (their record columns are NULL).
 */
public final class ExportTables {

    public static final String DEPTH = "depth";

    /** Collection → its own table; commits of any other collection go to {@code other_commits}. */
    private static final Map<String, String> TABLE_OF_COLLECTION = new java.util.concurrent.ConcurrentHashMap<>();

    private static final Type STRING = Types.StringType.get();
    private static final Type LONG = Types.LongType.get();
    private static final Type INT = Types.IntegerType.get();
    private static final Type BOOL = Types.BooleanType.get();
    private static final Type TIME = Types.TimestampType.withZone();
    private static final Type STRINGS = Types.ListType.ofOptional(0, Types.StringType.get());   // ids reassigned on create

    public static final List<ExportTable> ALL = List.of(
            repoTable("posts", CovesCollections.COMMUNITY_POST, List.of(
                    col("community", STRING, e -> post(e, p -> p.community().toString())),
                    col("author", STRING, e -> post(e, p -> p.author().toString())),
                    col("title", STRING, e -> post(e, CommunityPost::title)),
                    col("title_length", INT, e -> post(e, p -> graphemes(p.title()))),
                    col("content_length", INT, e -> post(e, p -> graphemes(p.content()))),
                    col("langs", STRINGS, e -> post(e, CommunityPost::langs)),
                    col("labels", STRINGS, e -> post(e, CommunityPost::labels)),
                    col("tags", STRINGS, e -> post(e, CommunityPost::tags)),
                    col("embed_type", STRING, e -> post(e, CommunityPost::embedType)),
                    col("crosspost_of", STRING, e -> post(e, p -> uri(p.crosspostOf()))),
                    col("created_at", TIME, e -> post(e, p -> time(p.createdAt()))))),
            repoTable("comments", CovesCollections.COMMUNITY_COMMENT, List.of(
                    col("root_uri", STRING, e -> comment(e, c -> uri(c.reply().root()))),
                    col("root_cid", STRING, e -> comment(e, c -> c.reply().root().cid().toString())),
                    col("parent_uri", STRING, e -> comment(e, c -> uri(c.reply().parent()))),
                    col("parent_cid", STRING, e -> comment(e, c -> c.reply().parent().cid().toString())),
                    col(DEPTH, INT, e -> null),   // filled by CommentDepths
                    col("content_length", INT, e -> comment(e, c -> graphemes(c.content()))),
                    col("langs", STRINGS, e -> comment(e, CommunityComment::langs)),
                    col("labels", STRINGS, e -> comment(e, CommunityComment::labels)),
                    col("embed_type", STRING, e -> comment(e, c -> c.embed() == null ? null : c.embed().path("$type").asText(null))),
                    col("created_at", TIME, e -> comment(e, c -> time(c.createdAt()))))),
            repoTable("votes", CovesCollections.FEED_VOTE, List.of(
                    col("subject_uri", STRING, e -> vote(e, v -> uri(v.subject()))),
                    col("subject_cid", STRING, e -> vote(e, v -> v.subject().cid().toString())),
                    col("subject_collection", STRING, e -> vote(e, v -> v.subject().collection())),
                    col("direction", STRING, e -> vote(e, Vote::direction)),
                    col("created_at", TIME, e -> vote(e, v -> time(v.createdAt()))))),
            repoTable("subscriptions", CovesCollections.COMMUNITY_SUBSCRIPTION, List.of(
                    col("community", STRING, e -> subscription(e, s -> s.subject().toString())),
                    col("content_visibility", INT, e -> subscription(e, CommunitySubscription::contentVisibility)),
                    col("ended_at", TIME, e -> subscription(e, s -> time(s.endedAt()))),
                    col("created_at", TIME, e -> subscription(e, s -> time(s.createdAt()))))),
            repoTable("blocks", CovesCollections.COMMUNITY_BLOCK, List.of(
                    col("community", STRING, e -> block(e, b -> b.subject().toString())),
                    col("created_at", TIME, e -> block(e, b -> time(b.createdAt()))))),
            repoTable("communities", CovesCollections.COMMUNITY_PROFILE, List.of(
                    col("name", STRING, e -> community(e, CommunityProfile::name)),
                    col("display_name", STRING, e -> community(e, CommunityProfile::displayName)),
                    col("description_length", INT, e -> community(e, c -> graphemes(c.description()))),
                    col("visibility", STRING, e -> community(e, CommunityProfile::visibility)),
                    col("moderation_type", STRING, e -> community(e, CommunityProfile::moderationType)),
                    col("created_by", STRING, e -> community(e, c -> c.createdBy().toString())),
                    col("hosted_by", STRING, e -> community(e, c -> c.hostedBy().toString())),
                    col("handle", STRING, e -> community(e, CommunityProfile::handle)),
                    col("created_at", TIME, e -> community(e, c -> time(c.createdAt()))))),
            repoTable("actor_profiles", CovesCollections.ACTOR_PROFILE, List.of(
                    col("display_name", STRING, e -> actor(e, ActorProfile::displayName)),
                    col("bio_length", INT, e -> actor(e, a -> graphemes(a.bio()))))),
            new ExportTable("other_commits", e -> e.envelope() != null && e.envelope().commit() != null
                    && !TABLE_OF_COLLECTION.containsKey(e.envelope().commit().collection()), concat(
                    commitColumns(),
                    List.of(col("collection", STRING, e -> e.commit().collection())),
                    sourceColumns(),
                    List.of(col("record_json", STRING, e -> recordJson(e))))),
            new ExportTable("identity_events", e -> e.envelope() != null && e.envelope().commit() == null, concat(List.of(
                    col("did", STRING, e -> e.envelope().did()),
                    col("kind", STRING, e -> e.envelope().kind()),
                    col("handle", STRING, e -> identity(e, EventEnvelope.Identity::handle)),
                    col("active", BOOL, e -> account(e, EventEnvelope.Account::active)),
                    col("status", STRING, e -> account(e, EventEnvelope.Account::status)),
                    col("upstream_seq", LONG, e -> e.envelope().identity() != null ? e.envelope().identity().seq() : e.envelope().account().seq()),
                    col("upstream_time", STRING, e -> e.envelope().identity() != null ? e.envelope().identity().time() : e.envelope().account().time())),
                    sourceColumns(),
                    List.of(col("event_json", STRING, e -> e.raw())))),
            new ExportTable("malformed_events", e -> e.envelope() == null, List.of(
                    col("topic", STRING, LogEvent::topic),
                    col("reason", STRING, LogEvent::malformedReason),
                    col("raw_value", STRING, LogEvent::raw),
                    col(ExportTable.PARTITION_COLUMN, TIME, LogEvent::eventTime),
                    col("kafka_partition", INT, LogEvent::partition),
                    col("kafka_offset", LONG, LogEvent::offset))));

    private ExportTables() {
    }

    public static ExportTable named(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no exported table " + name));
    }

    /** The one table a log event belongs to. */
    public static ExportTable of(LogEvent event) {
        for (ExportTable table : ALL) {
            if (table.accepts().test(event)) {
                return table;
            }
        }
        throw new IllegalStateException("no table for " + event.topic() + "/" + event.partition() + "@" + event.offset());
    }

    /** A table of one collection: the commit's identity, the family's columns, then where it came from in the log. */
    private static ExportTable repoTable(String name, String collection, List<ExportColumn> family) {
        TABLE_OF_COLLECTION.put(collection, name);
        return new ExportTable(name, e -> e.envelope() != null && e.envelope().commit() != null
                && collection.equals(e.envelope().commit().collection()),
                concat(commitColumns(), family, sourceColumns(), List.of(col("record_json", STRING, ExportTables::recordJson))));
    }

    /** Which record a commit touched and how. */
    private static List<ExportColumn> commitColumns() {
        return List.of(
                col("uri", STRING, e -> e.commit().uri(e.envelope().did())),
                col("repo", STRING, e -> e.envelope().did()),
                col("rkey", STRING, e -> e.commit().rkey()),
                col("operation", STRING, e -> e.commit().operation()),
                col("rev", STRING, e -> e.commit().rev()),
                col("cid", STRING, e -> e.commit().cid()));
    }

    private static String recordJson(LogEvent e) {
        return e.recordJson();
    }

    /** Where an envelope came from: Jetstream's time and cursor, the ingestor's host and clock, the Kafka position. */
    private static List<ExportColumn> sourceColumns() {
        return List.of(
                col("time_us", LONG, e -> e.envelope().timeUs()),
                col(ExportTable.PARTITION_COLUMN, TIME, LogEvent::eventTime),
                col("seq", LONG, e -> e.envelope().seq()),
                col("source", STRING, e -> e.envelope().source()),
                col("received_at", TIME, e -> LogEvent.utc(e.envelope().receivedAt())),
                col("kafka_partition", INT, LogEvent::partition),
                col("kafka_offset", LONG, LogEvent::offset));
    }

    @SafeVarargs
    private static List<ExportColumn> concat(List<ExportColumn>... parts) {
        List<ExportColumn> all = new ArrayList<>();
        for (List<ExportColumn> part : parts) {
            all.addAll(part);
        }
        return List.copyOf(all);
    }

    private static ExportColumn col(String name, Type type, Function<LogEvent, Object> value) {
        return new ExportColumn(name, type, value);
    }

    private static Integer graphemes(String text) {
        return text == null ? null : Graphemes.count(text);
    }

    private static String uri(StrongRef ref) {
        return ref == null ? null : ref.uri().toString();
    }

    private static Object time(Datetime datetime) {
        return datetime == null ? null : LogEvent.utc(datetime.instant());
    }

    private static <R, V> V typed(LogEvent e, Class<R> type, Function<R, V> read) {
        return type.isInstance(e.record()) ? read.apply(type.cast(e.record())) : null;
    }

    private static Object post(LogEvent e, Function<CommunityPost, Object> read) {
        return typed(e, CommunityPost.class, read);
    }

    private static Object comment(LogEvent e, Function<CommunityComment, Object> read) {
        return typed(e, CommunityComment.class, read);
    }

    private static Object vote(LogEvent e, Function<Vote, Object> read) {
        return typed(e, Vote.class, read);
    }

    private static Object subscription(LogEvent e, Function<CommunitySubscription, Object> read) {
        return typed(e, CommunitySubscription.class, read);
    }

    private static Object block(LogEvent e, Function<CommunityBlock, Object> read) {
        return typed(e, CommunityBlock.class, read);
    }

    private static Object community(LogEvent e, Function<CommunityProfile, Object> read) {
        return typed(e, CommunityProfile.class, read);
    }

    private static Object actor(LogEvent e, Function<ActorProfile, Object> read) {
        return typed(e, ActorProfile.class, read);
    }

    private static Object identity(LogEvent e, Function<EventEnvelope.Identity, Object> read) {
        return e.envelope().identity() == null ? null : read.apply(e.envelope().identity());
    }

    private static Object account(LogEvent e, Function<EventEnvelope.Account, Object> read) {
        return e.envelope().account() == null ? null : read.apply(e.envelope().account());
    }
}
