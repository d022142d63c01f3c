package io.actord.daemon.actor;

import io.actord.daemon.runoptions.RunNetwork;

/**
 * What a run of the actor gets when the start request does not say: build tag or number, timeout (0 = none),
 * memory, network (null: the daemon's default) and whether a failed run restarts (Apify's
 * {@code restartOnError}; false for actors stored before it existed).
 */
public record DefaultRunOptions(String build, int timeoutSecs, int memoryMbytes, RunNetwork network,
                                boolean restartOnError) {
    public static final DefaultRunOptions STANDARD = new DefaultRunOptions("latest", 3600, 1024, null, false);
}
