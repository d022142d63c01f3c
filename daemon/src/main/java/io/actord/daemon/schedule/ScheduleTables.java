package io.actord.daemon.schedule;

import io.actord.daemon.common.Json;
import io.actord.daemon.state.Codecs;
import io.actord.daemon.state.Codecs.Empty;
import io.actord.daemon.state.JsonCodec;
import io.actord.daemon.state.TableDef;

import java.util.List;

/**
 * The state tables of schedules, with their key layouts ({@code |} a separator after a string, {@code (8B)} a
 * big-endian u64 of epoch milliseconds, {@code ∅} an empty value). A schedule, its due entry and its fires
 * change in one batch.
 */
public final class ScheduleTables {
    /** {@code scheduleId → Schedule}. */
    public static final TableDef<String, Schedule> SCHEDULES = TableDef.json("schedules", Json.MAPPER,
            Schedule.class);

    /** {@code nextRunAt(8B)|scheduleId → ∅}: the enabled schedules by their next fire time. */
    public static final TableDef<DueKey, Empty> SCHEDULES_DUE = new TableDef<>("schedules_due", DueKey.CODEC,
            Codecs.EMPTY);

    /** {@code scheduleId|scheduledAt(8B) → ScheduleFire}: each fire and what it started (the schedule's log). */
    public static final TableDef<FireKey, ScheduleFire> SCHEDULE_FIRES = new TableDef<>("schedule_fires",
            FireKey.CODEC, new JsonCodec<>(Json.MAPPER, ScheduleFire.class));

    /** {@code scheduleId|scheduledAt(8B) → ∅}: fires decided and not yet finished (finished at the next tick). */
    public static final TableDef<FireKey, Empty> SCHEDULE_FIRES_PENDING = new TableDef<>("schedule_fires_pending",
            FireKey.CODEC, Codecs.EMPTY);

    /** This package's tables, for {@code RocksStateStore.open}. */
    public static final List<TableDef<?, ?>> ALL = List.of(SCHEDULES, SCHEDULES_DUE, SCHEDULE_FIRES,
            SCHEDULE_FIRES_PENDING);

    private ScheduleTables() {
    }
}
