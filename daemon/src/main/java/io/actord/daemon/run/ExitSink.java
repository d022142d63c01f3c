package io.actord.daemon.run;

import io.actord.runtime.ExitStatus;

/** Where the exit of a watched container goes: back onto the run's executor, with the container's generation. */
@FunctionalInterface
interface ExitSink {
    void exited(int generation, ExitStatus exit, Throwable error);
}
