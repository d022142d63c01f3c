package io.actord.daemon.state;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background writes that must not be lost while the state database is away (a run's terminal status): tried again,
 * with pauses growing to {@link #MAX_PAUSE_MS}, for as long as the store says {@link StateUnavailableException}. The
 * caller's thread waits meanwhile, so nothing piles up in memory; any other failure, a closed store included, and an
 * interrupt end the wait with the exception.
 */
public final class UntilAvailable {
    private static final Logger LOG = LoggerFactory.getLogger(UntilAvailable.class);
    private static final long FIRST_PAUSE_MS = 100;
    private static final long MAX_PAUSE_MS = 5_000;

    private UntilAvailable() {
    }

    public static void write(String what, Runnable write) {
        long pause = FIRST_PAUSE_MS;
        for (int attempt = 1; ; attempt++) {
            try {
                write.run();
                if (attempt > 1) {
                    LOG.info("state store back what=\"{}\" attempts={}", what, attempt);
                }
                return;
            } catch (StateUnavailableException e) {
                if (attempt == 1) {
                    LOG.warn("state store unavailable what=\"{}\", trying again until it is back: {}", what,
                            e.getMessage());
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                pause = Math.min(pause * 2, MAX_PAUSE_MS);
            }
        }
    }
}
