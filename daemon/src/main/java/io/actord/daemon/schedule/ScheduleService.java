package io.actord.daemon.schedule;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.common.Ids;
import io.actord.daemon.state.Batch;
import io.actord.daemon.state.CloseableIterator;
import io.actord.daemon.state.Codecs.Empty;
import io.actord.daemon.state.Entry;
import io.actord.daemon.state.KeyRange;
import io.actord.daemon.state.Paging;
import io.actord.daemon.state.Scan;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.state.Table;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Schedules as the API shows them: checked, owned by one user (others get 404), kept with their entry in the
 * due index. Every change of a schedule takes its {@link #lock}, which the {@link Scheduler} holds while it fires,
 * so a fire never acts on a schedule that an update or delete is changing; a new or renamed schedule also takes
 * its user's names lock, so two names never collide. Both are {@link StateStore#locked} locks: they hold across
 * daemons on one database, and everything checked under them is read under them.
 */
public final class ScheduleService {
    private static final String UTC = "UTC";
    private static final int MAX_LOG = 1000;

    private final ScheduleState state;
    private final StateStore store;
    private final Table<String, Schedule> schedules;
    private final Table<DueKey, Empty> due;
    private final Table<FireKey, ScheduleFire> fires;
    private final Table<FireKey, Empty> pending;
    private final Clock clock;

    public ScheduleService(StateStore store, Clock clock) {
        this.state = ScheduleState.of(store);
        this.store = store;
        this.schedules = state.schedules();
        this.due = state.due();
        this.fires = state.fires();
        this.pending = state.pending();
        this.clock = clock;
    }

    /** The lock that a fire of schedule {@code id} and each change of it hold. */
    static List<String> lock(String id) {
        return List.of("schedule/" + id);
    }

    /** The lock of a user's schedule names (a create or rename checks that the name is free). */
    private static String namesLock(String userId) {
        return "schedule-names/" + userId;
    }

    /** The tables, for the {@link Scheduler} that fires these schedules. */
    ScheduleState state() {
        return state;
    }

    /** One line of a schedule's log, in Apify's shape. */
    public record LogEntry(String message, String level, Instant createdAt) {
    }

    /** The user's schedules, oldest first (or newest with {@code desc}). */
    public Paging.Page<Schedule> list(String userId, long offset, long limit, boolean desc) {
        List<Schedule> mine = new ArrayList<>();
        try (CloseableIterator<Entry<String, Schedule>> it = schedules.scan(Scan.all())) {
            it.forEachRemaining(e -> {
                if (e.value().userId().equals(userId)) {
                    mine.add(e.value());
                }
            });
        }
        Comparator<Schedule> order = Comparator.comparing(Schedule::createdAt).thenComparing(Schedule::id);
        mine.sort(desc ? order.reversed() : order);
        List<Schedule> page = mine.stream().skip(offset).limit(limit).toList();
        return new Paging.Page<>(mine.size(), page);
    }

    /** The user's schedule; 404 when there is none or it is another user's. */
    public Schedule get(String userId, String id) {
        return schedules.get(id).filter(s -> s.userId().equals(userId))
                .orElseThrow(() -> ApiException.notFound("Schedule", id));
    }

    /**
     * Creates the schedule; {@code resolve} gives the id of each action's actor or task (400 for one that does not
     * exist). Nothing is stored unless all of it is valid.
     */
    public Schedule create(String userId, ScheduleInput in, Function<ScheduleAction, String> resolve) {
        return store.locked(List.of(namesLock(userId)), () -> createLocked(userId, in, resolve));
    }

    private Schedule createLocked(String userId, ScheduleInput in, Function<ScheduleAction, String> resolve) {
        Instant now = clock.instant();
        boolean enabled = !Boolean.FALSE.equals(in.isEnabled());
        String zone = in.timezone() == null ? UTC : in.timezone();
        CronSchedule cron = CronSchedule.parse(in.cronExpression(), zone);
        String name = uniqueName(userId, ScheduleRules.name(in.name()), null);
        Schedule s = new Schedule(Ids.newId(), userId, name, ScheduleRules.text("title", in.title()),
                ScheduleRules.text("description", in.description()), in.cronExpression().trim(), zone, enabled,
                Boolean.TRUE.equals(in.isExclusive()), now, now, enabled ? next(cron, now) : null, null,
                ScheduleRules.actions(in.actions() == null ? List.of() : in.actions(), List.of(), resolve),
                in.notifications() == null ? new Schedule.Notifications(false) : in.notifications());
        store.write(b -> put(b, null, s));
        return s;
    }

    /** Changes the fields {@code in} gives; a new cron expression, zone or enabling counts the next fire from now. */
    public Schedule update(String userId, String id, ScheduleInput in, Function<ScheduleAction, String> resolve) {
        List<String> locks = new ArrayList<>(lock(id));
        if (in.name() != null) {
            locks.add(namesLock(userId));
        }
        return store.locked(locks, () -> updateLocked(userId, id, in, resolve));
    }

    private Schedule updateLocked(String userId, String id, ScheduleInput in,
                                  Function<ScheduleAction, String> resolve) {
        Schedule old = get(userId, id);
        Instant now = clock.instant();
        String expression = in.cronExpression() == null ? old.cronExpression() : in.cronExpression().trim();
        String zone = in.timezone() == null ? old.timezone() : in.timezone();
        boolean enabled = in.isEnabled() == null ? old.isEnabled() : in.isEnabled();
        CronSchedule cron = CronSchedule.parse(expression, zone);
        boolean timing = !expression.equals(old.cronExpression()) || !zone.equals(old.timezone())
                || enabled != old.isEnabled();
        Instant next = !enabled ? null : timing || old.nextRunAt() == null ? next(cron, now) : old.nextRunAt();
        Schedule s = new Schedule(id, userId,
                in.name() == null ? old.name() : uniqueName(userId, ScheduleRules.name(in.name()), id),
                in.title() == null ? old.title() : ScheduleRules.text("title", in.title()),
                in.description() == null ? old.description() : ScheduleRules.text("description", in.description()),
                expression, zone, enabled, in.isExclusive() == null ? old.isExclusive() : in.isExclusive(),
                old.createdAt(), now, next, old.lastRunAt(),
                in.actions() == null ? old.actions() : ScheduleRules.actions(in.actions(), old.actions(), resolve),
                in.notifications() == null ? old.notifications() : in.notifications());
        store.write(b -> put(b, old, s));
        return s;
    }

    /** Deletes the schedule with its log; a fire it has under way is dropped (its runs go on). */
    public void delete(String userId, String id) {
        store.locked(lock(id), () -> {
            Schedule old = get(userId, id);
            store.write(b -> {
                schedules.deleteInBatch(b, id);
                dueEntry(old).ifPresent(k -> due.deleteInBatch(b, k));
                fires.deletePrefixInBatch(b, FireKey.ofSchedule(id));
                pending.deletePrefixInBatch(b, FireKey.ofSchedule(id));
            });
            return null;
        });
    }

    /**
     * The schedule's log, oldest first, as Apify shows it: "Schedule invoked" at each fire, then a line per
     * action (the run it started, or the error), or why the fire was skipped. The newest {@value #MAX_LOG} lines.
     */
    public List<LogEntry> log(String userId, String id) {
        get(userId, id);
        List<LogEntry> lines = new ArrayList<>();
        try (CloseableIterator<Entry<FireKey, ScheduleFire>> it = fires.scan(KeyRange.of(FireKey.ofSchedule(id)))) {
            it.forEachRemaining(e -> lines.addAll(FireLog.lines(e.value())));
        }
        return List.copyOf(lines.subList(Math.max(0, lines.size() - MAX_LOG), lines.size()));
    }

    /** Stores {@code s} in place of {@code old} (null: new), moving its due entry along. */
    void put(Batch b, Schedule old, Schedule s) {
        if (old != null) {
            dueEntry(old).ifPresent(k -> due.deleteInBatch(b, k));
        }
        schedules.putInBatch(b, s.id(), s);
        dueEntry(s).ifPresent(k -> due.putInBatch(b, k, Empty.INSTANCE));
    }

    private static Optional<DueKey> dueEntry(Schedule s) {
        return s.isEnabled() && s.nextRunAt() != null
                ? Optional.of(new DueKey(s.nextRunAt().toEpochMilli(), s.id()))
                : Optional.empty();
    }

    /** The next fire time after {@code now}; 400 when the expression never fires again. */
    static Instant next(CronSchedule cron, Instant now) {
        return cron.next(now).orElseThrow(() -> ScheduleRules.invalid("cronExpression never fires after " + now));
    }

    private String uniqueName(String userId, String name, String self) {
        if (name == null) {
            return null;
        }
        try (CloseableIterator<Entry<String, Schedule>> it = schedules.scan(Scan.all())) {
            while (it.hasNext()) {
                Schedule s = it.next().value();
                if (s.userId().equals(userId) && name.equals(s.name()) && !Objects.equals(s.id(), self)) {
                    throw new ApiException(ErrorType.NAME_NOT_UNIQUE, "you already have a schedule named " + name);
                }
            }
        }
        return name;
    }
}
