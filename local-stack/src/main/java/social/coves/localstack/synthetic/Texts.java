package social.coves.localstack.synthetic;

import java.util.SplittableRandom;

/** Plausible, deterministic text for titles, bodies, names and handles. */
final class Texts {

    private static final String[] WORDS = {"seedlings", "tomatoes", "compost", "gears", "saddle", "climb", "novel",
            "chapter", "author", "nebula", "telescope", "eclipse", "hops", "yeast", "batch", "weekend", "question",
            "advice", "update", "photos", "first", "best", "cheap", "winter", "summer", "guide", "beginner", "trick",
            "river", "bridge", "engine", "recipe", "garden", "orbit", "puzzle", "market", "harbor", "canyon", "violin",
            "lantern", "meadow", "glacier", "pixel", "kernel", "thread", "ferment", "sourdough", "trail", "summit"};
    private static final String[] NAMES = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan",
            "judy", "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yolanda"};

    private Texts() {
    }

    static String word(SplittableRandom random) {
        return WORDS[random.nextInt(WORDS.length)];
    }

    static String words(SplittableRandom random, int min, int max) {
        int count = min + random.nextInt(max - min + 1);
        StringBuilder sb = new StringBuilder(capitalise(word(random)));
        for (int i = 1; i < count; i++) {
            sb.append(' ').append(word(random));
        }
        return sb.toString();
    }

    /** A lower-case handle label: a name and the account's index, e.g. {@code grace42}. */
    static String userName(int index) {
        return NAMES[index % NAMES.length] + index;
    }

    static String communityName(int index) {
        return WORDS[index % WORDS.length] + index;
    }

    static String capitalise(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
