package io.actord.daemon.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.concurrent.TimeUnit;

/** The pipeline of every API connection, Unix or TCP: codec → aggregator → keep-alive → idle → api. */
public final class ApiChannelInitializer extends ChannelInitializer<Channel> {
    private final ApiHandler handler;
    private final int maxBodyBytes;
    private final long idleSeconds;

    public ApiChannelInitializer(ApiHandler handler, int maxBodyBytes, long idleSeconds) {
        this.handler = handler;
        this.maxBodyBytes = maxBodyBytes;
        this.idleSeconds = idleSeconds;
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast("codec", new HttpServerCodec());
        p.addLast("aggregator", new ApiObjectAggregator(maxBodyBytes));
        p.addLast("keepalive", new HttpServerKeepAliveHandler());
        p.addLast("idle", new IdleStateHandler(0, 0, idleSeconds, TimeUnit.SECONDS));
        p.addLast("api", handler);
    }
}
