package io.actord.daemon.run;

import io.actord.daemon.state.WriteConflictException;

import java.util.Objects;
import java.util.Optional;

/**
 * A write of a run by a daemon that no longer owns it (#26, fencing): the stored run names another owner host or a
 * newer epoch than the one the writer took it with (it was claimed, migrated or adopted elsewhere meanwhile), so
 * nothing was written. The supervisor that wrote stops supervising the run and kills its container.
 */
public final class StaleRunOwnerException extends WriteConflictException {
    private static final long serialVersionUID = 1L;

    StaleRunOwnerException(WriteConflictException conflict) {
        super(conflict.getMessage());
    }

    /** Why {@code stored} refuses a write by whoever holds {@code held}; empty when it is still theirs. */
    static Optional<String> conflict(Run held, Optional<Run> stored) {
        if (stored.isEmpty()) {
            return Optional.of("write run " + held.id() + ": the run is no longer stored");
        }
        Run now = stored.get();
        if (now.epoch() == held.epoch() && Objects.equals(now.ownerHost(), held.ownerHost())) {
            return Optional.empty();
        }
        return Optional.of("write run " + held.id() + " as host " + held.ownerHost() + " epoch " + held.epoch()
                + ": it is now host " + now.ownerHost() + "'s, epoch " + now.epoch());
    }
}
