package io.actord.daemon.schedule;

import io.actord.daemon.state.Codecs.Empty;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.state.Table;

/** The store and this package's tables in it, opened once for the service and the scheduler. */
record ScheduleState(StateStore store, Table<String, Schedule> schedules, Table<DueKey, Empty> due,
                     Table<FireKey, ScheduleFire> fires, Table<FireKey, Empty> pending) {
    static ScheduleState of(StateStore store) {
        return new ScheduleState(store, store.table(ScheduleTables.SCHEDULES),
                store.table(ScheduleTables.SCHEDULES_DUE), store.table(ScheduleTables.SCHEDULE_FIRES), store.table(ScheduleTables.SCHEDULE_FIRES_PENDING));
    }
}
