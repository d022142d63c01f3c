package io.actord.daemon.http;

import io.actord.daemon.api.ErrorType;
import io.actord.daemon.common.Ids;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * Netty's aggregator, but a body over the limit gets Apify's 413 {@code request-too-large} JSON instead of
 * an empty 413, and an {@code Expect} other than {@code 100-continue} a 417 {@code expectation-failed} JSON
 * instead of an empty 417 (the fuzz test found that answer without the error shape). Unlike Netty, the connection stays open (unless the client asked to close) even when part
 * of the body has arrived, as with a chunked upload: the aggregator discards the rest of that body, so the
 * client, which reads the answer only after sending everything, gets the 413 instead of a reset.
 */
final class ApiObjectAggregator extends HttpObjectAggregator {
    private final int limit;

    ApiObjectAggregator(int maxContentLength) {
        super(maxContentLength);
        this.limit = maxContentLength;
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        String expect = start.headers().get(HttpHeaderNames.EXPECT); // Netty removes it when it answers
        Object response = super.newContinueResponse(start, maxContentLength, pipeline);
        if (response instanceof FullHttpResponse r && r.status().equals(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE)) {
            ReferenceCountUtil.release(r);
            return tooLarge(false);
        }
        if (response instanceof FullHttpResponse r && r.status().equals(HttpResponseStatus.EXPECTATION_FAILED)) {
            ReferenceCountUtil.release(r);
            return HttpResponses.full(ErrorResponses.of(ErrorType.EXPECTATION_FAILED, "Expect: "
                    + expect + " is not supported; only 100-continue is"),
                    Ids.random(12), false);
        }
        return response;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (!(oversized instanceof HttpRequest)) {
            super.handleOversizedMessage(ctx, oversized);
            return;
        }
        boolean close = !ctx.channel().config().isAutoRead()
                || !HttpUtil.is100ContinueExpected(oversized) && !HttpUtil.isKeepAlive(oversized);
        ctx.writeAndFlush(tooLarge(close)).addListener(close ? ChannelFutureListener.CLOSE
                : ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    private FullHttpResponse tooLarge(boolean close) {
        FullHttpResponse res = HttpResponses.full(ErrorResponses.tooLarge(limit), Ids.random(12), false);
        if (close) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return res;
    }
}
