package io.actord.daemon.cluster;

import io.actord.daemon.builds.BuildService;
import io.actord.daemon.common.Threads;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunMigration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * What this host does with runs as hosts come and go (#26, "Host failure" and "Planned drain"):
 * <ul>
 *   <li>when it counts itself out of the cluster ({@link #left}), it kills every container of its runs at once and
 *       stores nothing: before its lease can expire elsewhere, so that no run runs twice once another host has
 *       migrated it, and stops its builds; when it is a member again ({@link #joined}), the runs it gave up that nobody settled meanwhile
 *       are settled here, like any departed host's;</li>
 *   <li>while it is a member, it settles the runs of hosts that are gone ({@link RunMigration#settleDeparted}): when
 *       the member set changes, and every {@link #SWEEP} for a departure it missed (a watch resumed, a daemon that
 *       started after the host went); their unfinished builds fail ({@link BuildService#failDeparted});</li>
 *   <li>a drain ({@link #drain}) stops the host claiming runs and moves its runs away.</li>
 * </ul>
 * Sweeps and drains run on one thread of this class's (they read and write the database); {@link #left} runs on the
 * membership's thread, as the membership requires.
 */
public final class HostFailover implements MembershipListener, AutoCloseable {
    /** How often a member looks for runs of departed hosts that no member-set change brought to its notice. */
    public static final Duration SWEEP = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(HostFailover.class);

    private final ClusterMembership membership;
    private final RunMigration migration;
    private final BuildService builds;
    /** Tells the membership what memory the runs left free (its record carries it). */
    private final Runnable offerChanged;
    private final ScheduledThreadPoolExecutor thread;
    private final AtomicBoolean sweepQueued = new AtomicBoolean();
    private volatile boolean drained;
    /** The runs given up when the host left, until it is a member again; on the membership's thread only. */
    private List<Run> evicted = List.of();

    private HostFailover(ClusterMembership membership, RunMigration migration, BuildService builds,
                         Runnable offerChanged) {
        this.membership = membership;
        this.migration = migration;
        this.builds = builds;
        this.offerChanged = offerChanged;
        this.thread = new ScheduledThreadPoolExecutor(1, Threads.named("cluster-runs"));
        thread.setRejectedExecutionHandler(new ThreadPoolExecutor.DiscardPolicy());
    }

    /**
     * Starts following {@code membership} for the runs {@code migration} moves and the {@code builds} that fail with
     * their hosts; {@code offerChanged} is called when what this host offers changes other than by a run's status: once
     * runs given up have released their memory, and when a drain begins or ends.
     */
    public static HostFailover start(ClusterMembership membership, RunMigration migration, BuildService builds,
                                     Runnable offerChanged) {
        HostFailover failover = new HostFailover(membership, migration, builds, offerChanged);
        membership.listen(failover);
        membership.onHostsChange(hosts -> failover.sweepSoon());
        failover.thread.scheduleWithFixedDelay(failover::sweepSoon, SWEEP.toMillis(), SWEEP.toMillis(),
                TimeUnit.MILLISECONDS);
        return failover;
    }

    /**
     * Whether this host may claim runs now (placement asks, #26): while it is a member of the cluster and has not been
     * drained. An OUT host claims nothing until it has joined again.
     */
    public boolean claiming() {
        return membership.state().member() && !drained;
    }

    /** Whether this host was drained (and not undrained since): its record says so, so no host relays it a build. */
    public boolean drained() {
        return drained;
    }

    @Override
    public void joined(String hostId) {
        List<Run> given = evicted;
        evicted = List.of();
        if (!given.isEmpty()) {
            thread.execute(() -> release(given));
        }
        sweepSoon();
    }

    /** Settles the runs given up that nobody settled meanwhile; again after {@link #SWEEP} while the database is away. */
    private void release(List<Run> given) {
        try {
            migration.releaseEvicted(given);
        } catch (RuntimeException e) {
            LOG.warn("cluster host={} could not release the runs={} it gave up: {}; again in {} s", membership.hostId(),
                    given.size(), e.toString(), SWEEP.toSeconds());
            thread.schedule(() -> release(given), SWEEP.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Kills this host's runs' containers at once; bounded by the kills themselves, as nothing is stored. */
    @Override
    public void left(String hostId, String reason) {
        long start = System.nanoTime();
        List<Run> given = new ArrayList<>(evicted);
        given.addAll(migration.evictAll());
        evicted = List.copyOf(given);
        builds.leftCluster();
        offerChanged.run();
        LOG.warn("cluster host={} out ({}): killed the containers of runs={} in {} ms (the margin before its lease can"
                + " expire elsewhere is {} ms)", hostId, reason, given.size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                membership.config().safetyMargin().toMillis());
    }

    /**
     * Drains this host: it claims no runs from now on, and its runs move away ({@link RunMigration#drain}), each given
     * at most {@code bound} to persist its state. Completes with what was moved.
     */
    public CompletableFuture<List<RunMigration.Moved>> drain(Duration bound) {
        drained = true;
        offerChanged.run();
        LOG.info("cluster host={} is drained: it claims no runs from now on", membership.hostId());
        return CompletableFuture.supplyAsync(() -> {
            List<RunMigration.Moved> moved = migration.drain(bound);
            offerChanged.run();
            return moved;
        }, thread);
    }

    /**
     * Ends a drain: the host claims runs again (its own moved ones among them, if no other host has yet); a drain
     * still moving runs finishes moving those it took.
     */
    public void undrain() {
        if (drained) {
            drained = false;
            LOG.info("cluster host={} is no longer drained: it claims runs again", membership.hostId());
            offerChanged.run();
        }
    }

    /** Queues one sweep, unless one waits already (a burst of member-set changes is one sweep). */
    private void sweepSoon() {
        if (sweepQueued.compareAndSet(false, true)) {
            thread.execute(() -> {
                sweepQueued.set(false);
                sweep();
            });
        }
    }

    private void sweep() {
        if (!membership.state().member() || !live().contains(membership.hostId())) {
            return; // the member set this host sees is not one it is part of: not yet read, or the host is out
        }
        guarded("settle the runs of departed hosts", () -> migration.settleDeparted(this::live));
        guarded("fail the builds of departed hosts", () -> builds.failDeparted(live()::contains));
    }

    private Set<String> live() {
        return membership.hosts().stream().map(HostRecord::hostId).collect(Collectors.toSet());
    }

    /** Runs {@code work}; a failure (the database away) is logged, and the next sweep tries again. */
    private void guarded(String what, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.warn("cluster host={} could not {}: {}; trying again within {} s", membership.hostId(), what,
                    e.toString(), SWEEP.toSeconds());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
