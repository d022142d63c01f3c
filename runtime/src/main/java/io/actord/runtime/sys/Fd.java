package io.actord.runtime.sys;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An open file descriptor of this process. Closing is idempotent; the number must not be used afterwards
 * (the kernel hands it out again at once).
 */
public final class Fd implements AutoCloseable {
    private final int number;
    private final Linux linux;
    private final AtomicBoolean closed = new AtomicBoolean();

    public Fd(int number, Linux linux) {
        if (number < 0) {
            throw new IllegalArgumentException("fd " + number);
        }
        this.number = number;
        this.linux = linux;
    }

    public int number() {
        return number;
    }

    public boolean isOpen() {
        return !closed.get();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            linux.close(number);
        }
    }

    @Override
    public String toString() {
        return "fd " + number + (closed.get() ? " (closed)" : "");
    }
}
