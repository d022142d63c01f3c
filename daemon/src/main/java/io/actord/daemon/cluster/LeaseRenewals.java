package io.actord.daemon.cluster;

import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/** The keep-alive's answers for one lease of {@link ClusterMembership}, handed to its thread: renewals and the loss. */
final class LeaseRenewals implements StreamObserver<LeaseKeepAliveResponse> {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseRenewals.class);

    private final Executor thread;
    private final LongConsumer renewed;
    private final Consumer<String> lost;

    /**
     * @param renewed told the {@link System#nanoTime} of each renewal's answer
     * @param lost    told why the lease is lost for good
     */
    LeaseRenewals(Executor thread, LongConsumer renewed, Consumer<String> lost) {
        this.thread = thread;
        this.renewed = renewed;
        this.lost = lost;
    }

    @Override
    public void onNext(LeaseKeepAliveResponse answer) {
        // jetcd sends the next renewal a third of the TTL after this answer; the answer's own send time is not
        // known, so it counts from now, and the margin covers the round trip.
        long now = System.nanoTime();
        thread.execute(() -> renewed.accept(now));
    }

    @Override
    public void onError(Throwable error) {
        // jetcd reopens a broken keep-alive stream by itself; only a lease etcd no longer has is final.
        if (error instanceof EtcdException e && e.getErrorCode() == ErrorCode.NOT_FOUND) {
            thread.execute(() -> lost.accept("etcd has no such lease any more (it expired)"));
        } else {
            LOG.debug("cluster keep-alive interrupted: {}", error.toString());
        }
    }

    @Override
    public void onCompleted() {
        thread.execute(() -> lost.accept("the keep-alive gave up (no renewal within the TTL)"));
    }
}
