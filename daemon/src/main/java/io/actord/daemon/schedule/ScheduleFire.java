package io.actord.daemon.schedule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One fire of a schedule: when it was due, when it fired, and per action the run it started or why none.
 *
 * @param skipped why the fire started nothing ({@code isExclusive} and the last run still active), or null
 * @param done    whether every action has its outcome; a fire stored not done is finished after a restart
 */
public record ScheduleFire(Instant scheduledAt, Instant firedAt, List<Outcome> outcomes, String skipped,
                           boolean done) {
    /** What one action did: its run's id, or the error that kept it from starting. */
    public record Outcome(String actionId, String target, String runId, String error) {
    }

    static ScheduleFire pending(Instant scheduledAt, Instant firedAt) {
        return new ScheduleFire(scheduledAt, firedAt, List.of(), null, false);
    }

    static ScheduleFire skipped(Instant scheduledAt, Instant firedAt, String why) {
        return new ScheduleFire(scheduledAt, firedAt, List.of(), why, true);
    }

    Optional<Outcome> outcome(String actionId) {
        return outcomes.stream().filter(o -> o.actionId().equals(actionId)).findFirst();
    }

    ScheduleFire with(Outcome outcome) {
        List<Outcome> all = new ArrayList<>(outcomes);
        all.add(outcome);
        return new ScheduleFire(scheduledAt, firedAt, List.copyOf(all), skipped, done);
    }

    ScheduleFire finished() {
        return new ScheduleFire(scheduledAt, firedAt, outcomes, skipped, true);
    }

    /** The runs this fire started. */
    List<String> runIds() {
        return outcomes.stream().map(Outcome::runId).filter(id -> id != null).toList();
    }
}
