package io.actord.daemon.proxy;

/**
 * Told of the container-URL proxy's traffic (the daemon's metrics). Called on event loops: implementations only
 * add to counters, and do not throw.
 */
public interface ProxyTraffic {
    ProxyTraffic NONE = new ProxyTraffic() {
        @Override
        public void request() {
        }

        @Override
        public void bytes(long toContainers, long fromContainers) {
        }
    };

    /** A request for a container URL was taken to be relayed. */
    void request();

    /** Bytes written to or read from containers' servers (HTTP heads and bodies, and WebSocket tunnels). */
    void bytes(long toContainers, long fromContainers);
}
