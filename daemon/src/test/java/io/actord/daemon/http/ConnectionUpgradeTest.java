package io.actord.daemon.http;

import io.actord.daemon.access.Caller;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An {@link ApiResponse.Upgrade} hands the connection over: a 101, then raw bytes both ways, no HTTP left. */
class ConnectionUpgradeTest {
    private static final int LIMIT = 64 * 1024;
    private final AtomicBoolean abandoned = new AtomicBoolean();

    private final Router router = new Router().add(HttpMethod.POST, "/v2/upgrade", RequestHandler.sync(r ->
            new ApiResponse.Upgrade("echo", Echo::new, () -> abandoned.set(true), Map.of("X-Echo", "1"))));
    private final EmbeddedChannel channel = new EmbeddedChannel(
            new ApiChannelInitializer(new ApiHandler(router, Runnable::run, LIMIT,
                    (listener, runId, headers, query) -> Caller.admin("adminUserId000001", "local")), LIMIT, 60));

    /** Says hello once it may write, then echoes what it reads. */
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ConnectionUpgrade.DONE) {
                ctx.writeAndFlush(Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII));
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }
    }

    @Test
    void shouldSwitchProtocolsAndLeaveNoHttpHandlerBehind() {
        String answer = exchange("POST /v2/upgrade HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n"
                + "Content-Length: 2\r\n\r\n{}");

        assertTrue(answer.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), answer);
        assertTrue(answer.contains("upgrade: echo\r\n") && answer.contains("connection: upgrade\r\n")
                && answer.contains("X-Echo: 1\r\n"), answer);
        assertTrue(answer.endsWith("\r\n\r\nhello"), "the handler writes only after the 101: " + answer);
        assertEquals(List.of("upgraded"), channel.pipeline().names().stream()
                .filter(n -> !n.startsWith("DefaultChannelPipeline")).toList());

        assertEquals("GET / HTTP/1.1\r\n\r\n", exchange("GET / HTTP/1.1\r\n\r\n"), "bytes, not HTTP, from now on");
        assertFalse(abandoned.get());
    }

    @Test
    void shouldTellTheResponseWhenTheConnectionClosedBeforeTheHandover() {
        List<Runnable> worker = new ArrayList<>();
        EmbeddedChannel slow = new EmbeddedChannel(new ApiChannelInitializer(new ApiHandler(router, worker::add, LIMIT,
                (listener, runId, headers, query) -> Caller.admin("adminUserId000001", "local")), LIMIT, 60));
        slow.writeInbound(Unpooled.copiedBuffer("POST /v2/upgrade HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
                StandardCharsets.US_ASCII));
        slow.close();
        worker.forEach(Runnable::run);
        slow.runPendingTasks();

        assertTrue(abandoned.get());
    }

    private String exchange(String request) {
        channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
        channel.runPendingTasks();
        StringBuilder sb = new StringBuilder();
        for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
            sb.append(out.toString(StandardCharsets.US_ASCII));
            out.release();
        }
        return sb.toString();
    }
}
