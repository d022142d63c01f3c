package io.actord.daemon.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The pipeline of a run's in-run endpoint: the API pipeline with a {@code "gate"} before {@code "api"}
 * that checks the run's token and takes the events WebSocket. The channel carries
 * {@link ApiHandler#RUN_ID}, so every request on it is known to come from that run.
 */
public final class RunChannelInitializer extends ChannelInitializer<Channel> {
    private final ApiHandler handler;
    private final int maxBodyBytes;
    private final long idleSeconds;
    private final Supplier<ChannelHandler> gate;

    public RunChannelInitializer(ApiHandler handler, int maxBodyBytes, long idleSeconds, Supplier<ChannelHandler> gate) {
        this.handler = handler;
        this.maxBodyBytes = maxBodyBytes;
        this.idleSeconds = idleSeconds;
        this.gate = gate;
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast("codec", new HttpServerCodec());
        p.addLast("framing", RequestFraming.INSTANCE);
        p.addLast("aggregator", new ApiObjectAggregator(maxBodyBytes));
        p.addLast("keepalive", new HttpServerKeepAliveHandler());
        p.addLast("idle", new IdleStateHandler(0, 0, idleSeconds, TimeUnit.SECONDS));
        p.addLast("gate", gate.get());
        p.addLast("api", handler);
    }
}
