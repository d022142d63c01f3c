package io.actord.daemon.cluster;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
 * TTL), with the host's record at {@code /actord/hosts/<hostId>} attached to it, and the other hosts' records
 * followed ({@link HostMembers}).
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

    static {
        // jetcd's Vert.x would make a /tmp/vertx-cache-<uuid> directory per daemon, to serve files from the class
        // path, which nothing here asks for; it is left behind whenever the daemon is killed (kill -9, a lost host)
        if (System.getProperty("vertx.disableFileCPResolving") == null) {
            System.setProperty("vertx.disableFileCPResolving", "true");
        }
    }

    private final Client etcd;
    private final ClusterConfig config;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor thread;
    private final HostMembers members;
    private final ClusterToken token;
    private final String hostId;
    private final ByteSequence key;
    private final Duration callTimeout;
    private final List<MembershipListener> listeners = new CopyOnWriteArrayList<>();
    private volatile MembershipState state;
    // Confined to the membership's thread:
    private HostRecord record;
    private long freeMbytes;
    /** The lease of the current join (meaningful while a member). */
    private long leaseId;
    private CloseableClient keepAlive;
    private ScheduledFuture<?> deadline;
    private ScheduledFuture<?> pendingWrite;
    private long lastWriteNanos;
    private int generation;

    private ClusterMembership(Client etcd, ClusterConfig config, HostRecord record, Clock clock) {
        this.etcd = etcd;
        this.config = config;
        this.clock = clock;
        this.record = record;
        this.freeMbytes = record.freeMbytes();
        this.hostId = record.hostId();
        this.key = ByteSequence.from(HOSTS + hostId, StandardCharsets.UTF_8);
        // A call that has not answered by the time the margin would be used up has failed: try again.
        this.callTimeout = config.safetyMargin();
        this.thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "cluster");
            t.setDaemon(true);
            return t;
        });
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
        Client etcd = Client.builder().endpoints(config.endpoints()).connectTimeout(config.safetyMargin())
                // gRPC pings find a dead connection to an etcd member that went away without a reset; etcd
                // refuses pings more often than every 5 s (--grpc-keepalive-min-time). jetcd also waits this long for
                // a lease's first renewal before it gives the lease up: never sooner than the membership would.
                .keepaliveTime(Duration.ofSeconds(6))
                .keepaliveTimeout(config.leaseTtl().minus(config.safetyMargin()))
                .build();
        ClusterMembership membership = new ClusterMembership(etcd, config, self, clock);
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

    /** The memory no run holds changed: the record says so within {@link #RECORD_INTERVAL}. */
    public void freeMemoryChanged(long mbytes) {
        thread.execute(() -> {
            freeMbytes = mbytes;
            scheduleWrite();
        });
    }

    private void grant(int gen) {
        if (gen != generation || state.phase() == MembershipState.Phase.CLOSED) {
            return;
        }
        long sent = System.nanoTime();
        HostRecord next = record.withFree(freeMbytes, clock.instant());
        etcd.getLeaseClient().grant(config.leaseTtl().toSeconds(), callTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenCompose(lease -> put(next, lease.getID()).thenApply(put -> lease.getID()))
                .whenCompleteAsync((lease, error) -> granted(gen, sent, next, lease, error), thread);
    }

    private void granted(int gen, long sent, HostRecord written, Long lease, Throwable error) {
        if (gen != generation || state.phase() == MembershipState.Phase.CLOSED) {
            if (lease != null) {
                etcd.getLeaseClient().revoke(lease);
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
        leaseId = lease;
        record = written;
        lastWriteNanos = System.nanoTime();
        renewed(gen, sent);
        keepAlive = etcd.getLeaseClient().keepAlive(lease, new Renewals(gen));
        state = new MembershipState(MembershipState.Phase.MEMBER, clock.instant(), Optional.empty());
        LOG.info("cluster member host={} lease={} ttl_secs={} api={}", hostId(), Long.toHexString(lease),
                config.leaseTtl().toSeconds(), record.apiUrl());
        listeners.forEach(l -> l.joined(hostId()));
        scheduleWrite();
    }

    /** A renewal that was asked for at {@code sentNanos} came back: the lease lives at least until then + TTL. */
    private void renewed(int gen, long sentNanos) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        long outAt = sentNanos + config.leaseTtl().minus(config.safetyMargin()).toNanos();
        deadline = thread.schedule(() -> leave(gen, "no lease renewal for "
                        + config.leaseTtl().minus(config.safetyMargin()).toMillis() + " ms"),
                outAt - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    private void leave(int gen, String reason) {
        if (gen != generation || state.phase() != MembershipState.Phase.MEMBER) {
            return;
        }
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
                || freeMbytes == record.freeMbytes()) {
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
        HostRecord next = record.withFree(freeMbytes, clock.instant());
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
        Throwable e = error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error;
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

    /** The keep-alive's answers for the lease of join {@code gen}, handed to the membership's thread. */
    private final class Renewals implements StreamObserver<LeaseKeepAliveResponse> {
        private final int gen;

        Renewals(int gen) {
            this.gen = gen;
        }

        @Override
        public void onNext(LeaseKeepAliveResponse answer) {
            // jetcd sends the next renewal a third of the TTL after this answer; the answer's own send time is not
            // known, so it counts from now, and the margin covers the round trip.
            long now = System.nanoTime();
            thread.execute(() -> {
                if (gen == generation && state.member()) {
                    renewed(gen, now);
                }
            });
        }

        @Override
        public void onError(Throwable error) {
            // jetcd reopens a broken keep-alive stream by itself; only a lease etcd no longer has is final.
            boolean gone = error instanceof EtcdException e && e.getErrorCode() == ErrorCode.NOT_FOUND;
            thread.execute(() -> {
                if (gone) {
                    leave(gen, "etcd has no such lease any more (it expired)");
                } else if (gen == generation) {
                    LOG.debug("cluster host={} keep-alive interrupted: {}", hostId(), cause(error));
                }
            });
        }

        @Override
        public void onCompleted() {
            thread.execute(() -> leave(gen, "the keep-alive gave up (no renewal within the TTL)"));
        }
    }
}
