package io.actord.daemon.run;

import java.time.Instant;

/**
 * One metamorph of a run (Apify's {@code metamorphs} entry): when it happened, the actor and build the run
 * became, and the key-value store record its new input is under.
 */
public record Metamorph(Instant createdAt, String actorId, String buildId, String inputKey) {
    /** Apify's limit of metamorphs per run. */
    public static final int MAX_PER_RUN = 10;

    /** The input key of a run's {@code n}-th metamorph (from 1), as Apify names it. */
    static String inputKey(int n) {
        return "INPUT-METAMORPH-" + n;
    }
}
