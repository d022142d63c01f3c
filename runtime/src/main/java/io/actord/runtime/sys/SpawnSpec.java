package io.actord.runtime.sys;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A process to start with posix_spawn: all signals reset to their defaults and unblocked, in a new session,
 * with exactly the descriptors of {@code fds} (every other one is closed).
 *
 * @param path the executable; a relative path is resolved against the calling thread's working directory
 * @param argv the arguments, argv[0] included
 * @param env  "NAME=value" entries
 * @param fds  target descriptor number in the child → descriptor of this process to put there
 */
public record SpawnSpec(String path, List<String> argv, List<String> env, SortedMap<Integer, Fd> fds) {
    public SpawnSpec {
        Objects.requireNonNull(path, "path");
        argv = List.copyOf(argv);
        env = List.copyOf(env);
        fds = new TreeMap<>(fds);
    }

    public static SpawnSpec of(String path, List<String> argv, List<String> env, Map<Integer, Fd> fds) {
        return new SpawnSpec(path, argv, env, new TreeMap<>(fds));
    }

    /** The first descriptor number the child does not inherit. */
    public int closeFrom() {
        return fds.isEmpty() ? 0 : fds.lastKey() + 1;
    }
}
