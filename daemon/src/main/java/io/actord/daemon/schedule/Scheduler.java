package io.actord.daemon.schedule;

import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunStartListener;
import io.actord.daemon.run.StartRequest;
import io.actord.daemon.schedule.ScheduleFire.Outcome;
import io.actord.daemon.state.Batch;
import io.actord.daemon.state.CloseableIterator;
import io.actord.daemon.state.Codecs.Empty;
import io.actord.daemon.state.Entry;
import io.actord.daemon.state.KeyRange;
import io.actord.daemon.state.Scan;
import io.actord.daemon.state.StateLockTimeoutException;
import io.actord.daemon.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * Fires the schedules that are due. Every {@code every} (a second) the daemon's timer hands a tick to a worker;
 * a tick finishes the fires a crash left unfinished, then fires each schedule whose stored next time has come.
 * Polling rather than sleeping until the next time keeps the daemon's {@link Clock} the only judge of time (a
 * clock moved by a test, or by NTP, is seen at the next tick).
 *
 * <p>A fire is exactly once however the daemon stops:
 * <pre>
 *   decide  one batch: schedule.nextRunAt → the first time after now, due entry moved,
 *           fire stored (PENDING, scheduledAt = the old nextRunAt), pending entry
 *   act     per action without an outcome: start its run; the run's insert batch also stores
 *           the run's id as the action's outcome (a {@link RunStartListener}); a start refused
 *           stores the error instead
 *   finish  one batch: fire done, pending entry removed
 * </pre>
 * A crash before "decide" leaves the old nextRunAt: the fire happens at the next start. A crash after it leaves a
 * pending fire: the next start's first tick starts only the actions that have no outcome, so no run is lost and
 * none is started twice. A daemon down across several fire times fires once when it is back (nextRunAt is counted
 * from now, not from the missed time), as does a tick that finds several times passed.
 *
 * <p>Several daemons on one database (PostgreSQL) all tick. Each fire, from "decide" to "finish", and each finish
 * of a pending fire happens under the schedule's lock ({@link ScheduleService#lock}, a {@link StateStore#locked}
 * lock that holds across daemons), and what the tick read before taking it is read again under it: a daemon that
 * waited for another's fire finds the schedule's nextRunAt moved on (or the pending entry gone) and does nothing.
 * A daemon that dies holding the lock loses it with its database session, and the next tick of another daemon
 * finishes the fire it left pending.
 */
