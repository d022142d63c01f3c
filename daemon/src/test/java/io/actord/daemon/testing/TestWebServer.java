package io.actord.daemon.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A web server on host loopback standing in for a run's server in unit tests (the fake runtime's runs share
 * the daemon's network namespace). Like the payload's serve-http, plus what the proxy's tests look at:
 * <ul>
 *   <li>{@code /bytes/N} — N bytes, chunked, written as the connection takes them</li>
 *   <li>{@code /headers} — the request line and headers as it got them</li>
 *   <li>{@code /answer-with?NAME=VALUE…} — "hello from test server" with each query parameter as a header
 *       (a name given twice, twice)</li>
 *   <li>{@code /echo} — the request body back, chunked, each piece as it arrives; a request that expects a
 *       {@code 100 Continue} gets one, and the answer's head only once its body comes</li>
 *   <li>{@code /close} — a body delimited by closing the connection (no length, not chunked)</li>
 *   <li>{@code /ws} — a WebSocket echo</li>
 *   <li>{@code /upgrade} — a raw byte echo after {@code 101 Switching Protocols} ({@code Upgrade: echo}), whose
 *       first bytes, {@link #GREETING}, go out with the 101 in one write</li>
 *   <li>{@code /upgrade/N} — after a 101, N raw bytes written as the connection takes them, then the end of
 *       the connection</li>
 *   <li>anything else — "hello from test server"</li>
 * </ul>
 */
public final class TestWebServer implements AutoCloseable {
    public static final String HELLO = "hello from test server\n";
    public static final String GREETING = "hello after 101\n";
    private static final int CHUNK = 64 * 1024;

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final Channel server;

    public TestWebServer() {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("count", new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                connections.incrementAndGet();
                                open.incrementAndGet();
                                ch.closeFuture().addListener(f -> open.decrementAndGet());
                                ctx.pipeline().remove(this);
                                ctx.fireChannelRead(msg);
                            }
                        });
                        ch.pipeline().addLast("codec", new HttpServerCodec());
                        ch.pipeline().addLast("handler", new Handler());
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /**
     * How many connections it has accepted that sent something: a bare connect and close, as the daemon's
     * readiness probe makes, is not counted (nor in {@link #open()}).
     */
    public int connections() {
        return connections.get();
    }

    /** How many of its connections are open now. */
    public int open() {
        return open.get();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class Handler extends SimpleChannelInboundHandler<HttpObject> {
        private HttpRequest request;
        private boolean echoing;
        /** The head of an echo that waits for the body: the request expected a 100 Continue first. */
        private HttpResponse echoHead;
        private long left;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpRequest req) {
                request = req;
                if (req.uri().equals("/ws")) {
                    upgrade(ctx, req);
                    return;
                }
                if (req.uri().startsWith("/upgrade")) {
                    switchToRaw(ctx, req.uri());
                    return;
                }
                if (req.uri().equals("/echo")) {
                    echoing = true;
                    echoHead = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    HttpUtil.setTransferEncodingChunked(echoHead, true);
                    if (HttpUtil.is100ContinueExpected(req)) {
                        ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
                    } else {
                        ctx.writeAndFlush(echoHead);
                        echoHead = null;
                    }
                }
            }
            if (!(msg instanceof HttpContent content) || request == null) {
                return;
            }
            if (echoHead != null) {
                ctx.write(echoHead);
                echoHead = null;
            }
            if (echoing && content.content().isReadable()) {
                ctx.writeAndFlush(new DefaultHttpContent(content.content().retain()));
            }
            if (msg instanceof LastHttpContent) {
                respond(ctx);
            }
        }

        private void respond(ChannelHandlerContext ctx) {
            String uri = new QueryStringDecoder(request.uri()).path();
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (echoing) {
                echoing = false;
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            } else if (uri.startsWith("/bytes/")) {
                left = Long.parseLong(uri.substring(7));
                HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                HttpUtil.setTransferEncodingChunked(head, true);
                ctx.write(head);
                writeBytes(ctx);
            } else if (uri.equals("/close")) {
                HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                ctx.write(head);
                ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(HELLO, StandardCharsets.UTF_8)))
                        .addListener(ChannelFutureListener.CLOSE);
            } else {
                StringBuilder text = new StringBuilder();
                if (uri.equals("/headers")) {
                    text.append(request.method()).append(' ').append(request.uri()).append('\n');
                    for (Map.Entry<String, String> h : request.headers()) {
                        text.append(h.getKey()).append(": ").append(h.getValue()).append('\n');
                    }
                } else {
                    text.append(HELLO);
                }
                FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
                res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
                if (uri.equals("/answer-with")) {
                    new QueryStringDecoder(request.uri()).parameters()
                            .forEach((name, values) -> values.forEach(v -> res.headers().add(name, v)));
                }
                HttpUtil.setContentLength(res, res.content().readableBytes());
                if (!keepAlive) {
                    res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                }
                ctx.writeAndFlush(res).addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE
                        : ChannelFutureListener.CLOSE);
            }
            request = null;
        }

        /** Writes the rest of a /bytes answer while the connection takes it; goes on when it is writable again. */
        private void writeBytes(ChannelHandlerContext ctx) {
            while (left > 0 && ctx.channel().isWritable()) {
                int n = (int) Math.min(CHUNK, left);
                left -= n;
                ByteBuf chunk = ctx.alloc().buffer(n).writeZero(n);
                ctx.write(new DefaultHttpContent(chunk));
            }
            if (left == 0) {
                left = -1;
                ctx.write(LastHttpContent.EMPTY_LAST_CONTENT);
            }
            ctx.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable() && left > 0) {
                writeBytes(ctx);
            }
            ctx.fireChannelWritabilityChanged();
        }

        private void upgrade(ChannelHandlerContext ctx, HttpRequest req) {
            DefaultFullHttpRequest full = new DefaultFullHttpRequest(req.protocolVersion(), req.method(), req.uri(),
                    Unpooled.EMPTY_BUFFER, req.headers(), EmptyHttpHeaders.INSTANCE);
            ctx.pipeline().replace(this, "ws", new SimpleChannelInboundHandler<WebSocketFrame>() {
                @Override
                protected void channelRead0(ChannelHandlerContext c, WebSocketFrame frame) {
                    if (frame instanceof CloseWebSocketFrame) {
                        c.writeAndFlush(frame.retainedDuplicate()).addListener(ChannelFutureListener.CLOSE);
                    } else {
                        c.writeAndFlush(frame.retainedDuplicate());
                    }
                }
            });
            new WebSocketServerHandshakerFactory("ws://localhost/ws", null, false).newHandshaker(full)
                    .handshake(ctx.channel(), full);
        }

        /** Answers 101 by hand and turns the connection into {@link RawBytes}. */
        private void switchToRaw(ChannelHandlerContext ctx, String uri) {
            boolean flood = uri.startsWith("/upgrade/");
            RawBytes raw = new RawBytes(flood ? Long.parseLong(uri.substring("/upgrade/".length())) : 0);
            ctx.pipeline().replace(this, "raw", raw);
            ctx.pipeline().remove("codec");
            String head = "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n";
            ctx.channel().write(Unpooled.copiedBuffer(flood ? head : head + GREETING, StandardCharsets.US_ASCII));
            if (flood) {
                raw.flood(ctx.channel());
            } else {
                ctx.channel().flush();
            }
        }
    }

    /** An upgraded connection: echoes what it reads, or floods {@code left} bytes and closes. */
    private static final class RawBytes extends ChannelInboundHandlerAdapter {
        private long left;

        RawBytes(long flood) {
            this.left = flood;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable() && left > 0) {
                flood(ctx.channel());
            }
            ctx.fireChannelWritabilityChanged();
        }

        void flood(Channel ch) {
            while (left > 0 && ch.isWritable()) {
                int n = (int) Math.min(CHUNK, left);
                left -= n;
                ch.write(ch.alloc().buffer(n).writeZero(n));
            }
            if (left == 0) {
                ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            } else {
                ch.flush();
            }
        }
    }
}
