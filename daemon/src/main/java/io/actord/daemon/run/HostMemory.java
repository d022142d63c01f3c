package io.actord.daemon.run;

/** The host's memory for runs: capacity, what runs hold now, how many runs wait. */
public record HostMemory(long capacityMbytes, long heldMbytes, int waitingRuns) {
}
