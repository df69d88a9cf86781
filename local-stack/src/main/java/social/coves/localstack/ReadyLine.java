package social.coves.localstack;

/** The line a launcher prints on stdout once it serves; parents wait for it. */
public final class ReadyLine {
    public static final String PREFIX = "LOCAL-STACK READY ";

    private ReadyLine() {
    }

    public static void announce(String what) {
        System.out.println(PREFIX + what);
        System.out.flush();
    }
}
