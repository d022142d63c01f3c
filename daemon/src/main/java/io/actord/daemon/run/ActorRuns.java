package io.actord.daemon.run;

import java.time.Instant;

/**
 * An actor's runs in the figures of Apify's Actor {@code stats}.
 *
 * @param total         how many runs the actor has (kept ones; retention removes old runs)
 * @param lastStartedAt when its latest run started, or null when it has none
 */
public record ActorRuns(long total, Instant lastStartedAt) {
}
