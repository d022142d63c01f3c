package io.actord.daemon.proxy;

import io.actord.daemon.proxy.ContainerAddressResolver.Route;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ConnectException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One proxied request and the run's answer to it. {@link Phase} says where the answer is:
 * <pre>
 *  CONNECTING ─backend ready─▶ AWAITING ─1xx─▶ INTERIM ─its end─▶ AWAITING_FINAL ─(next head as from AWAITING)
 *      │                          ├─101─▶ SWITCHING ─its end─▶ the connections become a {@link ByteTunnel}
 *      │                          └─final head─▶ ANSWERING ─its end─▶ ANSWERED ─request done too─▶ next request
 *      └─no run, run not started in time, refused, unreachable; from AWAITING, backend closed─▶ 404/502 here
 * </pre>
 * The request goes its own way beside it ({@link #requestDone}): a server may answer before the whole body
 * has come, and the exchange ends only once both are through. Once the answer has begun, the backend
 * closing ends the client connection too.
 *
 * <p>Not thread-safe: every method runs on the client connection's event loop, as does the backend's.
 */
final class ProxyExchange {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyExchange.class);
    private static final long RETRY_MILLIS = 100;

    /** Where the run's answer is. */
    private enum Phase {
        /** The run's endpoint or the backend connection is not ready: request parts wait in {@link #unsent}. */
        CONNECTING,
        /** The request is going out; nothing of the answer has come. */
        AWAITING,
        /** An interim answer (1xx but 101, e.g. 100 Continue) is being relayed. */
        INTERIM,
        /** An interim answer went through; the final one is still to come. */
        AWAITING_FINAL,
        /** A 101 is being relayed: at its end both connections carry raw bytes. */
        SWITCHING,
        /** The final answer is being relayed. */
        ANSWERING,
        /** The final answer went through. */
        ANSWERED
    }

    private final ProxyFrontendHandler frontend;
    /** The frontend's place in the client's pipeline. */
    private final ChannelHandlerContext ctx;
    private final ContainerProxy proxy;
    private final Route.Found route;
    private final HttpRequest request;
    private final boolean clientKeepAlive;
    private final boolean head;
    private final long deadline;
    /** Request parts read before the backend connection was ready. */
    private final Deque<Object> unsent = new ArrayDeque<>();
    private final ChannelFutureListener sent = this::sent;
    private Phase phase = Phase.CONNECTING;
    /** The request's last part came from the client. */
    private boolean requestDone;
    /** The run was starting when the request came: a refused connection is retried until the deadline. */
    private boolean retryRefused;
    /** Set by the answer's head: both connections stay open after this exchange. */
    private boolean keepAlive;
    private ContainerEndpoint endpoint;
    private Channel channel;
    private ChannelFuture lastWrite;
    private ScheduledFuture<?> startTimer;

    /** For {@code request}, whose target and forwarded headers are already the run's. */
    ProxyExchange(ProxyFrontendHandler frontend, ChannelHandlerContext ctx, ContainerProxy proxy, Route.Found route,
                  HttpRequest request) {
        this.frontend = frontend;
        this.ctx = ctx;
        this.proxy = proxy;
        this.route = route;
        this.request = request;
        this.clientKeepAlive = HttpUtil.isKeepAlive(request);
        this.head = HttpMethod.HEAD.equals(request.method());
        this.deadline = System.nanoTime() + proxy.startupWait().toNanos();
    }

    /** Waits for the run's endpoint if it is still starting, then connects. */
    void begin() {
        unsent.add(request);
        requestDone = request instanceof LastHttpContent;
        CompletableFuture<ContainerEndpoint> pending = route.endpoint();
        if (pending.isDone()) {
            endpointKnown(pending.isCompletedExceptionally() ? null : pending.join());
            return;
        }
        retryRefused = true;
        startTimer = ctx.executor().schedule(() -> {
            if (frontend.isCurrent(this) && endpoint == null) {
                fail(HttpResponseStatus.BAD_GATEWAY, ProxyPages.notStarted());
            }
        }, proxy.startupWait().toMillis(), TimeUnit.MILLISECONDS);
        pending.whenComplete((e, error) -> onLoop(() -> {
            if (frontend.isCurrent(this)) {
                endpointKnown(error == null ? e : null);
            }
        }));
    }

    boolean requestDone() {
        return requestDone;
    }

    /** Whether {@code ch} is this exchange's backend connection. */
    boolean uses(Channel ch) {
        return channel == ch;
    }

    /** The run's container is known ({@code e}), or the run finished first (null). */
    private void endpointKnown(ContainerEndpoint e) {
        if (e == null || e.closed()) {
            fail(HttpResponseStatus.NOT_FOUND, ProxyPages.NOT_FOUND);
            return;
        }
        endpoint = e;
        retryRefused |= e.starting(proxy.startupWait());
        frontend.reusableBackend(e).ifPresentOrElse(this::attach, this::connect);
    }

    private void connect() {
        proxy.connect(endpoint, ctx.channel().eventLoop(), new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast("traffic", proxy.counter());
                ch.pipeline().addLast("codec", new HttpClientCodec(4096, 16384, 65536));
                ch.pipeline().addLast("relay", new ProxyBackendHandler(frontend, ctx));
            }
        }, this::connected);
    }

    private void connected(Channel ch, Throwable error) {
        if (!frontend.isCurrent(this) || !ctx.channel().isActive()) {
            if (ch != null) {
                ch.close();
            }
            return;
        }
        if (error == null) {
            frontend.keepBackend(ch, endpoint);
            attach(ch);
            return;
        }
        boolean refused = error instanceof ConnectException;
        if (refused && retryRefused && System.nanoTime() < deadline) {
            ctx.executor().schedule(() -> {
                if (frontend.isCurrent(this)) {
                    connect();
                }
            }, RETRY_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        LOG.debug("run={} proxy connect address={} failed: {}", route.runId(), endpoint.address(), error.toString());
        fail(HttpResponseStatus.BAD_GATEWAY, refused ? ProxyPages.notListening(endpoint.address().getPort())
                : ProxyPages.unreachable(error.getMessage() == null ? error.toString() : error.getMessage()));
    }

    /** The backend connection is ready: sends what was read so far and starts reading the answer. */
    private void attach(Channel ch) {
        channel = ch;
        phase = Phase.AWAITING;
        if (startTimer != null) {
            startTimer.cancel(false);
        }
        for (Object part = unsent.poll(); part != null; part = unsent.poll()) {
            lastWrite = channel.write(part);
        }
        flush();
        channel.read();
    }

    /** A part of the request from the client. */
    void send(Object msg) {
        if (!(msg instanceof HttpContent content)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (content.decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (msg instanceof LastHttpContent) {
            requestDone = true;
        }
        if (content.content().isReadable()) {
            frontend.pause();
        }
        if (phase == Phase.CONNECTING) {
            unsent.add(msg);
            return;
        }
        lastWrite = channel.write(msg);
        if (requestDone && phase == Phase.ANSWERED) {
            flush();
            complete();
        }
    }

    /** Flushes what was written to the backend; the client is read again once it is written (backpressure). */
    void flush() {
        if (channel == null || lastWrite == null) {
            return;
        }
        ChannelFuture written = lastWrite;
        lastWrite = null;
        channel.flush();
        if (written.isDone()) {
            sent(written);
        } else {
            written.addListener(sent);
        }
    }

    /** What {@link #flush} wrote went out (mostly at once: a small request needs no listener then). */
    private void sent(ChannelFuture f) {
        if (!f.isSuccess()) {
            f.channel().close();
        } else if (frontend.isCurrent(this) && !requestDone) {
            ctx.read();
        }
    }

    /** The head of the run's answer (before it is written to the client); a final path-form one is confined. */
    void responseHead(HttpResponse res) {
        int code = res.status().code();
        if (code == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
            phase = Phase.SWITCHING;
        } else if (code >= 100 && code < 200) {
            phase = Phase.INTERIM;
        } else {
            phase = Phase.ANSWERING;
            route.prefix().ifPresent(prefix -> PathFormHeaders.confine(res.headers(), prefix));
        }
        keepAlive = clientKeepAlive && HttpUtil.isKeepAlive(res) && framed(res);
    }

    /** Whether the answer's end is known without the connection closing. */
    private boolean framed(HttpResponse res) {
        int code = res.status().code();
        return head || code == 204 || code == 304 || HttpUtil.isContentLengthSet(res)
                || HttpUtil.isTransferEncodingChunked(res);
    }

    /** The end of an answer, after it was written to the client. */
    void responseEnd() {
        switch (phase) {
            case INTERIM -> phase = Phase.AWAITING_FINAL;
            case SWITCHING -> {
                frontend.upgraded(channel);
                LOG.debug("run={} proxy connection upgraded to {}", route.runId(),
                        request.headers().get(HttpHeaderNames.UPGRADE));
            }
            default -> {
                phase = Phase.ANSWERED;
                if (requestDone) {
                    complete();
                }
            }
        }
    }

    /** Both the request and its answer went through: the connection takes the next request or closes. */
    private void complete() {
        if (keepAlive) {
            frontend.exchangeDone();
        } else {
            frontend.dropBackend();
            frontend.closeClient();
        }
    }

    /** Answers the client from here, as nothing of the run's answer was sent yet. */
    private void fail(HttpResponseStatus status, String text) {
        if (startTimer != null) {
            startTimer.cancel(false);
        }
        unsent.forEach(ReferenceCountUtil::release);
        unsent.clear();
        if (channel != null) {
            frontend.dropBackend();
        }
        frontend.answered(ProxyPages.page(status, text, head, !clientKeepAlive), requestDone, clientKeepAlive);
    }

    /** This exchange's backend connection closed. */
    void backendClosed() {
        if (phase == Phase.AWAITING) {
            fail(HttpResponseStatus.BAD_GATEWAY, ProxyPages.closedEarly());
        } else {
            frontend.closeClient();
        }
    }

    /** The client went away. */
    void abandon() {
        unsent.forEach(ReferenceCountUtil::release);
        unsent.clear();
        if (startTimer != null) {
            startTimer.cancel(false);
        }
        if (channel != null) {
            channel.close();
        }
    }

    /** Runs on the client connection's event loop (from a run's or a namespace thread). */
    private void onLoop(Runnable action) {
        try {
            ctx.executor().execute(action);
        } catch (RejectedExecutionException e) {
            LOG.debug("proxy event loop gone; dropped a callback");
        }
    }
}
