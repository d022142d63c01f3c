package io.actord.daemon.run;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Optional;

/** A run's status, with Apify's wire names ("TIMING-OUT"). */
public enum RunStatus {
    READY, RUNNING, SUCCEEDED, FAILED, TIMING_OUT, TIMED_OUT, ABORTING, ABORTED;

    @JsonValue
    public String wireName() {
        return name().replace('_', '-');
    }

    /** SUCCEEDED, FAILED, TIMED-OUT and ABORTED: the run has ended (Apify's ACTOR_JOB_TERMINAL_STATUSES). */
    public boolean isTerminal() {
        return switch (this) {
            case SUCCEEDED, FAILED, TIMED_OUT, ABORTED -> true;
            case READY, RUNNING, TIMING_OUT, ABORTING -> false;
        };
    }

    public static Optional<RunStatus> parse(String wire) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(wire)).findFirst();
    }

    @JsonCreator
    public static RunStatus fromWire(String wire) {
        return parse(wire).orElseThrow(() -> new IllegalArgumentException("unknown run status: " + wire));
    }
}
