package io.actord.daemon.run;

import io.actord.daemon.common.EndWaiters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The runs of a cluster when hosts go (#26, "Host failure" and "Planned drain"). A run whose host is gone is
 * settled by a host that is still a member, under the run's owner lock and on what it reads again inside it (the
 * owner still gone, the epoch unchanged): a RUNNING run becomes unplaced (no owner, no container, migrationCount and
 * epoch + 1; status, timeout, container URL token and storages kept: the platform's "migrated to a new server"), a
 * READY one too (epoch + 1), and a TIMING-OUT or ABORTING one ends as was decided (TIMED-OUT, ABORTED), as any end:
 * its finish time, the run-ends signal, the webhooks and waiters of this daemon. An unplaced run enters the unplaced
 * index and is announced on {@link RunRepository#PLACEMENT} by the write that stores it, for placement to claim it
 * ({@link RunOwner#unplaced}).
 *
 * <p>This host gives its own runs up in two ways: all at once when it counts itself out of the cluster
 * ({@link #evictAll}: containers killed, nothing stored, as another host settles them), and one by one when it is
 * drained ({@link #drain}: the actors are told first and given time to persist their state).
 */
public final class RunMigration {
    private static final Logger LOG = LoggerFactory.getLogger(RunMigration.class);

    private final RunRepository repository;
    private final ActiveRuns active;
    private final Supervisors supervisors;
    private final EndWaiters<Run> waiters;
    private final RunOwner owner;
    private final Clock clock;

    RunMigration(RunRepository repository, ActiveRuns active, Supervisors supervisors, EndWaiters<Run> waiters,
                 RunOwner owner, Clock clock) {
        this.repository = repository;
        this.active = active;
        this.supervisors = supervisors;
        this.waiters = waiters;
        this.owner = owner;
        this.clock = clock;
    }

    /**
     * What was done to one run.
     *
     * @param from     its status before
     * @param to       its status after (the same for a run that was unplaced)
     * @param unplaced whether it now waits for placement
     */
    public record Moved(String runId, RunStatus from, RunStatus to, boolean unplaced) {
    }

    /**
     * Settles every active run whose owner is not among the {@code live} hosts (read again under each run's lock);
     * ownerless runs are placement's or older than owners, and are left alone. Returns what was settled.
     */
    public List<Moved> settleDeparted(Supplier<Set<String>> live) {
        Set<String> members = live.get();
        List<Moved> moved = new ArrayList<>();
        for (RunStatus status : RunRecovery.ACTIVE) {
            for (Run run : repository.withStatus(status, missing -> { })) {
                String host = run.ownerHost();
                if (host != null && !members.contains(host)) {
                    settle(run.id(), same(host, run.epoch()).and(r -> !live.get().contains(host)),
                            "its host " + host + " left the cluster").ifPresent(moved::add);
                }
            }
        }
        return moved;
    }

    /**
     * Gives every active run of this host up at once (it left the cluster): their containers are killed, their
     * memory released, and nothing is stored (see {@link ActiveRuns#evictAll}). Returns the runs as they were, for
     * {@link #releaseEvicted} once the host is a member again.
     */
    public List<Run> evictAll() {
        List<Run> evicted = active.evictAll();
        LOG.warn("cluster host={} gave its runs up: killed={} runs={}", owner.hostId(), evicted.size(),
                evicted.stream().map(Run::id).toList());
        return evicted;
    }

    /**
     * This host is a member again: each run it gave up that no other host settled meanwhile (it still names this
     * host, at the same epoch) is settled by this host as any departed host's run.
     */
    public List<Moved> releaseEvicted(List<Run> evicted) {
        List<Moved> moved = new ArrayList<>();
        for (Run run : evicted) {
            settle(run.id(), same(owner.hostId(), run.epoch()), "its host " + owner.hostId() + " left the cluster")
                    .ifPresent(moved::add);
        }
        return moved;
    }

    /**
     * Drains this host: each RUNNING run whose actor listens for events is sent {@code migrating} (with the time it
     * has) and {@code persistState}, and is waited for until it asks for a reboot (the SDK's default {@code migrating}
     * handler does so once it has persisted; the platform documents the reboot as the way to migrate at once), ends,
     * or {@code bound} has passed: the platform gives a migrating run only a short time and does not wait for it to
     * exit. Then the run's container is killed and the run unplaced as a departed host's (migrationCount + 1); a
     * READY run is unplaced at once. TIMING-OUT and ABORTING runs end here as decided. Returns what was moved.
     */
    public List<Moved> drain(Duration bound) {
        List<Run> runs = active.runs().stream()
                .filter(r -> r.status() == RunStatus.READY || r.status() == RunStatus.RUNNING).toList();
        Map<String, CompletableFuture<?>> persisted = new LinkedHashMap<>();
        for (Run run : runs) {
            if (run.status() == RunStatus.RUNNING) {
                active.onSupervisor(run.id(), s -> s.migrating(bound)).ifPresent(asked -> persisted.put(run.id(),
                        CompletableFuture.anyOf(asked, waiters.await(run.id(), bound))));
            }
        }
        LOG.info("cluster host={} drains runs={}, waiting for runs={} to persist (at most {} s)", owner.hostId(),
                runs.size(), persisted.keySet(), bound.toSeconds());
        try {
            CompletableFuture.allOf(persisted.values().toArray(CompletableFuture[]::new))
                    .get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.info("cluster host={} drain: not every run persisted within {} s; migrating them now", owner.hostId(),
                    bound.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Moved> moved = new ArrayList<>();
        for (Run run : runs) {
            settle(run.id(), same(owner.hostId(), run.epoch())
                            .and(r -> r.status() == RunStatus.READY || r.status() == RunStatus.RUNNING),
                    "its host " + owner.hostId() + " was drained", r -> active.evict(r.id())).ifPresent(moved::add);
        }
        return moved;
    }

    /** A run as its host (gone) left it: still named the owner at {@code epoch}, and still active. */
    private static Predicate<Run> same(String host, long epoch) {
        return r -> host.equals(r.ownerHost()) && r.epoch() == epoch;
    }

    private Optional<Moved> settle(String runId, Predicate<Run> due, String reason) {
        return settle(runId, due, reason, r -> { });
    }

    /**
     * Under the run's owner lock: reads it again and, when it is still active and {@code due}, lets {@code before}
     * act on it (a drain kills its container here first, so it never runs twice) and stores it settled.
     */
    private Optional<Moved> settle(String runId, Predicate<Run> due, String reason,
                                   Consumer<Run> before) {
        return repository.underOwnerLock(runId, () -> repository.get(runId)
                .filter(r -> !r.status().isTerminal() && due.test(r)).map(run -> {
                    before.accept(run);
                    Run next = settled(run, clock.instant(), reason);
                    boolean unplaced = !next.status().isTerminal();
                    repository.save(run, next);
                    if (!unplaced) {
                        supervisors.changed(run, next);
                    }
                    LOG.info("cluster run={} status={}->{} epoch={} migrationCount={} {}: {}", runId,
                            run.status().wireName(), next.status().wireName(), next.epoch(), next.migrationCount(),
                            unplaced ? "waits for placement" : "ended", reason);
                    return new Moved(runId, run.status(), next.status(), unplaced);
                }));
    }

    /**
     * The run once its host is gone ({@code reason}), at {@code now}: RUNNING and READY runs lose their owner and
     * container (a RUNNING one counts a migration), TIMING-OUT and ABORTING ones end as the state machine ends them
     * when their container is lost; the epoch grows by one either way, so the host that is gone cannot write it.
     */
    static Run settled(Run run, Instant now, String reason) {
        Run.Builder next = switch (run.status()) {
            case RUNNING -> run.toBuilder().ownerHost(null).container(null).migrationCount(run.migrationCount() + 1);
            case READY -> run.toBuilder().ownerHost(null).container(null);
            default -> {
                RunEvent lost = new RunEvent.ContainerLost(reason);
                if (!(RunStateMachine.next(run, lost) instanceof Transition.Move move) || !move.to().isTerminal()) {
                    throw new IllegalStateException("run " + run.id() + " in status " + run.status().wireName()
                            + " cannot be settled");
                }
                yield RunMoves.next(run, move, lost, now, Duration.ZERO, null);
            }
        };
        return next.epoch(run.epoch() + 1).build();
    }
}
