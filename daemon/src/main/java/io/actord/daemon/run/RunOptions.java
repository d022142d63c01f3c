package io.actord.daemon.run;

import io.actord.daemon.runoptions.RunNetwork;
import io.actord.daemon.runoptions.RunSize;

/**
 * A run's options as Apify reports them, and its network.
 *
 * @param build        the build tag or number the run was started with
 * @param timeoutSecs  0 = no timeout
 * @param memoryMbytes the run's {@link RunSize}
 * @param diskMbytes   its disk ({@link RunSize#diskMbytes()}), kept as Apify reports it
 * @param network      egress or isolated; runs stored before networks existed were isolated
 */
public record RunOptions(String build, int timeoutSecs, int memoryMbytes, int diskMbytes, RunNetwork network) {
    public RunOptions {
        if (network == null) {
            network = RunNetwork.ISOLATED;
        }
    }

    public static RunOptions of(String build, int timeoutSecs, int memoryMbytes) {
        return of(build, timeoutSecs, new RunSize(memoryMbytes), RunNetwork.ISOLATED);
    }

    public static RunOptions of(String build, int timeoutSecs, RunSize size, RunNetwork network) {
        return new RunOptions(build, timeoutSecs, size.memoryMbytes(), size.diskMbytes(), network);
    }

    /** The run's size; a stored run's memory passed {@link RunSize#of} when it started. */
    public RunSize size() {
        return new RunSize(memoryMbytes);
    }
}
