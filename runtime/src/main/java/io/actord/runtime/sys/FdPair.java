package io.actord.runtime.sys;

/**
 * Two connected descriptors: a pipe's read and write ends, or the two ends of a socketpair.
 *
 * @param first  the pipe's read end, or one socket
 * @param second the pipe's write end, or the other socket
 */
public record FdPair(Fd first, Fd second) implements AutoCloseable {
    @Override
    public void close() {
        try {
            first.close();
        } finally {
            second.close();
        }
    }
}
