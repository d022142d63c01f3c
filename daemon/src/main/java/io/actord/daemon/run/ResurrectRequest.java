package io.actord.daemon.run;

import java.util.Optional;

/**
 * What a resurrect request may change; empty keeps the run's previous value (the build by number), and so do
 * the empty values of {@code limits}.
 */
public record ResurrectRequest(Optional<String> build, Optional<Long> memoryMbytes, Optional<Long> timeoutSecs,
                               StartLimits limits) {
}
