package io.actord.daemon.network;

import io.actord.daemon.runoptions.RunNetwork;
import io.actord.runtime.network.CniConflist;
import io.actord.runtime.network.CniPlugins;
import io.actord.runtime.network.EgressNetwork;
import io.actord.runtime.network.EgressPolicy;
import io.actord.runtime.network.HostNat;
import io.actord.runtime.network.NetworkException;
import io.actord.runtime.network.Subnets;
import io.actord.runtime.sys.Linux;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * How the daemon's network settings become the runtime's {@link EgressNetwork}: actord's conflist in
 * {@code <state>/network} (written once, its subnet then kept) or the operator's, the host's NAT table for
 * actord's own, and the egress policy — defaults, the operator's CIDRs, the host's own addresses — as the
 * ruleset each run's namespace gets.
 */
public final class RunNetworks {
    /** Where each run's DNS forwarder listens inside its namespace (Docker's embedded DNS address). */
    public static final InetSocketAddress DNS = new InetSocketAddress("127.0.0.11", 53);
    /** Where the runs' DNS goes without {@code --dns-upstream}: the host's resolver configuration. */
    public static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");

    private RunNetworks() {
    }

    /**
     * The egress network when it is the daemon's default mode; a daemon in isolated mode makes none.
     *
     * @throws NetworkException when the runs would have no DNS server to forward to ({@link #dnsUpstreams})
     */
    public static Optional<Function<Linux, EgressNetwork>> of(NetworkConfig config, Path stateDir) {
        if (config.mode() != RunNetwork.EGRESS) {
            return Optional.empty();
        }
        dnsUpstreams(config, HOST_RESOLV_CONF);
        return Optional.of(linux -> new EgressNetwork(egressConfig(config, stateDir), linux));
    }

    /**
     * Where the runs' DNS forwarders send queries: the {@code --dns-upstream} servers, else the nameservers of
     * {@code resolvConf} (a loopback one works: the forwarder sends from the host's namespace).
     *
     * @throws NetworkException naming {@code --dns-upstream} when there are none: actord never falls back to
     *                          public resolvers (as Docker does), it contacts nothing the operator did not name
     */
    public static List<InetSocketAddress> dnsUpstreams(NetworkConfig config, Path resolvConf) {
        if (!config.dnsUpstreams().isEmpty()) {
            return config.dnsUpstreams();
        }
        List<InetSocketAddress> system = DnsForwarder.systemUpstreams(resolvConf);
        if (system.isEmpty()) {
            throw new NetworkException("egress runs need a DNS server to forward their queries to, and " + resolvConf
                    + " names no usable nameserver: start actord with --dns-upstream IP[:PORT] (a resolver the runs"
                    + " may use), or with --run-network isolated");
        }
        return system;
    }

    public static EgressPolicy policy(NetworkConfig config) {
        return EgressPolicy.of(config.allow(), config.deny()).denyingAlso(EgressPolicy.hostAddresses());
    }

    static EgressNetwork.Config egressConfig(NetworkConfig config, Path stateDir) {
        CniConflist conflist = config.conflist().map(CniConflist::read).orElseGet(() -> {
            Path dir = stateDir.resolve("network");
            Path file = dir.resolve("actord.conflist");
            return Files.exists(file) ? CniConflist.read(file)
                    : CniConflist.writeDefault(file, config.bridge(), config.subnet().orElseGet(Subnets::choose),
                            dir.resolve("ipam"));
        });
        Optional<HostNat> nat = config.conflist().isPresent() ? Optional.empty()
                : conflist.bridge().flatMap(b -> conflist.subnet().map(s -> new HostNat(config.nftTable(), b, s)));
        return new EgressNetwork.Config(conflist, new CniPlugins(config.cniPath()), nat,
                policy(config).nftRuleset(config.nftTable()), DNS.getAddress().getHostAddress());
    }
}
