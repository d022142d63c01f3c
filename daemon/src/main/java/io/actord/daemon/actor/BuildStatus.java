package io.actord.daemon.actor;

import java.util.Arrays;

/**
 * A build's status (Apify's ACTOR_JOB_STATUSES as builds use them): READY until the host has room for it,
 * RUNNING, then one of the terminal ones. An image import is SUCCEEDED from the start.
 */
public enum BuildStatus {
    READY("READY"),
    RUNNING("RUNNING"),
    SUCCEEDED("SUCCEEDED"),
    FAILED("FAILED"),
    TIMED_OUT("TIMED-OUT"),
    ABORTED("ABORTED");

    private final String wire;

    BuildStatus(String wire) {
        this.wire = wire;
    }

    public String wireName() {
        return wire;
    }

    public boolean isTerminal() {
        return this != READY && this != RUNNING;
    }

    public static BuildStatus fromWire(String name) {
        return Arrays.stream(values()).filter(s -> s.wire.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown build status '" + name + "'"));
    }
}
