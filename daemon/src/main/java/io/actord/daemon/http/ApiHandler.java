package io.actord.daemon.http;

import io.actord.daemon.common.Futures;
import io.actord.daemon.common.Ids;
import io.actord.daemon.access.Caller;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Routes each request and writes the answer. Stateless and shared by every channel: on the event loop it
 * only copies the request out of Netty's buffers; routing, body decoding and the handler run on the
 * worker executor, and the response is written back from whichever thread completes it (Netty queues
 * writes onto the channel's event loop).
 */
@Sharable
public final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    /** Requests being answered on a channel; an idle channel is closed only when none are (waitForFinish, log streams). */
    private static final AttributeKey<AtomicInteger> IN_FLIGHT = AttributeKey.valueOf("actord.inFlight");
    /** Set on the connections of a run's in-run endpoint: every request on them comes from that run. */
    public static final AttributeKey<String> RUN_ID = AttributeKey.valueOf("actord.runId");

    private final Router router;
    private final Executor worker;
    private final long maxBodyBytes;
    private final Authenticator authenticator;
    private volatile boolean stopping;

    public ApiHandler(Router router, Executor worker, long maxBodyBytes, Authenticator authenticator) {
        this.router = router;
        this.worker = worker;
        this.maxBodyBytes = maxBodyBytes;
        this.authenticator = authenticator;
    }

    /**
     * From now on every request is answered 503 service-unavailable (clients retry it) and its connection closed:
     * the daemon is stopping, and the services behind the routes are closing.
     */
    public void stopAccepting() {
        stopping = true;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
        String requestId = Ids.random(12);
        boolean head = HttpMethod.HEAD.equals(msg.method());
        if (msg.decoderResult().isFailure()) {
            writeFull(ctx.channel(), ErrorResponses.of(ErrorType.INVALID_REQUEST, "malformed HTTP request: "
                    + msg.decoderResult().cause().getMessage()), requestId, head, true);
            return;
        }
        if (stopping) {
            writeFull(ctx.channel(), ErrorResponses.of(ErrorType.SERVICE_UNAVAILABLE, "the daemon is stopping; try again"
                    + " once it is back"), requestId, head, true);
            return;
        }
        QueryStringDecoder qs = new QueryStringDecoder(msg.uri());
        Map<String, List<String>> query;
        try {
            query = qs.parameters();
        } catch (IllegalArgumentException e) {
            LOG.info("request id={} refused: malformed query remote={} error=\"{}\"", requestId,
                    ctx.channel().remoteAddress(), e.getMessage());
            writeFull(ctx.channel(), ErrorResponses.of(ErrorType.INVALID_INPUT, "malformed query string: "
                    + e.getMessage()), requestId, head, true);
            return;
        }
        ApiRequest request = new ApiRequest(requestId, msg.method(), qs.rawPath(), query,
                msg.headers().copy(), ByteBufUtil.getBytes(msg.content()), Map.of(), listenerOf(ctx.channel()),
                ctx.channel().attr(RUN_ID).get(), null);
        AtomicInteger inFlight = inFlight(ctx.channel());
        inFlight.incrementAndGet();
        long started = System.nanoTime();
        AtomicReference<String> route = new AtomicReference<>();
        CompletableFuture<ApiResponse> answer;
        try {
            answer = CompletableFuture.supplyAsync(() -> dispatch(request, route), worker).thenCompose(f -> f);
        } catch (RejectedExecutionException e) {
            answer = CompletableFuture.failedFuture(new ApiException(ErrorType.SERVICE_UNAVAILABLE,
                    "the daemon is stopping; try again once it is back"));
        }
        answer.whenComplete((response, error) -> {
            inFlight.decrementAndGet();
            ApiResponse r = error == null ? response : errorResponse(request, error);
            LOG.debug("request id={} method={} path={} status={} ms={}", requestId, request.method(), request.path(),
                    r.status(), (System.nanoTime() - started) / 1_000_000);
            router.observer().answered(request.method(), route.get() != null ? route.get()
                    : router.templateOf(request.method(), request.path()), r.status(), System.nanoTime() - started);
            respond(ctx.channel(), r, requestId, head, worker);
        });
    }

    /**
     * Authenticates (once, before anything else looks at the request), then routes, noting the route's template in
     * {@code route}. An anonymous caller may only read: anything else needs a token, whatever the route would have
     * said.
     */
    private CompletableFuture<ApiResponse> dispatch(ApiRequest request, AtomicReference<String> route) {
        Caller caller = authenticator.authenticate(request.listener(), request.runId(), request.headers(),
                request.query());
        if (caller.isAnonymous() && !request.method().equals(HttpMethod.GET)
                && !request.method().equals(HttpMethod.HEAD)) {
            caller.requireUser();
        }
        Router.Match match = router.match(request.method(), request.path());
        route.set(match.route().template().pattern());
        byte[] body = RequestBodies.decode(request.headers().get(HttpHeaderNames.CONTENT_ENCODING), request.body(),
                maxBodyBytes);
        ApiRequest routed = request.withPathParams(match.params()).withBody(body).withCaller(caller);
        CompletableFuture<ApiResponse> result = router.interceptor().intercept(match.route(), routed)
                .orElseGet(() -> match.route().handler().handle(routed));
        if (result == null) {
            throw new IllegalStateException("route " + match.route().template() + " returned no response");
        }
        return result;
    }

    private static ApiResponse errorResponse(ApiRequest request, Throwable error) {
        Throwable cause = Futures.cause(error);
        if (cause instanceof ApiException api) {
            LOG.debug("request id={} path={} error={} message=\"{}\"", request.requestId(), request.path(),
                    api.type().type(), api.getMessage());
            return ErrorResponses.of(api);
        }
        Optional<ApiResponse.Full> unavailable = ErrorResponses.stateUnavailable(cause);
        if (unavailable.isPresent()) {
            LOG.warn("request id={} method={} path={} error=state-unavailable message=\"{}\"", request.requestId(),
                    request.method(), request.path(), cause.getMessage());
            return unavailable.get();
        }
        LOG.error("request id={} method={} path={} failed", request.requestId(), request.method(), request.path(), cause);
        return ErrorResponses.internal(request.requestId());
    }

    /**
     * Writes the answer. This can run on the event loop (when the handler's future was already complete),
     * so a streamed body's producer, which reads files, is started on the worker.
     */
    private static void respond(Channel channel, ApiResponse response, String requestId, boolean head,
                                Executor worker) {
        if (response instanceof ApiResponse.Full full) {
            writeFull(channel, full, requestId, head, false);
        } else if (response instanceof ApiResponse.Streamed streamed) {
            channel.writeAndFlush(HttpResponses.streamedHead(streamed, requestId));
            ChannelSink sink = new ChannelSink(channel);
            if (head) {
                sink.close();
                return;
            }
            channel.closeFuture().addListener(f -> sink.abandon());
            try {
                worker.execute(() -> produce(streamed, sink, channel, requestId));
            } catch (RejectedExecutionException e) {
                channel.close();
            }
        } else if (response instanceof ApiResponse.Upgrade upgrade) {
            ConnectionUpgrade.takeOver(channel, upgrade, requestId);
        }
    }

    private static void produce(ApiResponse.Streamed streamed, ResponseSink sink, Channel channel, String requestId) {
        try {
            streamed.producer().accept(sink);
        } catch (RuntimeException e) {
            LOG.error("request id={} stream producer failed", requestId, e);
            channel.close();
        }
    }

    private static void writeFull(Channel channel, ApiResponse.Full response, String requestId, boolean head,
                                  boolean close) {
        var future = channel.writeAndFlush(HttpResponses.full(response, requestId, head));
        if (close) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent && inFlight(ctx.channel()).get() == 0) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException || cause instanceof PrematureChannelClosureException) {
            LOG.debug("connection error remote={} error=\"{}\"", ctx.channel().remoteAddress(), cause.getMessage());
        } else {
            LOG.warn("connection failed remote={}", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    private static Listener listenerOf(Channel channel) {
        if (channel.attr(RUN_ID).get() != null) {
            return Listener.RUN;
        }
        return channel.localAddress() instanceof InetSocketAddress ? Listener.TCP : Listener.UNIX;
    }

    private static AtomicInteger inFlight(Channel channel) {
        AtomicInteger n = channel.attr(IN_FLIGHT).get();
        if (n == null) {
            AtomicInteger fresh = new AtomicInteger();
            n = channel.attr(IN_FLIGHT).setIfAbsent(fresh);
            n = n == null ? fresh : n;
        }
        return n;
    }

    /** A streamed body's chunks onto the channel; the last chunk ends the response. */
    private static final class ChannelSink implements ResponseSink {
        private static final Duration STALLED = Duration.ofSeconds(60);
        private final Channel channel;
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile Runnable onAbandoned;

        ChannelSink(Channel channel) {
            this.channel = channel;
        }

        /**
         * Off the event loop (a producer on the worker), waits while the channel holds more than its high-water
         * mark, until the chunk is on the socket: a body of gigabytes (a layer sent to another host) then holds
         * only what the socket has not taken on the heap. A client that stops reading for {@link #STALLED} is cut.
         */
        @Override
        public void write(byte[] chunk) {
            if (closed.get() || chunk.length == 0) {
                return;
            }
            ChannelFuture written = channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk)));
            if (!channel.isWritable() && !channel.eventLoop().inEventLoop()
                    && !written.awaitUninterruptibly(STALLED.toMillis())) {
                channel.close();
            }
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            }
        }

        @Override
        public void onAbandoned(Runnable action) {
            onAbandoned = action;
            if (!channel.isActive()) {
                abandon();
            }
        }

        void abandon() {
            if (closed.compareAndSet(false, true)) {
                Runnable action = onAbandoned;
                if (action != null) {
                    action.run();
                }
            }
        }
    }
}
