package io.actord.daemon.run;

/**
 * A run's options as Apify reports them, and its network.
 *
 * @param build        the build tag or number the run was started with
 * @param timeoutSecs  0 = no timeout
 * @param memoryMbytes a power of two from 128 to 32768
 * @param diskMbytes   2 × memory
 * @param network      egress or isolated; runs stored before networks existed were isolated
 */
public record RunOptions(String build, int timeoutSecs, int memoryMbytes, int diskMbytes, RunNetwork network) {
    public RunOptions {
        if (network == null) {
            network = RunNetwork.ISOLATED;
        }
    }

    public static RunOptions of(String build, int timeoutSecs, int memoryMbytes) {
        return of(build, timeoutSecs, memoryMbytes, RunNetwork.ISOLATED);
    }

    public static RunOptions of(String build, int timeoutSecs, int memoryMbytes, RunNetwork network) {
        return new RunOptions(build, timeoutSecs, memoryMbytes, 2 * memoryMbytes, network);
    }
}
