package io.actord.cli.exec;

import io.actord.cli.CliException;
import io.actord.cli.http.HttpResponse;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Optional;

/**
 * The client end of an exec stream (the daemon's {@code ExecFrames} has the protocol; keep the two in step):
 * frames of u8 kind, 3 zero bytes, u32 big-endian length, payload. It sends stdin (0; empty at end of input)
 * and window sizes (4: u16 rows, u16 columns), and writes stdout (1) and stderr (2) until the exit frame (3:
 * i32 code). Reads on the calling thread; stdin is read on a daemon thread of its own. Frames are written
 * straight to the socket channel, whose reads and writes take separate locks (a stream wrapped around the
 * channel would hold its one blocking lock across a read and stall every write).
 */
public final class ExecClient {
    public static final String PROTOCOL = "actord-exec";
    static final int STDIN = 0;
    static final int STDOUT = 1;
    static final int STDERR = 2;
    static final int EXIT = 3;
    static final int RESIZE = 4;
    static final int HEADER_BYTES = 8;
    static final int CHUNK_BYTES = 32 * 1024;
    /** More than the daemon ever sends in one frame (32 KiB); anything longer is not this protocol. */
    static final int MAX_PAYLOAD = 1 << 20;

    private final InputStream in;
    private final SocketChannel channel;

    /** @param upgraded the daemon's 101 answer: its body is the daemon's frames, its connection takes ours */
    public ExecClient(HttpResponse upgraded) {
        this.in = upgraded.body();
        if (!(upgraded.connection() instanceof SocketChannel socket)) {
            throw new IllegalArgumentException("an exec stream needs the response's socket channel");
        }
        this.channel = socket;
    }

    /**
     * Streams until the command's exit; returns its exit code.
     *
     * @param stdin what the command reads, if it reads anything; its end is sent as end of input
     * @throws CliException when the connection fails or ends before the exit code came
     */
    public int run(Optional<InputStream> stdin, OutputStream out, OutputStream err) {
        stdin.ifPresent(this::forward);
        try {
            byte[] header = new byte[HEADER_BYTES];
            for (;;) {
                readFully(header);
                int kind = header[0] & 0xff;
                int length = ByteBuffer.wrap(header, 4, 4).getInt();
                if (length < 0 || length > MAX_PAYLOAD) {
                    throw new CliException("the daemon sent an exec frame of " + Integer.toUnsignedString(length)
                            + " bytes; this is not an actord exec stream");
                }
                byte[] payload = new byte[length];
                readFully(payload);
                if (kind == EXIT && length == 4) {
                    return ByteBuffer.wrap(payload).getInt();
                }
                OutputStream target = kind == STDOUT ? out : kind == STDERR ? err : null;
                if (target != null) {
                    target.write(payload);
                    target.flush();
                }
            }
        } catch (EOFException e) {
            throw new CliException("the connection to actord closed before the command's exit code came (the daemon"
                    + " stopped?)", e);
        } catch (IOException e) {
            throw new CliException("the exec stream failed: " + e.getMessage(), e);
        }
    }

    /** Tells the command's terminal its new size. */
    public void resize(int rows, int columns) {
        try {
            send(RESIZE, ByteBuffer.allocate(4).putShort((short) rows).putShort((short) columns).array(), 4);
        } catch (IOException e) {
            // The stream is ending; the size no longer matters.
        }
    }

    private void forward(InputStream stdin) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[CHUNK_BYTES];
            try {
                for (int n; (n = stdin.read(buffer)) >= 0; ) {
                    if (n > 0) {
                        send(STDIN, buffer, n);
                    }
                }
                send(STDIN, buffer, 0);
            } catch (IOException e) {
                // The connection is gone (the command ended) or stdin failed: nothing more to send.
            }
        }, "actorctl-exec-stdin");
        thread.setDaemon(true);
        thread.start();
    }

    private synchronized void send(int kind, byte[] payload, int length) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(HEADER_BYTES + length);
        frame.put((byte) kind).put(new byte[3]).putInt(length).put(payload, 0, length).flip();
        while (frame.hasRemaining()) {
            channel.write(frame);
        }
    }

    private void readFully(byte[] buffer) throws IOException {
        int n = in.readNBytes(buffer, 0, buffer.length);
        if (n < buffer.length) {
            throw new EOFException();
        }
    }
}