public final class Scheduler implements RunStartListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    /** How many fires a schedule keeps (its log shows at most 1000 lines, two or more a fire); older ones go. */
    static final int KEPT_FIRES = 500;

    private final ScheduleService service;
    private final ScheduleState state;
    private final ScheduleTargets targets;
    private final Clock clock;
    /** The action being started on this thread, for {@link #starting}; set only inside a tick. */
    private final ThreadLocal<Firing> firing = new ThreadLocal<>();
    private final AtomicBoolean queued = new AtomicBoolean();
    /** Held by a tick and by {@link #close}, so that a tick under way ends before the store closes. */
    private final Object ticking = new Object();
    private ScheduledFuture<?> poll;
    private boolean closed;

    private record Firing(FireKey key, String scheduleId, String actionId, String target) {
    }

    public Scheduler(ScheduleService service, ScheduleTargets targets, Clock clock) {
        this.service = service;
        this.state = service.state();
        this.targets = targets;
        this.clock = clock;
    }

    /** The schedules this scheduler fires (their API's service). */
    public ScheduleService service() {
        return service;
    }

    /** Finishes the fires the last daemon left unfinished, then ticks every {@code every} on {@code worker}. */
    public void start(ScheduledExecutorService timers, Executor worker, Duration every) {
        synchronized (ticking) {
            finishPending();
        }
        poll = timers.scheduleWithFixedDelay(() -> {
            if (queued.compareAndSet(false, true)) {
                try {
                    worker.execute(this::tick);
                } catch (RejectedExecutionException e) {
                    queued.set(false);
                }
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Finishes pending fires, then fires every enabled schedule whose next time is not after now. */
    public void tick() {
        queued.set(false);
        synchronized (ticking) {
            if (closed) {
                return;
            }
            try {
                finishPending();
                for (DueKey k : dueBy(clock.instant())) {
                    underLock(k.scheduleId(), () -> fire(k));
                }
            } catch (RuntimeException e) {
                LOG.error("schedules tick failed", e);
            }
        }
    }

    @Override
    public BiConsumer<Batch, Run> starting(StartRequest request) {
        Firing f = firing.get();
        if (f == null || !request.scheduleId().equals(Optional.of(f.scheduleId()))) {
            return (b, run) -> { };
        }
        return (b, run) -> state.fires().get(f.key()).ifPresent(fire -> state.fires().putInBatch(b, f.key(),
                fire.with(new Outcome(f.actionId(), f.target(), run.id(), null))));
    }

    /** Stops ticking; a tick under way ends first. */
    @Override
    public void close() {
        if (poll != null) {
            poll.cancel(false);
        }
        synchronized (ticking) {
            closed = true;
        }
    }

    private List<DueKey> dueBy(Instant now) {
        List<DueKey> keys = new ArrayList<>();
        try (CloseableIterator<Entry<DueKey, Empty>> it = state.due().scan(Scan.all())) {
            while (it.hasNext()) {
                DueKey k = it.next().key();
                if (k.atMillis() > now.toEpochMilli()) {
                    break;
                }
                keys.add(k);
            }
        }
        return keys;
    }

    /**
     * Runs {@code step} holding the schedule's lock; a lock another daemon keeps past the store's lock timeout (a
     * fire starting many runs) leaves the schedule to the next tick rather than holding up the others.
     */
    private void underLock(String scheduleId, Runnable step) {
        try {
            state.store().locked(ScheduleService.lock(scheduleId), () -> {
                step.run();
                return null;
            });
        } catch (StateLockTimeoutException e) {
            LOG.info("schedule={} busy elsewhere, left to the next tick: {}", scheduleId, e.getMessage());
        }
    }

    /** Under the schedule's lock: fires it if {@code k} is still its due entry (no other daemon fired it first). */
    private void fire(DueKey k) {
        Optional<Schedule> found = state.schedules().get(k.scheduleId()).filter(s -> s.isEnabled()
                && s.nextRunAt() != null && s.nextRunAt().toEpochMilli() == k.atMillis());
        if (found.isEmpty()) {
            if (state.due().get(k).isPresent()) {
                state.due().delete(k);
            }
            return;
        }
        Schedule s = found.get();
        Instant now = clock.instant();
        Instant next = CronSchedule.parse(s.cronExpression(), s.timezone()).next(now).orElse(null);
        Schedule fired = s.withTimes(next, now);
        FireKey key = new FireKey(s.id(), k.atMillis());
        Optional<String> busy = s.isExclusive() ? lastActiveRun(s.id()) : Optional.empty();
        ScheduleFire fire = busy.map(runId -> ScheduleFire.skipped(s.nextRunAt(), now, "the last run " + runId
                + " is still running and the schedule is exclusive")).orElse(ScheduleFire.pending(s.nextRunAt(), now));
        state.store().write(b -> {
            service.put(b, s, fired);
            state.fires().putInBatch(b, key, fire);
            if (!fire.done()) {
                state.pending().putInBatch(b, key, Empty.INSTANCE);
            }
            pruneInBatch(b, s.id());
        });
        LOG.info("schedule={} fired scheduledAt={} next={} skipped={}", s.id(), s.nextRunAt(), next, busy.isPresent());
        if (!fire.done()) {
            act(key, fired);
        }
    }

    private void finishPending() {
        List<FireKey> keys = new ArrayList<>();
        try (CloseableIterator<Entry<FireKey, Empty>> it = state.pending().scan(Scan.all())) {
            it.forEachRemaining(e -> keys.add(e.key()));
        }
        for (FireKey key : keys) {
            underLock(key.scheduleId(), () -> finish(key));
        }
    }

    /** Under the schedule's lock: finishes a pending fire, unless the daemon that decided it (or another) did. */
    private void finish(FireKey key) {
        if (state.pending().get(key).isEmpty()) {
            return;
        }
        Optional<Schedule> s = state.schedules().get(key.scheduleId());
        if (s.isPresent() && state.fires().get(key).isPresent()) {
            LOG.info("schedule={} finishing the fire of {} a stop interrupted", key.scheduleId(),
                    Instant.ofEpochMilli(key.scheduledAtMillis()));
            act(key, s.get());
        } else {
            state.pending().delete(key);
        }
    }

    /** Starts each action that has no outcome yet, then marks the fire done. */
    private void act(FireKey key, Schedule s) {
        for (ScheduleAction a : s.actions()) {
            if (state.fires().get(key).flatMap(f -> f.outcome(a.id())).isPresent()) {
                continue;
            }
            firing.set(new Firing(key, s.id(), a.id(), a.target()));
            try {
                Run run = a.runsTask()
                        ? targets.startTask(a.actorTaskId(), s.userId(), a.runInput(), a.runOptions(), s.id())
                        : targets.startActor(a.actorId(), s.userId(), a.runInput(), a.runOptions(), s.id());
                LOG.info("schedule={} action={} run={}", s.id(), a.id(), run.id());
            } catch (RuntimeException e) {
                LOG.warn("schedule={} action={} target={} not started: {}", s.id(), a.id(), a.target(),
                        e.getMessage());
                state.fires().get(key).filter(f -> f.outcome(a.id()).isEmpty()).ifPresent(f -> state.fires().put(
                        key, f.with(new Outcome(a.id(), a.target(), null, String.valueOf(e.getMessage())))));
            } finally {
                firing.remove();
            }
        }
        state.fires().get(key).ifPresent(f -> state.store().write(b -> {
            state.fires().putInBatch(b, key, f.finished());
            state.pending().deleteInBatch(b, key);
        }));
    }

    /** Adds deleting the schedule's finished fires but the newest {@code KEPT_FIRES - 1} (the new one joins them). */
    private void pruneInBatch(Batch b, String scheduleId) {
        try (CloseableIterator<Entry<FireKey, ScheduleFire>> it =
                     state.fires().scan(KeyRange.of(FireKey.ofSchedule(scheduleId)).reversed(true))) {
            for (int n = 1; it.hasNext(); n++) {
                Entry<FireKey, ScheduleFire> e = it.next();
                if (n >= KEPT_FIRES && e.value().done()) {
                    state.fires().deleteInBatch(b, e.key());
                }
            }
        }
    }

    /** A run of the schedule's last fire that started runs, if one of them is still active. */
    private Optional<String> lastActiveRun(String scheduleId) {
        try (CloseableIterator<Entry<FireKey, ScheduleFire>> it =
                     state.fires().scan(KeyRange.of(FireKey.ofSchedule(scheduleId)).reversed(true))) {
            while (it.hasNext()) {
                List<String> runs = it.next().value().runIds();
                if (!runs.isEmpty()) {
                    return runs.stream().filter(targets::isActive).findFirst();
                }
            }
        }
        return Optional.empty();
    }
}
