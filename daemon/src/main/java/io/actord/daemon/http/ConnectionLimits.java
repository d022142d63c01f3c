package io.actord.daemon.http;

import com.sun.management.UnixOperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * How many TCP connections the API holds, and how long a request head may take to arrive.
 *
 * @param perAddress          open TCP connections one client address may hold; more are answered 503 and closed
 * @param total               open TCP connections in all, kept below the descriptor limit so that the admin
 *                            socket, the runs and the state store always have descriptors left
 * @param headTimeoutSeconds  a request head (request line and headers) must be complete this long after its first
 *                            byte, or the connection is closed (slow-header attacks hold connections otherwise)
 */
public record ConnectionLimits(int perAddress, int total, long headTimeoutSeconds) {
    public static final int DEFAULT_PER_ADDRESS = 512;
    public static final long DEFAULT_HEAD_TIMEOUT_SECONDS = 30;
    /** Descriptors never handed to TCP clients: the daemon's own files, sockets, runs and RocksDB. */
    private static final long RESERVED_DESCRIPTORS = 512;

    public ConnectionLimits {
        if (perAddress < 1 || total < 1 || headTimeoutSeconds < 1) {
            throw new IllegalArgumentException("connection limits must be positive: " + perAddress + ", " + total
                    + ", " + headTimeoutSeconds + " s");
        }
    }

    /** The defaults for this process's descriptor limit. */
    public static ConnectionLimits defaults() {
        return new ConnectionLimits(DEFAULT_PER_ADDRESS, totalFor(maxDescriptors()), DEFAULT_HEAD_TIMEOUT_SECONDS);
    }

    /**
     * Half of what is left after the reserve: a container-URL connection holds two descriptors (the client's
     * and the one to the run's server).
     */
    public static int totalFor(long maxDescriptors) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(16, (maxDescriptors - RESERVED_DESCRIPTORS) / 2));
    }

    private static long maxDescriptors() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : 1024;
    }
}
