package io.actord.daemon;

import java.util.List;
import java.util.Optional;

/**
 * The flags that answer instead of starting the daemon: {@code --help} ({@code -h}) prints the usage and
 * {@code --version} ({@code -V}) the build's version, both on stdout, and actord exits 0. Anywhere on the command
 * line they win over every other flag, so {@code actord --state-dir X --help} helps too.
 */
final class InfoFlags {
    static final String MORE_USAGE = """
              --help, -h    print this and exit
              --version, -V print the version and exit
            """;

    private InfoFlags() {
    }

    static Optional<String> answer(String... args) {
        List<String> words = List.of(args);
        if (words.contains("--help") || words.contains("-h")) {
            return Optional.of(DaemonConfig.USAGE + DaemonBackup.USAGE + MORE_USAGE);
        }
        if (words.contains("--version") || words.contains("-V")) {
            return Optional.of("actord " + BuildInfo.version() + "\n");
        }
        return Optional.empty();
    }
}
