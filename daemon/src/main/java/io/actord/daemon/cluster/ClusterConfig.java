package io.actord.daemon.cluster;

import io.etcd.jetcd.Client;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a daemon joins a cluster ({@code --cluster etcd://HOST:PORT[,HOST:PORT…]}, {@code --cluster-lease-ttl-secs});
 * it is there under its host id (the one its runs name, {@code RunOwner}).
 *
 * @param endpoints the etcd members' client URLs ({@code http://host:port}); the client fails over between them
 * @param leaseTtl  how long the host's lease outlives its last renewal: how soon the others see it gone
 */
public record ClusterConfig(List<URI> endpoints, Duration leaseTtl) {
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(10);
    /**
     * etcd refuses leases shorter than about 1.5 election timeouts (2 s with its defaults) and the keep-alive renews
     * every third of the TTL; under 3 s a single late renewal would take the host out.
     */
    public static final Duration MIN_LEASE_TTL = Duration.ofSeconds(3);
    public static final Duration MAX_LEASE_TTL = Duration.ofHours(1);

    static {
        // jetcd's Vert.x would make a /tmp/vertx-cache-<uuid> directory per daemon, to serve files from the class
        // path, which nothing here asks for; it is left behind whenever the daemon is killed (kill -9, a lost host)
        if (System.getProperty("vertx.disableFileCPResolving") == null) {
            System.setProperty("vertx.disableFileCPResolving", "true");
        }
    }

    public ClusterConfig {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no etcd endpoint");
        }
        if (leaseTtl.compareTo(MIN_LEASE_TTL) < 0 || leaseTtl.compareTo(MAX_LEASE_TTL) > 0) {
            throw new IllegalArgumentException("the lease TTL must be from " + MIN_LEASE_TTL.toSeconds() + " to "
                    + MAX_LEASE_TTL.toSeconds() + " s, got " + leaseTtl.toSeconds());
        }
    }

    /**
     * {@code etcd://host:port[,host:port…]} (IPv6 in brackets) as client URLs; the scheme is said once, as in
     * etcdctl's {@code --endpoints} list.
     *
     * @throws IllegalArgumentException naming the part that is not a host and port
     */
    public static List<URI> parseEndpoints(String value) {
        String prefix = "etcd://";
        if (!value.startsWith(prefix) || value.length() == prefix.length()) {
            throw new IllegalArgumentException("expected etcd://HOST:PORT[,HOST:PORT…], got '" + value + "'");
        }
        List<URI> endpoints = new ArrayList<>();
        for (String part : value.substring(prefix.length()).split(",", -1)) {
            URI uri;
            try {
                uri = new URI("http://" + part);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("'" + part + "' is not HOST:PORT");
            }
            if (uri.getHost() == null || uri.getPort() < 1 || !uri.getRawPath().isEmpty() || uri.getRawQuery() != null
                    || uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException("'" + part + "' is not HOST:PORT");
            }
            endpoints.add(uri);
        }
        return endpoints;
    }

    /** A client of the etcd members, which fails over between them. */
    public Client connect() {
        return Client.builder().endpoints(endpoints).connectTimeout(safetyMargin())
                // gRPC pings find a dead connection to an etcd member that went away without a reset; etcd
                // refuses pings more often than every 5 s (--grpc-keepalive-min-time). jetcd also waits this long for
                // a lease's first renewal before it gives the lease up: never sooner than the membership would.
                .keepaliveTime(Duration.ofSeconds(6))
                .keepaliveTimeout(leaseTtl.minus(safetyMargin()))
                .build();
    }

    /** The deadline margin: the host counts itself out this long before its lease can expire in etcd. */
    public Duration safetyMargin() {
        return leaseTtl.dividedBy(4).compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
                : leaseTtl.dividedBy(4);
    }
}
