package io.actord.daemon.run;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Which runs a list or {@code last} is about: one user's (of one actor, or all), all of one actor's, or those
 * started from one task ({@code actorTaskId}, which then picks the index instead of the actor).
 */
public record RunSelection(Optional<String> actorId, Optional<String> userId, Set<RunStatus> statuses,
                           Optional<Instant> startedAfter, Optional<Instant> startedBefore,
                           Optional<String> actorTaskId) {
    public RunSelection {
        if (actorId.isEmpty() && userId.isEmpty() && actorTaskId.isEmpty()) {
            throw new IllegalArgumentException("a run selection needs an actor, a user or a task");
        }
    }

    /** Runs of an actor or a user, whatever task (or none) they were started from. */
    public RunSelection(Optional<String> actorId, Optional<String> userId, Set<RunStatus> statuses,
                        Optional<Instant> startedAfter, Optional<Instant> startedBefore) {
        this(actorId, userId, statuses, startedAfter, startedBefore, Optional.empty());
    }

    /** The same selection narrowed to the runs started from task {@code taskId}. */
    public RunSelection ofTask(String taskId) {
        return new RunSelection(actorId, userId, statuses, startedAfter, startedBefore, Optional.of(taskId));
    }

    boolean includes(Run r) {
        return userId.map(r.userId()::equals).orElse(true) && (statuses.isEmpty() || statuses.contains(r.status()))
                && actorTaskId.map(t -> t.equals(r.actorTaskId())).orElse(true)
                && startedAfter.map(r.startedAt()::isAfter).orElse(true)
                && startedBefore.map(r.startedAt()::isBefore).orElse(true);
    }
}
