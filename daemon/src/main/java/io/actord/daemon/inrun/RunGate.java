package io.actord.daemon.inrun;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.http.ApiHandler;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.Authenticator;
import io.actord.daemon.http.ErrorResponses;
import io.actord.daemon.http.Listener;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.ReferenceCountUtil;

import java.util.List;

/**
 * The in-run endpoint's gate: a WebSocket upgrade on {@link #EVENTS_PATH} with the run's own token (in the
 * query: the SDK's WebSocket sends no headers) becomes the run's events socket; every other request goes on
 * to the API handler, which authenticates it the same way. Stateless; the run comes from the channel's
 * {@link ApiHandler#RUN_ID}.
 */
@Sharable
final class RunGate extends ChannelInboundHandlerAdapter {
    static final String EVENTS_PATH = "/v2/actor-events";

    private final Authenticator authenticator;
    private final RunEvents events;

    RunGate(Authenticator authenticator, RunEvents events) {
        this.authenticator = authenticator;
        this.events = events;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        QueryStringDecoder qs = new QueryStringDecoder(req.uri());
        if (!qs.path().equals(EVENTS_PATH)) {
            ctx.fireChannelRead(req);
            return;
        }
        String runId = ctx.channel().attr(ApiHandler.RUN_ID).get();
        try {
            authenticator.authenticate(Listener.RUN, runId, req.headers(), qs.parameters());
        } catch (ApiException e) {
            reject(ctx, req, e.type(), e.getMessage());
            return;
        }
        upgrade(ctx, req, runId);
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, String runId) {
        try {
            WebSocketServerHandshaker hs = new WebSocketServerHandshakerFactory("ws://127.0.0.1" + EVENTS_PATH, null,
                    false).newHandshaker(req);
            if (hs == null) {
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
                return;
            }
            ChannelPipeline p = ctx.pipeline();
            for (String name : List.of("keepalive", "idle", "api")) {
                if (p.get(name) != null) {
                    p.remove(name);
                }
            }
            p.replace(this, "events", new EventsSocket());
            hs.handshake(ctx.channel(), req).addListener(f -> {
                if (f.isSuccess()) {
                    events.subscribe(runId, ctx.channel());
                } else {
                    ctx.close();
                }
            });
        } catch (RuntimeException e) {
            reject(ctx, null, ErrorType.INVALID_REQUEST, "the events endpoint takes a WebSocket upgrade: "
                    + e.getMessage());
        } finally {
            ReferenceCountUtil.release(req);
        }
    }

    private static void reject(ChannelHandlerContext ctx, FullHttpRequest req, ErrorType type, String message) {
        if (req != null) {
            ReferenceCountUtil.release(req);
        }
        ApiResponse.Full r = ErrorResponses.of(type, message);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                Unpooled.wrappedBuffer(r.body()));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        ctx.writeAndFlush(res);
    }
}
