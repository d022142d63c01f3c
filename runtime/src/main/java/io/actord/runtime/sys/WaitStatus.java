package io.actord.runtime.sys;

/**
 * How a child ended, decoded from waitpid(2)'s status.
 *
 * @param exitCode the exit code when it exited, else 0
 * @param signal   the signal that killed it, else 0
 */
public record WaitStatus(int exitCode, int signal) {
    public static WaitStatus decode(int status) {
        int termSignal = status & 0x7f;
        return termSignal == 0 ? new WaitStatus((status >> 8) & 0xff, 0) : new WaitStatus(0, termSignal);
    }

    public boolean signaled() {
        return signal != 0;
    }

    @Override
    public String toString() {
        return signaled() ? "killed by signal " + signal : "exited with " + exitCode;
    }
}
