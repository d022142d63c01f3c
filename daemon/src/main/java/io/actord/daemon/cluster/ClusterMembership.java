package io.actord.daemon.cluster;

import io.actord.daemon.common.Futures;
import io.actord.daemon.common.Threads;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * This host's membership: an etcd lease of the configured TTL, kept alive (jetcd renews it every third of the
 * TTL), with the host's id ({@link HostIdClaim}) and its record at {@code /actord/hosts/<hostId>} attached to it,
 * and the other hosts' records followed ({@link HostMembers}).
 *
 * <p>The host counts itself out when no renewal has come back for the TTL less the safety margin: etcd extends the
 * lease to (the leader's time of the renewal + TTL), which is never later than (our time of its answer + TTL), so
 * at that point the lease is still alive everywhere, and the margin is left for what must stop first
 * ({@link MembershipListener#left}). Then it revokes the old lease (so the others see it go at once, if etcd can be
 * reached) and joins again with a new one. A daemon that stops does not revoke: a restart is not a departure (its
 * runs live on), and the record lapses with the lease if it does not come back within the TTL.
 *
 * <p>Threads: every change happens on the one thread this class owns; jetcd's callbacks are handed to it, tagged
 * with the join they belong to, so an answer from an abandoned lease is ignored.
 */
public final class ClusterMembership implements AutoCloseable {
    /** The key prefix of the host records. */
    public static final String HOSTS = "/actord/hosts/";
    /** Free memory is written at most this often (a burst of run starts is one write). */
    static final Duration RECORD_INTERVAL = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(ClusterMembership.class);

    private final Client etcd;
    private final ClusterConfig config;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor thread;
    private final HostMembers members;
    private final ClusterToken token;
    private final String hostId;
    private final ByteSequence key;
    private final Duration callTimeout;
    private final HostIdClaim claim;
    private final CompletableFuture<Void> claimed = new CompletableFuture<>();
    private final CompletableFuture<Void> joined = new CompletableFuture<>();
    private final List<MembershipListener> listeners = new CopyOnWriteArrayList<>();
    private volatile MembershipState state;
    // Confined to the membership's thread:
    /** Null until the API's URL is known ({@link #join(HostRecord)}). */
    private HostRecord record;
    private long freeMbytes;
    private boolean drained;
    /** The lease of the current join (meaningful while leased). */
    private long leaseId;
    /** Whether the host holds a live lease and its id under it (a member once its record is written too). */
    private boolean leased;
    private CloseableClient keepAlive;
    private ScheduledFuture<?> deadline;
    private ScheduledFuture<?> pendingWrite;
    private long lastWriteNanos;
    private int generation;

    private ClusterMembership(Client etcd, ClusterConfig config, String hostId, HostRecord record, Clock clock) {
        this.etcd = etcd;
        this.config = config;
        this.clock = clock;
        this.record = record;
        this.freeMbytes = record == null ? 0 : record.freeMbytes();
        this.hostId = hostId;
        this.key = ByteSequence.from(HOSTS + hostId, StandardCharsets.UTF_8);
        // A call that has not answered by the time the margin would be used up has failed: try again.
        this.callTimeout = config.safetyMargin();
        this.claim = new HostIdClaim(etcd.getKVClient(), hostId, clock.instant(), callTimeout);
        this.thread = new ScheduledThreadPoolExecutor(1, Threads.named("cluster"));
        thread.setRemoveOnCancelPolicy(true);
        // After close, jetcd may still deliver an answer or event it had in flight: there is nothing left to do.
        thread.setRejectedExecutionHandler(new ThreadPoolExecutor.DiscardPolicy());
        this.members = new HostMembers(etcd, thread, callTimeout, RECORD_INTERVAL);
        this.token = ClusterToken.fetch(etcd, thread, callTimeout, RECORD_INTERVAL);
        this.state = new MembershipState(MembershipState.Phase.JOINING, clock.instant(), Optional.empty());
    }

    /**
     * Starts joining the cluster {@code config} names as {@code self} (its host id, API URL and memory) and
     * following its members; returns at once ({@link #state} says when the host is a member).
     */
    public static ClusterMembership join(ClusterConfig config, HostRecord self, Clock clock) {
        return start(config, self.hostId(), self, clock);
    }

    /**
     * Starts taking host id {@code hostId} in the cluster {@code config} names ({@link HostIdClaim}) under a lease it
     * keeps alive from then on, and following the members; {@link #claimed} says when the id is this daemon's. The
     * host is a member once {@link #join(HostRecord)} has written its record. A daemon restarted after a crash finds
     * its old claim until the old lease lapses: the id counts as another daemon's only when it is still held a TTL
     * (and the margin) after the first try.
     */
    public static ClusterMembership claim(ClusterConfig config, String hostId, Clock clock) {
        return start(config, hostId, null, clock);
    }

    /** The cluster's etcd, for what every host shares besides membership ({@link ClusterSecrets}). */
    KV kv() {
        return etcd.getKVClient();
    }

    /** Completes once this daemon holds its host id, or with an IllegalStateException naming who else does. */
    public CompletableFuture<Void> claimed() {
        return claimed;
    }

    /**
     * Publishes {@code self}, the host's record, under the lease {@link #claim} holds; the future completes when the
     * host is first a member.
     */
    public CompletableFuture<Void> join(HostRecord self) {
        thread.execute(() -> {
            record = self;
            freeMbytes = self.freeMbytes();
            if (leased) {
                publish(generation);
            }
        });
        return joined;
    }

    private static ClusterMembership start(ClusterConfig config, String hostId, HostRecord self, Clock clock) {
        ClusterMembership membership = new ClusterMembership(config.connect(), config, hostId, self, clock);
        membership.members.start();
        membership.thread.execute(() -> membership.grant(0));
        return membership;
    }

    public String hostId() {
        return hostId;
    }

    public ClusterConfig config() {
        return config;
    }

    public MembershipState state() {
        return state;
    }

    /** The hosts whose records are live in etcd now (this one among them while it is a member). */
    public List<HostRecord> hosts() {
        return members.list();
    }

    /** The secret the cluster's hosts share (relayed requests carry it); read in the background after joining. */
    ClusterToken token() {
        return token;
    }

    /** {@code listener} hears of every join and departure of this host, from now on. */
    public void listen(MembershipListener listener) {
        listeners.add(listener);
    }

    /** {@code listener} gets the whole member set after each change. */
    public void onHostsChange(Consumer<List<HostRecord>> listener) {
        members.onChange(listener);
    }

    /** What the host offers changed (free memory, or drained): the record says so within {@link #RECORD_INTERVAL}. */
    public void offerChanged(long mbytes, boolean isDrained) {
        thread.execute(() -> {
            freeMbytes = mbytes;
            drained = isDrained;
            scheduleWrite();
        });
    }

    private void grant(int gen) {
        if (gen != generation || state.phase() == MembershipState.Phase.CLOSED) {
            return;
        }
        long sent = System.nanoTime();
        HostRecord next = record == null ? null : record.with(freeMbytes, drained, clock.instant());
        etcd.getLeaseClient().grant(config.leaseTtl().toSeconds(), callTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenCompose(lease -> claim.take(lease.getID(), next == null ? List.of()
                        : List.of(Op.put(key, ByteSequence.from(next.toJson()),
                        PutOption.builder().withLeaseId(lease.getID()).build())))
                        .thenApply(holder -> new Grant(lease.getID(), holder)))
                .whenCompleteAsync((grant, error) -> granted(gen, sent, next, grant, error), thread);
    }

    /** A lease, and who holds the host id if not this daemon (then the lease is given back). */
    private record Grant(long lease, Optional<String> holder) { }

    private void granted(int gen, long sent, HostRecord written, Grant grant, Throwable error) {
        if (gen != generation || state.phase() == MembershipState.Phase.CLOSED) {
            if (grant != null) {
                etcd.getLeaseClient().revoke(grant.lease());
            }
            return;
        }
        if (error != null) {
            String reason = "join failed: " + cause(error);
            LOG.warn("cluster host={} {}, again in {} ms", hostId(), reason, RECORD_INTERVAL.toMillis());
            state = new MembershipState(state.phase(), state.since(), Optional.of(reason));
            thread.schedule(() -> grant(gen), RECORD_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        if (grant.holder().isPresent()) {
            etcd.getLeaseClient().revoke(grant.lease());
            heldElsewhere(gen, claim.refusal(grant.holder().get()));
            return;
        }
        claim.taken();
        leaseId = grant.lease();
        leased = true;
        renewed(gen, sent);
        keepAlive = etcd.getLeaseClient().keepAlive(leaseId, new LeaseRenewals(thread, at -> {
            if (gen == generation && leased) {
                renewed(gen, at);
            }
        }, reason -> leave(gen, reason)));
        claimed.complete(null);
        if (written != null) {
            record = written;
            lastWriteNanos = System.nanoTime();
            member();
        } else if (record != null) {
            publish(gen);
        } else {
            state = new MembershipState(MembershipState.Phase.JOINING, state.since(), Optional.empty());
            LOG.info("cluster host id taken host={} lease={}", hostId(), Long.toHexString(leaseId));
        }
    }

    /** Another daemon holds the host id: refused at start once it is held past a TTL, else tried again. */
    private void heldElsewhere(int gen, String reason) {
        if (claim.heldLongerThan(config.leaseTtl().plus(config.safetyMargin())) && !claimed.isDone()) {
            claimed.completeExceptionally(new IllegalStateException(reason));
            return;
        }
        LOG.warn("cluster {}; again in {} ms", reason, RECORD_INTERVAL.toMillis());
        state = new MembershipState(state.phase(), state.since(), Optional.of(reason));
        thread.schedule(() -> grant(gen), RECORD_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Writes the record under the lease the host id was taken with (the API's URL was not known then). */
    private void publish(int gen) {
        HostRecord next = record.with(freeMbytes, drained, clock.instant());
        put(next, leaseId).whenCompleteAsync((put, error) -> {
            if (gen != generation || !leased || state.member()) {
                return;
            }
            if (error != null) {
                LOG.warn("cluster host={} record not written, again in {} ms: {}", hostId(),
                        RECORD_INTERVAL.toMillis(), cause(error));
                thread.schedule(() -> publish(gen), RECORD_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            record = next;
            lastWriteNanos = System.nanoTime();
            member();
        }, thread);
    }

    private void member() {
        state = new MembershipState(MembershipState.Phase.MEMBER, clock.instant(), Optional.empty());
        LOG.info("cluster member host={} lease={} ttl_secs={} api={}", hostId(), Long.toHexString(leaseId),
                config.leaseTtl().toSeconds(), record.apiUrl());
        listeners.forEach(l -> l.joined(hostId()));
        joined.complete(null);
        scheduleWrite();
    }

    /** A renewal that was asked for at {@code sentNanos} came back: the lease lives at least until then + TTL. */
    private void renewed(int gen, long sentNanos) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        Duration out = config.leaseTtl().minus(config.safetyMargin());
        deadline = thread.schedule(() -> leave(gen, "no lease renewal for " + out.toMillis() + " ms"),
                sentNanos + out.toNanos() - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    private void leave(int gen, String reason) {
        if (gen != generation || !leased) {
            return;
        }
        leased = false;
        generation++;
        stopRenewing();
        long old = leaseId;
        state = new MembershipState(MembershipState.Phase.OUT, clock.instant(), Optional.of(reason));
        LOG.warn("cluster host={} is out of the cluster: {}; rejoining with a new lease", hostId(), reason);
        for (MembershipListener l : listeners) {
            try {
                l.left(hostId(), reason);
            } catch (RuntimeException e) {
                LOG.error("cluster host={} departure listener failed", hostId(), e);
            }
        }
        etcd.getLeaseClient().revoke(old).orTimeout(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(e -> null);
        grant(generation);
    }

    private void scheduleWrite() {
        if (state.phase() != MembershipState.Phase.MEMBER || pendingWrite != null
                || freeMbytes == record.freeMbytes() && drained == record.drained()) {
            return;
        }
        long wait = lastWriteNanos + RECORD_INTERVAL.toNanos() - System.nanoTime();
        int gen = generation;
        pendingWrite = thread.schedule(() -> write(gen), Math.max(0, wait), TimeUnit.NANOSECONDS);
    }

    private void write(int gen) {
        pendingWrite = null;
        if (gen != generation || state.phase() != MembershipState.Phase.MEMBER) {
            return;
        }
        HostRecord next = record.with(freeMbytes, drained, clock.instant());
        lastWriteNanos = System.nanoTime();
        put(next, leaseId).whenCompleteAsync((put, error) -> {
            if (gen != generation) {
                return;
            }
            if (error != null) {
                LOG.warn("cluster host={} record not updated: {}", hostId(), cause(error));
            } else {
                record = next;
            }
            scheduleWrite();
        }, thread);
    }

    private CompletableFuture<?> put(HostRecord value, long lease) {
        return etcd.getKVClient().put(key, ByteSequence.from(value.toJson()),
                PutOption.builder().withLeaseId(lease).build()).orTimeout(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void stopRenewing() {
        if (keepAlive != null) {
            keepAlive.close();
            keepAlive = null;
        }
        for (ScheduledFuture<?> f : new ScheduledFuture<?>[] {deadline, pendingWrite}) {
            if (f != null) {
                f.cancel(false);
            }
        }
        deadline = null;
        pendingWrite = null;
    }

    private static String cause(Throwable error) {
        Throwable e = Futures.cause(error);
        return e instanceof TimeoutException ? "etcd did not answer in time"
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** Stops renewing and following (the lease is left to lapse: see the class comment). Idempotent. */
    @Override
    public synchronized void close() {
        if (thread.isShutdown()) {
            return;
        }
        try {
            thread.submit(() -> {
                generation++;
                leased = false;
                stopRenewing();
                members.close();
                token.close();
                state = new MembershipState(MembershipState.Phase.CLOSED, clock.instant(), Optional.empty());
            }).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("cluster host={} did not stop cleanly: {}", hostId(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.shutdownNow();
        etcd.close();
    }
}
