package io.actord.daemon.testing;

import io.actord.cgroups.CgroupConfig;
import io.actord.daemon.DaemonConfig;
import io.actord.daemon.network.RunNetworks;
import io.actord.runtime.LinuxContainerRuntime;
import io.actord.runtime.RuntimeConfig;
import io.actord.runtime.network.Cidr;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Networks for test daemons. A test daemon runs isolated unless its test asks for egress; one in egress mode
 * gets a bridge, nft table and subnet of its own and may reach only the test's fake internet (FakeInternet): every
 * other address is denied and DNS goes to the fake internet's server only (the test rules of issue 18).
 */
public final class TestNetworks {
    private static final AtomicInteger N = new AtomicInteger();

    private TestNetworks() {
    }

    /** {@code flags} with {@code --run-network isolated} unless they set the mode themselves. */
    public static List<String> isolatedUnlessAsked(List<String> flags) {
        if (flags.stream().anyMatch(f -> f.equals("--run-network") || f.startsWith("--run-network="))) {
            return flags;
        }
        List<String> out = new ArrayList<>(flags);
        out.addAll(List.of("--run-network", "isolated"));
        return out;
    }

    /**
     * Daemon flags for egress to the fake internet's {@code ranges} only with DNS to its {@code dns}
     * server, with names no other test daemon uses: bridge and table {@code actord-t<pid><n>}, a subnet of
     * 10.160.0.0/16 … 10.249.0.0/16 ({@code extraAllow}: more CIDRs allowed).
     */
    public static List<String> egressFlags(List<Cidr> ranges, InetSocketAddress dns, List<Cidr> extraAllow) {
        int n = N.incrementAndGet();
        String name = "actord-t" + (ProcessHandle.current().pid() % 1000) + n;
        int second = 160 + (int) ((ProcessHandle.current().pid() * 7 + n) % 90);
        List<Cidr> allow = new ArrayList<>(ranges);
        allow.addAll(extraAllow);
        return List.of("--run-network", "egress", "--bridge", name, "--nft-table", name.replace('-', '_'),
                "--network-subnet", "10." + second + ".0.0/16",
                "--egress-deny", "0.0.0.0/0,::/0",
                "--egress-allow", allow.stream().map(Cidr::toString).collect(Collectors.joining(",")),
                "--dns-upstream", dns.getAddress().getHostAddress() + ":" + dns.getPort());
    }

    /**
     * The real runtime with the egress network {@code flags} describe, its state under {@code dir/state}
     * (where {@link TestDaemon} keeps it). Close it, then {@link ItRuntime#releaseSubtree} the subtree.
     */
    public static LinuxContainerRuntime runtime(Path dir, String subtree, List<String> flags) {
        List<String> args = new ArrayList<>(List.of("--state-dir", dir.resolve("state").toString()));
        args.addAll(flags);
        DaemonConfig config = DaemonConfig.parse(args.toArray(String[]::new));
        return LinuxContainerRuntime.open(RuntimeConfig.defaults().withCgroups(new CgroupConfig(subtree))
                .withLibDir(dir.resolve("lib")), RunNetworks.of(config.network(), config.stateDir()));
    }
}
