package io.actord.daemon.actor;

import io.actord.daemon.runoptions.RunNetwork;

/**
 * What a run of the actor gets when the start request does not say: build tag or number, timeout (0 = none),
 * memory, and network (null: the daemon's default).
 */
public record DefaultRunOptions(String build, int timeoutSecs, int memoryMbytes, RunNetwork network) {
    public static final DefaultRunOptions STANDARD = new DefaultRunOptions("latest", 3600, 1024, null);
}
