package io.actord.runtime;

import java.util.Optional;

/**
 * How the workload ended.
 *
 * @param code      the exit code; 128 + signal number when a signal killed it (as shells and the JDK report it)
 * @param signal    the signal that killed it, if one did
 * @param oomKilled whether the kernel's OOM killer ended a task in the container's cgroup
 */
public record ExitStatus(int code, Optional<Signal> signal, boolean oomKilled) {
    public static ExitStatus exited(int code) {
        return new ExitStatus(code, Optional.empty(), false);
    }

    public static ExitStatus killed(Signal signal) {
        return new ExitStatus(128 + signal.number(), Optional.of(signal), false);
    }

    public ExitStatus withOomKilled(boolean oom) {
        return new ExitStatus(code, signal, oom);
    }

    public boolean succeeded() {
        return code == 0 && signal.isEmpty() && !oomKilled;
    }
}
