package io.actord.daemon.network;

import io.actord.daemon.run.RunNetwork;
import io.actord.runtime.network.CniConflist;
import io.actord.runtime.network.CniPlugins;
import io.actord.runtime.network.EgressNetwork;
import io.actord.runtime.network.EgressPolicy;
import io.actord.runtime.network.HostNat;
import io.actord.runtime.network.Subnets;
import io.actord.runtime.sys.Linux;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private RunNetworks() {
    }

    /** The egress network when it is the daemon's default mode; a daemon in isolated mode makes none. */
    public static Optional<Function<Linux, EgressNetwork>> of(NetworkConfig config, Path stateDir) {
        if (config.mode() != RunNetwork.EGRESS) {
            return Optional.empty();
        }
        return Optional.of(linux -> new EgressNetwork(egressConfig(config, stateDir), linux));
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
