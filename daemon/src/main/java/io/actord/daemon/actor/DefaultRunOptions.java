package io.actord.daemon.actor;

/** What a run of the actor gets when the start request does not say: build tag or number, timeout (0 = none), memory. */
public record DefaultRunOptions(String build, int timeoutSecs, int memoryMbytes) {
    public static final DefaultRunOptions STANDARD = new DefaultRunOptions("latest", 3600, 1024);
}
