package io.actord.runtime.network;

/** Bytes a container received and sent on its network interface. */
public record NetCounters(long rxBytes, long txBytes) {
    public static final NetCounters ZERO = new NetCounters(0, 0);
}
