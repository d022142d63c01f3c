package io.actord.daemon.cluster;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
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
 */
final class ClusterToken {
    static final String KEY = "/actord/cluster-token";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterToken.class);
    private static final int BYTES = 32;

    private final KV kv;
    private final ScheduledExecutorService thread;
    private final Duration callTimeout;
    private final Duration retry;
    private volatile byte[] secret;

    private ClusterToken(KV kv, ScheduledExecutorService thread, Duration callTimeout, Duration retry) {
        this.kv = kv;
        this.thread = thread;
        this.callTimeout = callTimeout;
        this.retry = retry;
    }

    /** Starts reading (or making) the token on {@code thread}, again every {@code retry} until it has it. */
    static ClusterToken fetch(KV kv, ScheduledExecutorService thread, Duration callTimeout, Duration retry) {
        ClusterToken token = new ClusterToken(kv, thread, callTimeout, retry);
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
        ByteSequence key = ByteSequence.from(KEY, StandardCharsets.UTF_8);
        byte[] fresh = new byte[BYTES];
        new SecureRandom().nextBytes(fresh);
        ByteSequence made = ByteSequence.from(Base64.getUrlEncoder().withoutPadding().encode(fresh));
        kv.txn().If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0)))
                .Then(Op.put(key, made, PutOption.DEFAULT))
                .Else(Op.get(key, GetOption.DEFAULT))
                .commit().orTimeout(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((answer, error) -> answered(answer, error, made), thread);
    }

    private void answered(TxnResponse answer, Throwable error, ByteSequence made) {
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
    }
}
