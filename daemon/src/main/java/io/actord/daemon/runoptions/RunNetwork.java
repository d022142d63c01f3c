package io.actord.daemon.runoptions;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.actord.daemon.api.ApiException;
import io.actord.runtime.NetworkMode;

import java.util.Locale;

/**
 * A run's network (the run option {@code network}): {@code egress} reaches the internet through the runs'
 * bridge under the egress policy, with a DNS forwarder of its own; {@code isolated} has loopback only.
 */
public enum RunNetwork {
    EGRESS,
    ISOLATED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The option's value, case-insensitive; 400 invalid-value for anything else. */
    @JsonCreator
    public static RunNetwork fromWire(String value) {
        for (RunNetwork n : values()) {
            if (n.wireName().equalsIgnoreCase(value.trim())) {
                return n;
            }
        }
        throw ApiException.invalidValue("network must be egress or isolated, got '" + value + "'");
    }

    /** Whether this reaches further than {@code other} (what only an admin may grant beyond the daemon's default). */
    public boolean widerThan(RunNetwork other) {
        return this == EGRESS && other == ISOLATED;
    }

    public NetworkMode mode() {
        return this == EGRESS ? NetworkMode.EGRESS : NetworkMode.ISOLATED;
    }
}
