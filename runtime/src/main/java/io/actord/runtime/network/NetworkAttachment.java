package io.actord.runtime.network;

import io.actord.runtime.sys.Fd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A container's place on the network: its CNI result and a descriptor that holds its network namespace,
 * so the namespace (and the veth in it) outlives the container's last process until {@link #close()}
 * takes it off the network — the veth then goes synchronously with CNI DEL, not whenever the kernel gets
 * round to an unused namespace. Its counters stay readable until then.
 */
public final class NetworkAttachment implements AutoCloseable {
    private final EgressNetwork network;
    private final String containerId;
    private final Path runDir;
    private final CniResult result;
    private final Optional<String> hostInterface;
    private final Fd netns;
    private volatile NetCounters last = NetCounters.ZERO;
    private boolean closed;

    NetworkAttachment(EgressNetwork network, String containerId, Path runDir, CniResult result, Fd netns) {
        this.network = network;
        this.containerId = containerId;
        this.runDir = runDir;
        this.result = result;
        this.hostInterface = result.hostInterface(network.bridge());
        this.netns = netns;
    }

    /** The container's address on the runs' network. */
    public Optional<String> address() {
        return result.address();
    }

    public CniResult result() {
        return result;
    }

    /**
     * What the container received and sent: the host end of its veth counts the other way round. The
     * last values read once the attachment is closed.
     */
    public synchronized NetCounters counters() {
        if (closed || hostInterface.isEmpty()) {
            return last;
        }
        Path stats = Path.of("/sys/class/net", hostInterface.get(), "statistics");
        try {
            long hostRx = Long.parseLong(Files.readString(stats.resolve("rx_bytes")).trim());
            long hostTx = Long.parseLong(Files.readString(stats.resolve("tx_bytes")).trim());
            last = new NetCounters(hostTx, hostRx);
        } catch (IOException | NumberFormatException e) {
            // the veth is gone: keep the last values
        }
        return last;
    }

    /** The namespace path the CNI plugins are given while this attachment holds it. */
    String netnsPath() {
        return "/proc/" + ProcessHandle.current().pid() + "/fd/" + netns.number();
    }

    /** Takes the container off the network (CNI DEL) and lets its namespace go; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        counters();
        closed = true;
        try {
            network.del(containerId, runDir, netnsPath());
        } finally {
            netns.close();
        }
    }
}
