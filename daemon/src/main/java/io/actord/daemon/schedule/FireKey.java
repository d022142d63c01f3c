package io.actord.daemon.schedule;

import io.actord.daemon.state.KeyCodec;
import io.actord.daemon.state.KeyPrefix;
import io.actord.daemon.state.Keys;

/** The key of a schedule's fires, {@code scheduleId|scheduledAt(8B)}: one schedule's fires sort by time. */
public record FireKey(String scheduleId, long scheduledAtMillis) {
    public static final KeyCodec<FireKey> CODEC = KeyCodec.of(
            (k, out) -> out.str(k.scheduleId).u64(k.scheduledAtMillis), in -> new FireKey(in.str(), in.u64()));

    public static KeyPrefix<FireKey> ofSchedule(String scheduleId) {
        return KeyPrefix.of(Keys.builder().str(scheduleId));
    }
}
