package io.actord.daemon.run;

import java.util.List;

/** The outcome of an event in a status. */
public sealed interface Transition {
    /** Store {@code to} (with {@code statusMessage}), then perform the effects in order. */
    record Move(RunStatus to, String statusMessage, List<Effect> effects) implements Transition {
        public Move {
            effects = List.copyOf(effects);
        }
    }

    /** The event changes nothing (a stale timer, an abort of a finished run). */
    record Ignore(String reason) implements Transition {
    }

    /** The event is not allowed in this status; the API answers 400 run-state-conflict. */
    record Reject(String reason) implements Transition {
    }
}
