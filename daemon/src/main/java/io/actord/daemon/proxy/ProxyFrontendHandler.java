package io.actord.daemon.proxy;

import io.actord.daemon.proxy.ContainerAddressResolver.Route;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * One API connection's proxy end, between the HTTP codec and the API's aggregator. Each request whose Host
 * or path is a container URL is taken here and relayed as it streams (no aggregation), as a
 * {@link ProxyExchange}, to the run's server through a backend connection made inside the run's network
 * namespace; every other request goes on to the API untouched. A connection may mix both, one request after
 * another; this handler keeps what lasts between requests: the {@link Mode}, the pipelined requests that
 * wait, and the kept-alive backend connection.
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
    private ProxyExchange exchange;
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
        if (!held.isEmpty() || mode == Mode.PROXY && exchange.requestDone()) {
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
            proxy.traffic().request();
            req.setUri(found.uri());
            forwarded.addTo(req.headers(), found.prefix());
            exchange = new ProxyExchange(this, ctx, proxy, found, req);
            exchange.begin();
        } else if (route instanceof Route.NotFound) {
            answer(req, HttpResponseStatus.NOT_FOUND, ProxyPages.NOT_FOUND, null);
        } else if (route instanceof Route.Redirect redirect) {
            answer(req, HttpResponseStatus.PERMANENT_REDIRECT, ProxyPages.redirect(redirect.location()),
                    redirect.location());
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
        ReferenceCountUtil.release(req);
        respond(page, req instanceof LastHttpContent, keepAlive);
    }

    /** Writes an answer of ours; the connection then takes the next request, or closes. */
    private void respond(FullHttpResponse page, boolean requestDone, boolean keepAlive) {
        mode = requestDone ? Mode.IDLE : Mode.DISCARD;
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
        return exchange != null && exchange.uses(channel);
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
        if (exchange != null && exchange.uses(channel)) {
            exchange.backendClosed();
        }
    }

    // Called by the current ProxyExchange, on this channel's event loop.

    boolean isCurrent(ProxyExchange e) {
        return exchange == e;
    }

    /** The kept backend connection if it goes to {@code endpoint} and is open; else it is closed. */
    Optional<Channel> reusableBackend(ContainerEndpoint endpoint) {
        if (backend != null && backendEndpoint == endpoint && backend.isActive()) {
            return Optional.of(backend);
        }
        dropBackend();
        return Optional.empty();
    }

    /** Keeps a new backend connection for the exchanges after this one. */
    void keepBackend(Channel channel, ContainerEndpoint endpoint) {
        backend = channel;
        backendEndpoint = endpoint;
    }

    void dropBackend() {
        if (backend != null) {
            backend.close();
            backend = null;
            backendEndpoint = null;
        }
    }

    /** The exchange went through and both connections stay: on with the next request. */
    void exchangeDone() {
        exchange = null;
        mode = Mode.IDLE;
        resume();
    }

    /** The exchange was answered from here (nothing of the run's answer was sent). */
    void answered(FullHttpResponse page, boolean requestDone, boolean keepAlive) {
        exchange = null;
        respond(page, requestDone, keepAlive);
        if (keepAlive) {
            resume();
        }
    }

    /**
     * After a 101 (its head already written to the client): both connections carry raw bytes from now on,
     * through a {@link ByteTunnel}; this handler, the API's and the codecs leave the client's pipeline.
     */
    void upgraded(Channel channel) {
        held.forEach(ReferenceCountUtil::release);
        held.clear();
        exchange = null;
        mode = Mode.IDLE;
        backend = null;
        backendEndpoint = null;
        ByteTunnel.join(ctx, API_HANDLERS, channel, channel.pipeline().get(ProxyBackendHandler.class));
    }

    /** Ends the connection once what was written to the client is flushed; anything read until then is dropped. */
    void closeClient() {
        exchange = null;
        mode = Mode.DISCARD;
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Goes on with the requests that waited, then reads again if no exchange holds the connection. */
    private void resume() {
        while (!held.isEmpty() && !(mode == Mode.PROXY && exchange.requestDone())) {
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
    void pause() {
        ctx.channel().config().setAutoRead(false);
    }
}

