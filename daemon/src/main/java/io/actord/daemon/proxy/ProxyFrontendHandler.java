package io.actord.daemon.proxy;

import io.actord.daemon.proxy.ContainerAddressResolver.Route;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One API connection's proxy end, between the HTTP codec and the API's aggregator. Each request whose Host
 * or path is a container URL is taken here and relayed as it streams (no aggregation) to the run's server
 * through a backend connection made inside the run's network namespace; every other request goes on to
 * the API untouched. A connection may mix both, one request after another.
 *
 * <p>HexDumpProxy's shape: while a request body is relayed this channel's AUTO_READ is off and it reads the
 * next piece only once the previous one is written to the backend; {@link ProxyBackendHandler} does the
 * same the other way; the backend channel lives on this channel's event loop. So at most one socket read is
 * buffered per direction, whatever the body's size. Requests are answered one at a time: a pipelined
 * request waits in {@link #held}, and reading stops until it is its turn. A request without a body leaves
 * AUTO_READ alone (the client sends nothing more until it has its answer), which spares the epoll_ctl calls
 * of turning it off and on for each small request. A 101 answer hands both connections to a
 * {@link ByteTunnel} (WebSocket), which takes this handler's place. A kept-alive backend connection is
 * reused by the next request to the same container.
 *
 * <p>Not thread-safe: every method runs on this channel's event loop.
 */
final class ProxyFrontendHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyFrontendHandler.class);
    private static final long RETRY_MILLIS = 100;
    /** The API connection's HTTP handlers besides the codec; a tunnel needs none of them. */
    private static final List<String> API_HANDLERS = List.of("framing", "aggregator", "keepalive", "idle", "api");

    private enum Mode {
        /** Between requests. */
        IDLE,
        /** The current request is the API's: its parts go on. */
        API,
        /** The current request was answered here (404, redirect, 502): the rest of its body is dropped. */
        DISCARD,
        /** The current request is proxied ({@link #exchange}). */
        PROXY
    }

    private final ContainerProxy proxy;
    /** Messages of a later request that arrived while the current exchange was answered (pipelining). */
    private final Deque<Object> held = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private ForwardedHeaders forwarded;
    private Mode mode = Mode.IDLE;
    private Exchange exchange;
    /** The backend connection kept between exchanges, and the container it goes to. */
    private Channel backend;
    private ContainerEndpoint backendEndpoint;

    ProxyFrontendHandler(ContainerProxy proxy) {
        this.proxy = proxy;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        this.forwarded = ForwardedHeaders.of(context.channel().remoteAddress(), proxy.scheme());
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (!held.isEmpty() || mode == Mode.PROXY && exchange.requestDone) {
            held.add(msg);
            pause();
        } else {
            dispatch(msg);
        }
    }

    private void dispatch(Object msg) {
        switch (mode) {
            case IDLE -> begin(msg);
            case API -> toApi(msg);
            case DISCARD -> {
                mode = msg instanceof LastHttpContent ? Mode.IDLE : Mode.DISCARD;
                ReferenceCountUtil.release(msg);
            }
            case PROXY -> exchange.send(msg);
        }
    }

    private void begin(Object msg) {
        if (!(msg instanceof HttpRequest req) || req.decoderResult().isFailure()) {
            toApi(msg);
            return;
        }
        Route route = proxy.resolver().route(req.headers().get(HttpHeaderNames.HOST), req.uri());
        if (route instanceof Route.Found found) {
            mode = Mode.PROXY;
            exchange = new Exchange(found, req);
            exchange.begin();
        } else if (route instanceof Route.NotFound) {
            answer(req, HttpResponseStatus.NOT_FOUND, ProxyPages.NOT_FOUND, null);
        } else if (route instanceof Route.AddSlash slash) {
            answer(req, HttpResponseStatus.PERMANENT_REDIRECT, ProxyPages.redirect(slash.location()), slash.location());
        } else {
            toApi(msg);
        }
    }

    private void toApi(Object msg) {
        mode = msg instanceof LastHttpContent ? Mode.IDLE : Mode.API;
        ctx.fireChannelRead(msg);
    }

    /** Answers a request here; the rest of its body, if any, is dropped. */
    private void answer(HttpRequest req, HttpResponseStatus status, String text, String location) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        FullHttpResponse page = ProxyPages.page(status, text, HttpMethod.HEAD.equals(req.method()), !keepAlive);
        if (location != null) {
            page.headers().set(HttpHeaderNames.LOCATION, location);
        }
        mode = req instanceof LastHttpContent ? Mode.IDLE : Mode.DISCARD;
        ReferenceCountUtil.release(req);
        ChannelFuture written = ctx.writeAndFlush(page);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        if (exchange != null) {
            exchange.flush();
        }
        context.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object evt) {
        if (evt instanceof IdleStateEvent && exchange != null) {
            return;
        }
        context.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        held.forEach(ReferenceCountUtil::release);
        held.clear();
        if (exchange != null) {
            exchange.abandon();
            exchange = null;
        }
        if (backend != null) {
            backend.close();
            backend = null;
        }
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (mode != Mode.PROXY) {
            context.fireExceptionCaught(cause);
            return;
        }
        if (cause instanceof IOException) {
            LOG.debug("proxy client connection error remote={} error=\"{}\"", context.channel().remoteAddress(),
                    cause.getMessage());
        } else {
            LOG.warn("proxy client connection failed remote={}", context.channel().remoteAddress(), cause);
        }
        context.close();
    }

    // Called by ProxyBackendHandler, on this channel's event loop.

    /** Whether {@code channel} may send now: it is the current exchange's, whose request went out. */
    boolean expectsResponse(Channel channel) {
        return exchange != null && exchange.channel == channel;
    }

    /** The head of the run's answer (before it is written to the client). */
    void responseHead(HttpResponse res) {
        exchange.responseHead(res);
    }

    /** The end of an answer, after it was written to the client. */
    void responseEnd() {
        exchange.responseEnd();
    }

    /** A backend connection closed: the kept one, or the current exchange's. */
    void backendClosed(Channel channel) {
        if (backend == channel) {
            backend = null;
            backendEndpoint = null;
        }
        if (exchange != null && exchange.channel == channel) {
            exchange.backendClosed();
        }
    }

    /** Ends the connection once what was written to the client is flushed; anything read until then is dropped. */
    private void closeClient() {
        exchange = null;
        mode = Mode.DISCARD;
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Goes on with the requests that waited, then reads again if no exchange holds the connection. */
    private void resume() {
        while (!held.isEmpty() && !(mode == Mode.PROXY && exchange.requestDone)) {
            dispatch(held.poll());
        }
        if (mode != Mode.PROXY) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /**
     * Stops reading on its own: from now on the client is read once what was read is passed on (a request
     * body) or answered (a pipelined request).
     */
    private void pause() {
        ctx.channel().config().setAutoRead(false);
    }

    /** One proxied request and its answer. */
    private final class Exchange {
        private final Route.Found route;
        private final HttpRequest request;
        private final boolean clientKeepAlive;
        private final boolean head;
        private final long deadline;
        /** Request parts read before the backend connection was ready. */
        private final Deque<Object> unsent = new ArrayDeque<>();
        private ContainerEndpoint endpoint;
        private Channel channel;
        private ChannelFuture lastWrite;
        private ScheduledFuture<?> startTimer;
        /** The run was starting when the request came: a refused connection is retried until the deadline. */
        private boolean waitsForStart;
        private boolean requestDone;
        private boolean responseStarted;
        private boolean responseDone;
        private boolean informational;
        private boolean upgrading;
        private boolean keepAlive;

        Exchange(Route.Found route, HttpRequest request) {
            this.route = route;
            this.request = request;
            this.clientKeepAlive = HttpUtil.isKeepAlive(request);
            this.head = HttpMethod.HEAD.equals(request.method());
            this.deadline = System.nanoTime() + proxy.startupWait().toNanos();
        }

        void begin() {
            request.setUri(route.uri());
            forwarded.addTo(request.headers(), route.prefix());
            unsent.add(request);
            requestDone = request instanceof LastHttpContent;
            CompletableFuture<ContainerEndpoint> pending = route.endpoint();
            if (pending.isDone()) {
                endpointKnown(pending.isCompletedExceptionally() ? null : pending.join());
                return;
            }
            waitsForStart = true;
            startTimer = ctx.executor().schedule(() -> {
                if (exchange == this && endpoint == null) {
                    fail(HttpResponseStatus.BAD_GATEWAY, ProxyPages.notStarted());
                }
            }, proxy.startupWait().toMillis(), TimeUnit.MILLISECONDS);
            pending.whenComplete((e, error) -> onLoop(() -> {
                if (exchange == this) {
                    endpointKnown(error == null ? e : null);
                }
            }));
        }

        /** The run's container is known ({@code e}), or the run finished first (null). */
        private void endpointKnown(ContainerEndpoint e) {
            if (e == null || e.closed()) {
                fail(HttpResponseStatus.NOT_FOUND, ProxyPages.NOT_FOUND);
                return;
            }
            endpoint = e;
            waitsForStart |= e.starting(proxy.startupWait());
            if (backend != null && backendEndpoint == e && backend.isActive()) {
                attach(backend);
            } else {
                dropBackend();
                connect();
            }
        }

        private void connect() {
            proxy.connect(endpoint, ctx.channel().eventLoop(), new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast("codec", new HttpClientCodec(4096, 16384, 65536));
                    ch.pipeline().addLast("relay", new ProxyBackendHandler(ProxyFrontendHandler.this, ctx));
                }
            }, this::connected);
        }

        private void connected(Channel ch, Throwable error) {
            if (exchange != this || !ctx.channel().isActive()) {
                if (ch != null) {
                    ch.close();
                }
                return;
            }
            if (error == null) {
                backend = ch;
                backendEndpoint = endpoint;
                attach(ch);
                return;
            }
            boolean refused = error instanceof ConnectException;
            if (refused && waitsForStart && System.nanoTime() < deadline) {
                ctx.executor().schedule(() -> {
                    if (exchange == this) {
                        connect();
                    }
                }, RETRY_MILLIS, TimeUnit.MILLISECONDS);
                return;
            }
            LOG.debug("run={} proxy connect address={} failed: {}", route.runId(), endpoint.address(),
                    error.toString());
            fail(HttpResponseStatus.BAD_GATEWAY, refused ? ProxyPages.notListening(endpoint.address().getPort())
                    : ProxyPages.unreachable(error.getMessage() == null ? error.toString() : error.getMessage()));
        }

        /** The backend connection is ready: sends what was read so far and starts reading the answer. */
        private void attach(Channel ch) {
            channel = ch;
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
            if (!(msg instanceof HttpContent)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (((HttpContent) msg).decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                ctx.close();
                return;
            }
            if (msg instanceof LastHttpContent) {
                requestDone = true;
            }
            if (((HttpContent) msg).content().isReadable()) {
                pause();
            }
            if (channel == null) {
                unsent.add(msg);
                return;
            }
            lastWrite = channel.write(msg);
            if (requestDone && responseDone) {
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
            written.addListener((ChannelFuture f) -> {
                if (!f.isSuccess()) {
                    f.channel().close();
                } else if (exchange == this && !requestDone) {
                    ctx.read();
                }
            });
        }

        void responseHead(HttpResponse res) {
            responseStarted = true;
            int code = res.status().code();
            upgrading = code == HttpResponseStatus.SWITCHING_PROTOCOLS.code();
            informational = code >= 100 && code < 200 && !upgrading;
            keepAlive = clientKeepAlive && HttpUtil.isKeepAlive(res) && framed(res);
        }

        /** Whether the answer's end is known without the connection closing. */
        private boolean framed(HttpResponse res) {
            int code = res.status().code();
            return head || code == 204 || code == 304 || HttpUtil.isContentLengthSet(res)
                    || HttpUtil.isTransferEncodingChunked(res);
        }

        void responseEnd() {
            if (informational) {
                informational = false;
            } else if (upgrading) {
                tunnel();
            } else {
                responseDone = true;
                if (requestDone) {
                    complete();
                }
            }
        }

        /**
         * After a 101 (its head already written to the client): both connections carry raw bytes from now on,
         * through a {@link ByteTunnel}; this handler, the API's and the codecs leave the client's pipeline.
         */
        private void tunnel() {
            held.forEach(ReferenceCountUtil::release);
            held.clear();
            exchange = null;
            mode = Mode.IDLE;
            backend = null;
            backendEndpoint = null;
            ByteTunnel.join(ctx, API_HANDLERS, channel, channel.pipeline().get(ProxyBackendHandler.class));
            LOG.debug("run={} proxy connection upgraded to {}", route.runId(),
                    request.headers().get(HttpHeaderNames.UPGRADE));
        }

        /** Both the request and its answer went through: the connection takes the next request or closes. */
        private void complete() {
            if (!keepAlive) {
                dropBackend();
                closeClient();
                return;
            }
            exchange = null;
            mode = Mode.IDLE;
            resume();
        }

        /** Answers the client from here, as nothing of the run's answer was sent yet. */
        private void fail(HttpResponseStatus status, String text) {
            exchange = null;
            if (startTimer != null) {
                startTimer.cancel(false);
            }
            unsent.forEach(ReferenceCountUtil::release);
            unsent.clear();
            if (channel != null) {
                dropBackend();
            }
            mode = requestDone ? Mode.IDLE : Mode.DISCARD;
            ChannelFuture written = ctx.writeAndFlush(ProxyPages.page(status, text, head, !clientKeepAlive));
            if (clientKeepAlive) {
                resume();
            } else {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        }

        void backendClosed() {
            if (!responseStarted) {
                fail(HttpResponseStatus.BAD_GATEWAY, ProxyPages.closedEarly());
                return;
            }
            closeClient();
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
    }

    private void dropBackend() {
        if (backend != null) {
            backend.close();
            backend = null;
            backendEndpoint = null;
        }
    }

    /** Runs on this channel's event loop (from a run's or a namespace thread). */
    private void onLoop(Runnable action) {
        try {
            ctx.executor().execute(action);
        } catch (RejectedExecutionException e) {
            LOG.debug("proxy event loop gone; dropped a callback");
        }
    }
}
