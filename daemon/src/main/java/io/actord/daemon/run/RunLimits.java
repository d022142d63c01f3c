package io.actord.daemon.run;

import io.actord.daemon.runoptions.RunNetwork;

import java.util.function.ToIntFunction;

/**
 * How much memory runs may have, and which network.
 *
 * @param hostMemoryMbytes the host's capacity: the memory of all runs holding a container together
 * @param userMemoryMbytes a user's limit: the memory of their active runs together (else 402)
 * @param network          the daemon's default network: what a run gets unless asked otherwise, and the
 *                         widest one a caller who is not the admin may ask for
 */
public record RunLimits(long hostMemoryMbytes, WhenHostFull whenHostFull, ToIntFunction<String> userMemoryMbytes,
                        RunNetwork network) {
    /** What happens to a run whose memory does not fit on the host now. */
    public enum WhenHostFull {
        /** It waits READY, first come first served, until it fits. */
        QUEUE,
        /** It is refused with 503 host-capacity-exceeded (clients retry 5xx). */
        REFUSE
    }
}
