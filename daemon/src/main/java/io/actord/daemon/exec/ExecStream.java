package io.actord.daemon.exec;

import io.actord.daemon.http.ConnectionUpgrade;
import io.actord.runtime.ExecProcess;
import io.actord.runtime.ExitStatus;
import io.actord.runtime.TerminalSize;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One exec's end of an upgraded API connection ({@link ExecFrames}). The command's streams block, so they are
 * served by threads of this exec, never by the event loop: one per output, which writes a frame and waits until
 * Netty has sent it (a slow client slows the command down, it never fills the daemon's memory); one for stdin
 * and resizes (reading stops while stdin writes are pending, so a command that does not read holds the client
 * back); and one that finishes: once the command has ended and its outputs are at their end (or {@link #DRAIN}
 * after its end, when something it started still holds them), it sends the exit frame and closes. A
 * connection that closes first kills the command.
 */
final class ExecStream extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ExecStream.class);
    static final Duration DRAIN = Duration.ofSeconds(2);

    private final String runId;
    private final ExecProcess process;
    private final ExecutorService input;
    private final AtomicInteger pendingInput = new AtomicInteger();
    private Channel channel;

    ExecStream(String runId, ExecProcess process) {
        this.runId = runId;
        this.process = process;
        this.input = Executors.newSingleThreadExecutor(r -> thread(r, "stdin"));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        ctx.pipeline().addBefore(ctx.name(), "exec-frames", new LengthFieldBasedFrameDecoder(
                ExecFrames.HEADER_BYTES + ExecFrames.MAX_PAYLOAD, 4, 4, 0, 0));
        channel.closeFuture().addListener(f -> stop());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ConnectionUpgrade.DONE) {
            start();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void start() {
        List<Runnable> pumps = new ArrayList<>();
        pumps.add(() -> pump(process.stdout(), ExecFrames.STDOUT));
        process.stderr().ifPresent(err -> pumps.add(() -> pump(err, ExecFrames.STDERR)));
        CountDownLatch outputs = new CountDownLatch(pumps.size());
        String[] names = {"stdout", "stderr"};
        for (int i = 0; i < pumps.size(); i++) {
            Runnable pump = pumps.get(i);
            thread(() -> {
                try {
                    pump.run();
                } finally {
                    outputs.countDown();
                }
            }, names[i]).start();
        }
        thread(() -> finish(outputs), "exit").start();
    }

    private void pump(InputStream in, int kind) {
        byte[] buffer = new byte[ExecFrames.CHUNK_BYTES];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (n > 0 && channel.isActive()) {
                    channel.writeAndFlush(ExecFrames.frame(channel.alloc(), kind, buffer, n)).awaitUninterruptibly();
                }
            }
        } catch (IOException e) {
            LOG.debug("exec run={} reading its output failed: {}", runId, e.getMessage());
        }
    }

    private void finish(CountDownLatch outputs) {
        ExitStatus exit = process.onExit().join();
        try {
            if (!outputs.await(DRAIN.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.debug("exec run={} ended, and something it started still holds its output", runId);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("exec run={} pid={} ended code={}", runId, process.pid(), exit.code());
        channel.writeAndFlush(ExecFrames.exit(channel.alloc(), exit.code())).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf frame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            int kind = frame.getUnsignedByte(0);
            byte[] payload = ByteBufUtil.getBytes(frame, ExecFrames.HEADER_BYTES,
                    frame.readableBytes() - ExecFrames.HEADER_BYTES);
            if (kind == ExecFrames.STDIN) {
                submit(payload.length == 0 ? this::endInput : () -> write(payload));
            } else if (kind == ExecFrames.RESIZE && payload.length == 4) {
                int rows = (payload[0] & 0xff) << 8 | payload[1] & 0xff;
                int columns = (payload[2] & 0xff) << 8 | payload[3] & 0xff;
                if (rows > 0 && columns > 0) {
                    submit(() -> process.resize(new TerminalSize(rows, columns)));
                }
            } else {
                LOG.info("exec run={} closed: the client sent a frame of kind {} and {} bytes", runId, kind,
                        payload.length);
                ctx.close();
            }
        } finally {
            frame.release();
        }
    }

    /** Runs {@code task} on the input thread; reading pauses until no task is pending. */
    private void submit(Runnable task) {
        if (pendingInput.incrementAndGet() == 1) {
            channel.config().setAutoRead(false);
        }
        try {
            input.execute(() -> {
                try {
                    task.run();
                } finally {
                    if (pendingInput.decrementAndGet() == 0) {
                        channel.config().setAutoRead(true);
                    }
                }
            });
        } catch (RejectedExecutionException stopped) {
            pendingInput.decrementAndGet();
        }
    }

    private void write(byte[] data) {
        try {
            process.stdin().write(data);
            process.stdin().flush();
        } catch (IOException e) {
            LOG.debug("exec run={} stdin: {}", runId, e.getMessage());
        }
    }

    private void endInput() {
        try {
            process.stdin().close();
        } catch (IOException e) {
            LOG.debug("exec run={} closing stdin: {}", runId, e.getMessage());
        }
    }

    /** The connection is closed: the command goes (it may already have). */
    private void stop() {
        process.close();
        input.shutdown();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.info("exec run={} connection closed: {}", runId, cause.toString());
        ctx.close();
    }

    private Thread thread(Runnable body, String stream) {
        Thread t = new Thread(body, "exec-" + runId + "-" + stream);
        t.setDaemon(true);
        return t;
    }
}
