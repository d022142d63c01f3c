package io.actord.daemon.cluster;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The secret every host of a cluster shares, which a relayed request carries ({@link RelayHeaders#TOKEN}) so that the
 * run's host trusts the identity the relaying host says the caller has. It is made once, by whichever host comes
 * first, at {@value #KEY} in etcd in one transaction ("create if absent"), and read by the others: no operator has
 * to hand a secret to each host, and no lock is needed. etcd rather than PostgreSQL: whoever can write etcd can
 * already send every host's requests elsewhere (the host records' API URLs), so keeping the token there widens no
 * trust, and it needs no table of its own. It has no lease: it outlives every host.
 *
 * <p>An operator rotates it by writing a new value there ({@code etcdctl put /actord/cluster-token …}): each host
 * watches the key from the revision it read, so it relays with, and accepts, the new value as soon as etcd tells it;
 * a deleted token is made anew by the first host that sees it gone. When the watch ends (etcd compacted the revision,
 * the stream was cancelled) the key is read again and watched from there. Changes happen on the membership's thread.
 */
final class ClusterToken {
    static final String KEY = "/actord/cluster-token";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterToken.class);
    private static final int BYTES = 32;

    private final Client etcd;
    private final ScheduledExecutorService thread;
    private final Duration callTimeout;
    private final Duration retry;
    private volatile byte[] secret;
    // Confined to the membership's thread:
    private Watch.Watcher watcher;
    /** Counts the reads; a watch's events and end are ignored once a later read replaced it. */
    private int generation;
    private boolean closed;

    private ClusterToken(Client etcd, ScheduledExecutorService thread, Duration callTimeout, Duration retry) {
        this.etcd = etcd;
        this.thread = thread;
        this.callTimeout = callTimeout;
        this.retry = retry;
    }

    /**
     * Starts reading (or making) the token on {@code thread}, again every {@code retry} until it has it, and then
     * following its changes.
     */
    static ClusterToken fetch(Client etcd, ScheduledExecutorService thread, Duration callTimeout, Duration retry) {
        ClusterToken token = new ClusterToken(etcd, thread, callTimeout, retry);
        thread.execute(token::request);
        return token;
    }

    /** The token, once read. */
    Optional<String> value() {
        return Optional.ofNullable(secret).map(s -> new String(s, StandardCharsets.US_ASCII));
    }

    /** Whether {@code given} is the token (in time independent of where they differ). */
    boolean matches(String given) {
        byte[] s = secret;
        return s != null && MessageDigest.isEqual(s, given.getBytes(StandardCharsets.US_ASCII));
    }

    private void request() {
        if (closed) {
            return;
        }
        generation++;
        int gen = generation;
        closeWatcher();
        ByteSequence key = ByteSequence.from(KEY, StandardCharsets.UTF_8);
        byte[] fresh = new byte[BYTES];
        new SecureRandom().nextBytes(fresh);
        ByteSequence made = ByteSequence.from(Base64.getUrlEncoder().withoutPadding().encode(fresh));
        etcd.getKVClient().txn().If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0)))
                .Then(Op.put(key, made, PutOption.DEFAULT))
                .Else(Op.get(key, GetOption.DEFAULT))
                .commit().orTimeout(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((answer, error) -> answered(gen, answer, error, made), thread);
    }

    private void answered(int gen, TxnResponse answer, Throwable error, ByteSequence made) {
        if (gen != generation || closed) {
            return;
        }
        if (error != null) {
            LOG.warn("cluster token not read, again in {} ms: {}", retry.toMillis(), error.toString());
            thread.schedule(this::request, retry.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        if (answer.isSucceeded()) {
            secret = made.getBytes();
            LOG.info("cluster token made key={}", KEY);
        } else {
            secret = answer.getGetResponses().get(0).getKvs().get(0).getValue().getBytes();
            LOG.info("cluster token read key={}", KEY);
        }
        WatchOption from = WatchOption.builder().withRevision(answer.getHeader().getRevision() + 1).build();
        watcher = etcd.getWatchClient().watch(ByteSequence.from(KEY, StandardCharsets.UTF_8), from, Watch.listener(
                events -> thread.execute(() -> changed(gen, events)),
                failure -> thread.execute(() -> reread(gen, failure.toString())),
                () -> thread.execute(() -> reread(gen, "the watch ended"))));
    }

    private void changed(int gen, WatchResponse response) {
        if (gen != generation || closed) {
            return;
        }
        for (WatchEvent event : response.getEvents()) {
            if (event.getEventType() == WatchEvent.EventType.PUT) {
                secret = event.getKeyValue().getValue().getBytes();
                LOG.info("cluster token changed key={} revision={}", KEY, event.getKeyValue().getModRevision());
            } else if (event.getEventType() == WatchEvent.EventType.DELETE) {
                LOG.warn("cluster token deleted key={}: making or reading a new one", KEY);
                request();
                return;
            }
        }
    }

    private void reread(int gen, String why) {
        if (gen != generation || closed) {
            return;
        }
        LOG.warn("cluster token watch lost ({}), reading the token again in {} ms", why, retry.toMillis());
        closeWatcher();
        thread.schedule(this::request, retry.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void closeWatcher() {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
    }

    /** Stops following; call on the membership's thread. */
    void close() {
        closed = true;
        closeWatcher();
    }
}
