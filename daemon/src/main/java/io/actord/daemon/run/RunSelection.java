package io.actord.daemon.run;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** Which runs a list or {@code last} is about: one user's (of one actor, or all), or all of one actor's. */
public record RunSelection(Optional<String> actorId, Optional<String> userId, Set<RunStatus> statuses,
                           Optional<Instant> startedAfter, Optional<Instant> startedBefore) {
    public RunSelection {
        if (actorId.isEmpty() && userId.isEmpty()) {
            throw new IllegalArgumentException("a run selection needs an actor or a user");
        }
    }

    boolean includes(Run r) {
        return userId.map(r.userId()::equals).orElse(true) && (statuses.isEmpty() || statuses.contains(r.status()))
                && startedAfter.map(r.startedAt()::isAfter).orElse(true)
                && startedBefore.map(r.startedAt()::isBefore).orElse(true);
    }
}
