package io.actord.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version this build of the daemon says it is: the project version and, when it was built from a git
 * checkout, the commit ({@code 0.1.0-SNAPSHOT+685f161a2b}, {@code .dirty} when the checkout had changes). The
 * build writes both into {@code build.properties} (resource filtering); a build outside a checkout has no
 * commit, and classes that were never filtered (an IDE's) say {@code dev}.
 */
public final class BuildInfo {
    private static final String VERSION = describe(read());

    private BuildInfo() {
    }

    public static String version() {
        return VERSION;
    }

    static String describe(Properties p) {
        String version = filled(p.getProperty("version"));
        if (version == null) {
            return "dev";
        }
        String commit = filled(p.getProperty("commit"));
        return commit == null ? version : version + "+" + commit;
    }

    /** The value, or null when it is missing or still the build's placeholder (no git, say). */
    private static String filled(String value) {
        return value == null || value.isBlank() || value.contains("${") ? null : value.trim();
    }

    private static Properties read() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
