package io.actord.cgroups;

import io.actord.cgroups.fs.Tasks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * One run's cgroup (in every hierarchy the host mode needs). Thread-safe: every method is a few file
 * operations; callers serialise lifecycle steps themselves.
 */
public interface Cgroup {
    /** The run's name: the last path segment in every hierarchy. */
    String name();

    /** The directory that holds the limits (the memory hierarchy's on v1). */
    Path path();

    /** Moves a whole process (every thread of it) into this cgroup. */
    void addProcess(long pid);

    /** Writes the limits; what is unlimited is written as the kernel's "no limit". */
    void apply(Resources resources);

    /** Whether any live task is in the cgroup or below it (zombies do not count). */
    boolean populated();

    /** The processes (thread group ids) in the cgroup now. */
    Set<Long> pids();

    CgroupStats stats();

    /** Sends SIGKILL to every task in the cgroup; returns without waiting for them to die. */
    void kill();

    /** Waits until no live task is left; false when {@code timeout} passes first. */
    default boolean awaitEmpty(Duration timeout) {
        return Tasks.await(() -> !populated(), timeout);
    }

    /** Kills whatever is left and waits until it is gone (the first step of {@link #destroy()}). */
    default void empty(Duration timeout) {
        if (populated()) {
            kill();
            if (!awaitEmpty(timeout)) {
                throw new CgroupException("empty cgroup " + path() + ": still populated " + timeout + " after kill");
            }
        }
    }

    /**
     * Kills what is left, waits for it to die and removes the cgroup from every hierarchy. Idempotent.
     * Read {@link #stats()} first: the counters go with the cgroup.
     */
    void destroy();
}
