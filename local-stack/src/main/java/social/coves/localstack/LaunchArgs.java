package social.coves.localstack;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** {@code --name=value} / {@code --flag} arguments of the local-stack launchers. */
public record LaunchArgs(Map<String, String> values) {

    public static LaunchArgs parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("expected --name=value, got " + arg);
            }
            int eq = arg.indexOf('=');
            if (eq < 0) {
                values.put(arg.substring(2), "true");
            } else {
                values.put(arg.substring(2, eq), arg.substring(eq + 1));
            }
        }
        return new LaunchArgs(values);
    }

    public int intValue(String name, int fallback) {
        String v = values.get(name);
        return v == null ? fallback : Integer.parseInt(v);
    }

    public String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public Path path(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + "=<dir> is required");
        }
        return Path.of(v).toAbsolutePath();
    }

    public boolean flag(String name) {
        return Boolean.parseBoolean(values.getOrDefault(name, "false"));
    }

    /**
     * With {@code --exit-with-parent}, the process exits when its stdin closes: a parent JVM holds the pipe open,
     * so a parent that dies (even by SIGKILL) takes its broker or database with it.
     */
    public void exitWithParentIfAsked() {
        if (!flag("exit-with-parent")) {
            return;
        }
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // drain until EOF
                }
            } catch (Exception ignored) {
                // treat as EOF
            }
            System.exit(0);
        }, "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
