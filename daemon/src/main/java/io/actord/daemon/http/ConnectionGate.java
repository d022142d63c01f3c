package io.actord.daemon.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.actord.daemon.common.Json;
import io.actord.daemon.api.ErrorType;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Admits a TCP connection only while its address holds fewer than {@link ConnectionLimits#perAddress()} and
 * the listener fewer than {@link ConnectionLimits#total()}; any other is answered 503 (Apify's
 * {@code service-unavailable}, which clients retry with backoff) and closed before anything of it is read.
 * First in the pipeline, shared by every TCP connection of one server.
 */
@ChannelHandler.Sharable
final class ConnectionGate extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGate.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final ConnectionLimits limits;
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    ConnectionGate(ConnectionLimits limits) {
        this.limits = limits;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        String refusal = admit(address);
        if (refusal != null) {
            refuse(ctx, address, refusal);
            return;
        }
        ctx.channel().closeFuture().addListener(f -> release(address));
        ctx.fireChannelActive();
    }

    /** Null when admitted (and counted), else why not. */
    private String admit(InetAddress address) {
        if (total.incrementAndGet() > limits.total()) {
            total.decrementAndGet();
            return "the API holds as many connections as it allows (" + limits.total() + ")";
        }
        if (perAddress.merge(address, 1, Integer::sum) > limits.perAddress()) {
            release(address);
            return "this address holds as many connections as the API allows one address (" + limits.perAddress()
                    + ")";
        }
        return null;
    }

    private void release(InetAddress address) {
        perAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
        total.decrementAndGet();
    }

    private void refuse(ChannelHandlerContext ctx, InetAddress address, String why) {
        ctx.channel().config().setAutoRead(false);
        long count = refused.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last >= LOG_EVERY_NANOS && lastLog.compareAndSet(last, now)) {
            LOG.warn("connection refused remote={} reason=\"{}\" refusedSoFar={}", address.getHostAddress(), why, count);
        }
        ErrorType type = ErrorType.SERVICE_UNAVAILABLE;
        byte[] body = json(Map.of("error", Map.of("type", type.type(), "message", why + "; try again later")));
        byte[] head = ("HTTP/1.1 " + type.status() + " " + HttpResponseStatus.valueOf(type.status()).reasonPhrase()
                + "\r\nContent-Type: application/json; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\nRetry-After: 1\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(head, body)).addListener(ChannelFutureListener.CLOSE);
    }

    private static byte[] json(Object value) {
        try {
            return Json.MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Connections refused since the server started. */
    long refused() {
        return refused.get();
    }
}
