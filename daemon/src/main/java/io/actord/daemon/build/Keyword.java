package io.actord.daemon.build;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The Dockerfile instructions actord knows, with the flags each accepts. Instructions are case-insensitive. Flags
 * Docker has but actord cannot honour ({@code RUN --mount}, {@code ADD --checksum}, ...) are named in
 * {@link #unsupportedFlags()} so the error says "not supported" rather than "unknown".
 */
public enum Keyword {
    FROM(Set.of("platform"), Set.of()),
    RUN(Set.of(), Set.of("mount", "network", "security")),
    CMD,
    ENTRYPOINT,
    SHELL,
    ENV,
    LABEL,
    ARG,
    COPY(Set.of("from", "chown", "chmod", "link"), Set.of("parents", "exclude")),
    ADD(Set.of("chown", "chmod", "link"), Set.of("checksum", "keep-git-dir", "exclude")),
    WORKDIR,
    USER,
    EXPOSE,
    VOLUME,
    HEALTHCHECK(Set.of("interval", "timeout", "start-period", "start-interval", "retries"), Set.of()),
    STOPSIGNAL,
    MAINTAINER,
    ONBUILD;

    private final Set<String> flags;
    private final Set<String> unsupportedFlags;

    Keyword() {
        this(Set.of(), Set.of());
    }

    Keyword(Set<String> flags, Set<String> unsupportedFlags) {
        this.flags = flags;
        this.unsupportedFlags = unsupportedFlags;
    }

    /** The flags (names without dashes) this instruction accepts. */
    public Set<String> flags() {
        return flags;
    }

    /** Flags Docker accepts here that actord refuses with a "not supported" error. */
    public Set<String> unsupportedFlags() {
        return unsupportedFlags;
    }

    /** The instruction named {@code word}, in any case. */
    public static Optional<Keyword> of(String word) {
        String upper = word.toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(k -> k.name().equals(upper)).findFirst();
    }
}
