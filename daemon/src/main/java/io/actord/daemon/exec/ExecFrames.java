package io.actord.daemon.exec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The exec stream's framing, after the 101 of {@code POST /v2/actor-runs/{runId}/exec} with
 * {@code Upgrade: actord-exec}: Docker's stdcopy header in both directions, one more kind for the exit code and
 * one for the window size. (actorctl's {@code ExecClient} speaks the other end; keep the two in step.)
 *
 * <pre>
 *  frame = u8 kind, 3 zero bytes, u32 payload length (big-endian), payload
 *  client → daemon   0 stdin bytes (an empty payload: end of input)     4 resize: u16 rows, u16 columns
 *  daemon → client   1 stdout bytes   2 stderr bytes (none with a tty)  3 exit: i32 exit code; the daemon closes
 * </pre>
 */
public final class ExecFrames {
    public static final String PROTOCOL = "actord-exec";
    public static final int STDIN = 0;
    public static final int STDOUT = 1;
    public static final int STDERR = 2;
    public static final int EXIT = 3;
    public static final int RESIZE = 4;
    public static final int HEADER_BYTES = 8;
    /** The largest payload the daemon takes from a client (it sends at most {@link #CHUNK_BYTES}). */
    public static final int MAX_PAYLOAD = 1 << 20;
    /** How much output one frame carries at most. */
    public static final int CHUNK_BYTES = 32 * 1024;

    private ExecFrames() {
    }

    public static ByteBuf frame(ByteBufAllocator alloc, int kind, byte[] payload, int length) {
        ByteBuf buf = alloc.buffer(HEADER_BYTES + length);
        buf.writeByte(kind).writeZero(3).writeInt(length).writeBytes(payload, 0, length);
        return buf;
    }

    public static ByteBuf exit(ByteBufAllocator alloc, int code) {
        return alloc.buffer(HEADER_BYTES + 4).writeByte(EXIT).writeZero(3).writeInt(4).writeInt(code);
    }
}
