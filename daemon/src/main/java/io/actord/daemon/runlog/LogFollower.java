package io.actord.daemon.runlog;

/** Receives a run's log as it is written: first what exists, then each new chunk, then the end. */
public interface LogFollower {
    void chunk(byte[] bytes);

    /** The run has ended and its output is complete, or the daemon is stopping. */
    void end();
}
