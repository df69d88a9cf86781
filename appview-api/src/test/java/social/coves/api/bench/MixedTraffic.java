package social.coves.api.bench;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * Requests that look like users rather than one URL hammered: communities drawn from a Zipf(1.1) distribution over all
 * of them (a few big, many small), every sort and timeframe, mostly page 1 and some deep pages, the timelines of many
 * distinct viewers, threads of many different posts (the 1,000-comment one now and then), single and batched post
 * reads, profiles and author listings; 30 % of the requests that do not need a viewer carry one anyway. Built from a
 * seed, so every run sends the same mix. {@link #only} builds a list of one kind as long as the mix, for running the
 * kinds one by one at the same repetition of URLs (a shorter list would repeat its URLs more, and hit caches more).
 */
final class MixedTraffic {

    /** Share of the mix per kind (percent). */
    static final Map<String, Integer> WEIGHTS = weights();

    record Tagged(String kind, WrkDriver.Request request) {
    }

    /** Everything the mix draws from: the dataset's shape, page cursors gathered beforehand, and viewer tokens. */
    record Inputs(String base, int communities, List<String> postUris, String bigThreadPost, int authors, int viewers,
                  Map<String, String> deepCursors, BiFunction<Integer, String, String> token) {
    }

    private final Inputs in;
    private final Random random;
    private final Zipf zipf;

    MixedTraffic(Inputs in, long seed) {
        this.in = in;
        this.random = new Random(seed);
        this.zipf = new Zipf(in.communities(), 1.1);
    }

    /** {@code size} requests of one kind only: as long as the mix, so its URLs repeat no more often than in it. */
    List<Tagged> only(String kind, int size) {
        List<Tagged> requests = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            requests.add(new Tagged(kind, request(kind)));
        }
        return requests;
    }

    List<Tagged> build(int size) {
        List<String> kinds = new ArrayList<>();
        WEIGHTS.forEach((kind, weight) -> {
            for (int i = 0; i < weight; i++) {
                kinds.add(kind);
            }
        });
        List<Tagged> requests = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            String kind = kinds.get(random.nextInt(kinds.size()));
            requests.add(new Tagged(kind, request(kind)));
        }
        return requests;
    }

    /** The community (1-based, 1 = the most requested) a request names. */
    int community() {
        return zipf.draw(random);
    }

    private WrkDriver.Request request(String kind) {
        String b = in.base();
        return switch (kind) {
            case "feed" -> {
                int n = community();
                String sort = pick("hot", "hot", "hot", "hot", "new", "new", "new", "top", "top", "top");
                String url = b + "social.coves.feed.getCommunity?community=" + BenchDataset.did("benchcomm", n) + "&sort=" + sort
                        + (sort.equals("top") ? "&timeframe=" + pick("day", "week", "month", "year", "all") : "") + "&limit=15";
                String deep = in.deepCursors().get(n + " " + sort);
                if (deep != null && !sort.equals("top") && random.nextInt(100) < 15) {
                    url += "&cursor=" + encode(deep);
                }
                yield maybeViewer(url, "social.coves.feed.getCommunity");
            }
            case "timeline" -> {
                int viewer = 1 + random.nextInt(in.viewers());
                String url = b + "social.coves.feed.getTimeline?sort=" + pick("hot", "new", "top") + "&limit=15";
                yield new WrkDriver.Request(url, in.token().apply(viewer, "social.coves.feed.getTimeline"));
            }
            case "thread" -> {
                String post = random.nextInt(10) == 0 ? in.bigThreadPost() : randomPost();
                yield maybeViewer(b + "social.coves.community.comment.getComments?post=" + encode(post) + "&sort="
                        + pick("hot", "top", "new") + "&limit=50", "social.coves.community.comment.getComments");
            }
            case "post.get" -> {
                StringBuilder url = new StringBuilder(b + "social.coves.community.post.get?");
                int count = 1 + random.nextInt(5);
                for (int i = 0; i < count; i++) {
                    url.append(i == 0 ? "" : "&").append("uris=").append(encode(randomPost()));
                }
                yield maybeViewer(url.toString(), "social.coves.community.post.get");
            }
            case "community.get" -> maybeViewer(b + "social.coves.community.get?community=" + BenchDataset.did("benchcomm", community()),
                    "social.coves.community.get");
            case "community.list" -> maybeViewer(b + "social.coves.community.list?sort=" + pick("popular", "active", "new", "alphabetical")
                    + "&limit=" + pick("20", "50"), "social.coves.community.list");
            case "profile" -> maybeViewer(b + "social.coves.actor.getProfile?actor=" + author(), "social.coves.actor.getProfile");
            case "author posts" -> maybeViewer(b + "social.coves.actor.getPosts?actor=" + author() + "&limit=15",
                    "social.coves.actor.getPosts");
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private WrkDriver.Request maybeViewer(String url, String method) {
        return random.nextInt(100) < 30 ? new WrkDriver.Request(url, in.token().apply(1 + random.nextInt(in.viewers()), method))
                : new WrkDriver.Request(url, null);
    }

    private String randomPost() {
        return in.postUris().get(random.nextInt(in.postUris().size()));
    }

    private String author() {
        return BenchDataset.did("benchuser", 1 + random.nextInt(in.authors()));
    }

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Map<String, Integer> weights() {
        Map<String, Integer> w = new LinkedHashMap<>();
        w.put("feed", 45);
        w.put("timeline", 10);
        w.put("thread", 12);
        w.put("post.get", 10);
        w.put("community.get", 8);
        w.put("community.list", 5);
        w.put("profile", 5);
        w.put("author posts", 5);
        return java.util.Collections.unmodifiableMap(w);
    }
}
