package io.actord.daemon.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The pipeline of every API connection, Unix or TCP: head bytes → codec → head messages ({@link RequestHeadTimeout})
 * → framing ({@link RequestFraming}) → idle → [front] → aggregator → keep-alive → api.
 * The optional front handler (the container-URL proxy) sees each request before the aggregator, so it can
 * take requests that must stream; idle comes before it to count that traffic too.
 */
public final class ApiChannelInitializer extends ChannelInitializer<Channel> {
    private final ApiHandler handler;
    private final int maxBodyBytes;
    private final long idleSeconds;
    private final long headTimeoutSeconds;
    private final Optional<Supplier<ChannelHandler>> front;

    public ApiChannelInitializer(ApiHandler handler, int maxBodyBytes, long idleSeconds) {
        this(handler, maxBodyBytes, idleSeconds, ConnectionLimits.DEFAULT_HEAD_TIMEOUT_SECONDS, Optional.empty());
    }

    /**
     * @param headTimeoutSeconds a request head must be complete this long after its first byte
     * @param front              makes each connection's handler placed before the aggregator
     */
    public ApiChannelInitializer(ApiHandler handler, int maxBodyBytes, long idleSeconds, long headTimeoutSeconds,
                                 Optional<Supplier<ChannelHandler>> front) {
        this.handler = handler;
        this.maxBodyBytes = maxBodyBytes;
        this.idleSeconds = idleSeconds;
        this.headTimeoutSeconds = headTimeoutSeconds;
        this.front = front;
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        RequestHeadTimeout head = new RequestHeadTimeout(headTimeoutSeconds);
        p.addLast("head-bytes", head.bytes());
        p.addLast("codec", new HttpServerCodec());
        p.addLast("head-messages", head.messages());
        p.addLast("framing", RequestFraming.INSTANCE);
        p.addLast("idle", new IdleStateHandler(0, 0, idleSeconds, TimeUnit.SECONDS));
        front.ifPresent(f -> p.addLast("front", f.get()));
        p.addLast("aggregator", new ApiObjectAggregator(maxBodyBytes));
        p.addLast("keepalive", new HttpServerKeepAliveHandler());
        p.addLast("api", handler);
    }
}
