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
 * are not envelopes ({@code other_commits} takes collections that have no table of their own yet). A commit row keeps
 * the operation, so deletes are rows too (their record columns are NULL).
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
                    col("community", STRING, e -> typed(e, CommunityPost.class, p -> p.community().toString())),
                    col("author", STRING, e -> typed(e, CommunityPost.class, p -> p.author().toString())),
                    col("title", STRING, e -> typed(e, CommunityPost.class, CommunityPost::title)),
                    col("title_length", INT, e -> typed(e, CommunityPost.class, p -> graphemes(p.title()))),
                    col("content_length", INT, e -> typed(e, CommunityPost.class, p -> graphemes(p.content()))),
                    col("langs", STRINGS, e -> typed(e, CommunityPost.class, CommunityPost::langs)),
                    col("labels", STRINGS, e -> typed(e, CommunityPost.class, CommunityPost::labels)),
                    col("tags", STRINGS, e -> typed(e, CommunityPost.class, CommunityPost::tags)),
                    col("embed_type", STRING, e -> typed(e, CommunityPost.class, CommunityPost::embedType)),
                    col("crosspost_of", STRING, e -> typed(e, CommunityPost.class, p -> uri(p.crosspostOf()))),
                    col("created_at", TIME, e -> typed(e, CommunityPost.class, p -> time(p.createdAt()))))),
            repoTable("comments", CovesCollections.COMMUNITY_COMMENT, List.of(
                    col("root_uri", STRING, e -> typed(e, CommunityComment.class, c -> uri(c.reply().root()))),
                    col("root_cid", STRING, e -> typed(e, CommunityComment.class, c -> c.reply().root().cid().toString())),
                    col("parent_uri", STRING, e -> typed(e, CommunityComment.class, c -> uri(c.reply().parent()))),
                    col("parent_cid", STRING, e -> typed(e, CommunityComment.class, c -> c.reply().parent().cid().toString())),
                    col(DEPTH, INT, e -> null),   // filled by CommentDepths
                    col("content_length", INT, e -> typed(e, CommunityComment.class, c -> graphemes(c.content()))),
                    col("langs", STRINGS, e -> typed(e, CommunityComment.class, CommunityComment::langs)),
                    col("labels", STRINGS, e -> typed(e, CommunityComment.class, CommunityComment::labels)),
                    col("embed_type", STRING, e -> typed(e, CommunityComment.class,
                            c -> c.embed() == null ? null : c.embed().path("$type").asText(null))),
                    col("created_at", TIME, e -> typed(e, CommunityComment.class, c -> time(c.createdAt()))))),
            repoTable("votes", CovesCollections.FEED_VOTE, List.of(
                    col("subject_uri", STRING, e -> typed(e, Vote.class, v -> uri(v.subject()))),
                    col("subject_cid", STRING, e -> typed(e, Vote.class, v -> v.subject().cid().toString())),
                    col("subject_collection", STRING, e -> typed(e, Vote.class, v -> v.subject().collection())),
                    col("direction", STRING, e -> typed(e, Vote.class, Vote::direction)),
                    col("created_at", TIME, e -> typed(e, Vote.class, v -> time(v.createdAt()))))),
            repoTable("subscriptions", CovesCollections.COMMUNITY_SUBSCRIPTION, List.of(
                    col("community", STRING, e -> typed(e, CommunitySubscription.class, s -> s.subject().toString())),
                    col("content_visibility", INT, e -> typed(e, CommunitySubscription.class, CommunitySubscription::contentVisibility)),
                    col("ended_at", TIME, e -> typed(e, CommunitySubscription.class, s -> time(s.endedAt()))),
                    col("created_at", TIME, e -> typed(e, CommunitySubscription.class, s -> time(s.createdAt()))))),
            repoTable("blocks", CovesCollections.COMMUNITY_BLOCK, List.of(
                    col("community", STRING, e -> typed(e, CommunityBlock.class, b -> b.subject().toString())),
                    col("created_at", TIME, e -> typed(e, CommunityBlock.class, b -> time(b.createdAt()))))),
            repoTable("communities", CovesCollections.COMMUNITY_PROFILE, List.of(
                    col("name", STRING, e -> typed(e, CommunityProfile.class, CommunityProfile::name)),
                    col("display_name", STRING, e -> typed(e, CommunityProfile.class, CommunityProfile::displayName)),
                    col("description_length", INT, e -> typed(e, CommunityProfile.class, c -> graphemes(c.description()))),
                    col("visibility", STRING, e -> typed(e, CommunityProfile.class, CommunityProfile::visibility)),
                    col("moderation_type", STRING, e -> typed(e, CommunityProfile.class, CommunityProfile::moderationType)),
                    col("created_by", STRING, e -> typed(e, CommunityProfile.class, c -> c.createdBy().toString())),
                    col("hosted_by", STRING, e -> typed(e, CommunityProfile.class, c -> c.hostedBy().toString())),
                    col("handle", STRING, e -> typed(e, CommunityProfile.class, CommunityProfile::handle)),
                    col("created_at", TIME, e -> typed(e, CommunityProfile.class, c -> time(c.createdAt()))))),
            repoTable("actor_profiles", CovesCollections.ACTOR_PROFILE, List.of(
                    col("display_name", STRING, e -> typed(e, ActorProfile.class, ActorProfile::displayName)),
                    col("bio_length", INT, e -> typed(e, ActorProfile.class, a -> graphemes(a.bio()))))),
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

    /** A column of the commit's typed record: NULL on a delete, or when the record did not parse. */
    private static <R> Object typed(LogEvent e, Class<R> type, Function<R, Object> read) {
        return type.isInstance(e.record()) ? read.apply(type.cast(e.record())) : null;
    }

    private static Object identity(LogEvent e, Function<EventEnvelope.Identity, Object> read) {
        return e.envelope().identity() == null ? null : read.apply(e.envelope().identity());
    }

    private static Object account(LogEvent e, Function<EventEnvelope.Account, Object> read) {
        return e.envelope().account() == null ? null : read.apply(e.envelope().account());
    }
}
