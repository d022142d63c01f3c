package io.actord.daemon.network;

import io.actord.daemon.common.UsageException;
import io.actord.daemon.runoptions.RunNetwork;
import io.actord.runtime.network.Cidr;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The daemon's network settings (its flags of the same names).
 *
 * @param mode       the runs' default network (egress or isolated)
 * @param subnet     the runs' subnet when actord writes its conflist; empty = the first free of 10.88/16, …
 * @param bridge     the bridge of actord's own conflist
 * @param conflist   an operator's CNI conflist, used as it is instead of actord's
 * @param cniPath    where the CNI plugins are
 * @param allow      CIDRs runs may reach although the default policy denies them (allow wins)
 * @param deny       CIDRs denied on top of the default policy
 * @param dnsUpstreams where the runs' DNS forwarders send queries; empty = the host's /etc/resolv.conf
 * @param nftTable   the name of actord's nft tables (the host's NAT table and each run's policy table)
 */
public record NetworkConfig(RunNetwork mode, Optional<String> subnet, String bridge, Optional<Path> conflist,
                            Path cniPath, List<Cidr> allow, List<Cidr> deny, List<InetSocketAddress> dnsUpstreams,
                            String nftTable) {
    public static final Set<String> KEYS = Set.of("run-network", "network-subnet", "bridge", "cni-conflist",
            "cni-path", "egress-allow", "egress-deny", "dns-upstream", "nft-table");
    public static final String USAGE = """
              --run-network egress|isolated  the runs' default network (default egress: the internet through
                            the bridge, under the egress policy; isolated: loopback only). Needs the Debian
                            packages containernetworking-plugins and nftables
              --network-subnet CIDR  the runs' subnet, default the first of 10.88.0.0/16, 10.89.0.0/16, ...
                            that no route of the host overlaps (kept in <state>/network/actord.conflist)
              --bridge NAME the runs' bridge, default actord0;  --nft-table NAME  actord's nft tables, default actord
              --cni-conflist FILE  another CNI network for the runs, used as it is;  --cni-path DIR  default /usr/lib/cni
              --egress-allow CIDR,...  reachable although denied by default (e.g. a LAN database); allow wins
              --egress-deny CIDR,...   denied as well (0.0.0.0/0,::/0 denies everything not allowed)
              --dns-upstream IP[:PORT],...  where the runs' DNS goes, default the host's resolv.conf nameservers
            """;

    public static NetworkConfig from(Map<String, String> s) {
        RunNetwork mode = switch (s.getOrDefault("run-network", "egress")) {
            case "egress" -> RunNetwork.EGRESS;
            case "isolated" -> RunNetwork.ISOLATED;
            default -> throw new UsageException("run-network must be egress or isolated, got '" + s.get("run-network")
                    + "'");
        };
        Optional<String> subnet = Optional.ofNullable(s.get("network-subnet")).map(v -> {
            Cidr c = cidrs("network-subnet", v).get(0);
            if (!c.isIpv4()) {
                throw new UsageException("network-subnet must be an IPv4 CIDR, got '" + v + "'");
            }
            return c.toString();
        });
        String bridge = s.getOrDefault("bridge", "actord0");
        if (!bridge.matches("[A-Za-z0-9_.-]{1,15}")) {
            throw new UsageException("bridge must be an interface name of 1-15 letters, digits, '_', '.' or '-', got '"
                    + bridge + "'");
        }
        String table = s.getOrDefault("nft-table", "actord");
        if (!table.matches("[A-Za-z][A-Za-z0-9_-]{0,63}")) {
            throw new UsageException("nft-table must be letters, digits, '_' and '-', got '" + table + "'");
        }
        return new NetworkConfig(mode, subnet, bridge, Optional.ofNullable(s.get("cni-conflist")).map(Path::of),
                Path.of(s.getOrDefault("cni-path", "/usr/lib/cni")),
                cidrs("egress-allow", s.getOrDefault("egress-allow", "")),
                cidrs("egress-deny", s.getOrDefault("egress-deny", "")),
                upstreams(s.getOrDefault("dns-upstream", "")), table);
    }

    private static List<Cidr> cidrs(String key, String value) {
        if (value.isBlank()) {
            return List.of();
        }
        try {
            return Cidr.parseList(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(key + ": " + e.getMessage());
        }
    }

    /** "IP", "IP:PORT" or "[IPv6]:PORT", comma-separated; literal addresses only (no lookup). */
    static List<InetSocketAddress> upstreams(String value) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String item : value.split(",")) {
            String v = item.trim();
            if (v.isEmpty()) {
                continue;
            }
            String host = v;
            int port = 53;
            if (v.startsWith("[")) {
                int end = v.indexOf(']');
                host = v.substring(1, Math.max(1, end));
                if (end > 0 && end + 1 < v.length() && v.charAt(end + 1) == ':') {
                    port = port(v, v.substring(end + 2));
                }
            } else if (v.chars().filter(ch -> ch == ':').count() == 1) {
                host = v.substring(0, v.indexOf(':'));
                port = port(v, v.substring(v.indexOf(':') + 1));
            }
            if (!host.matches("[0-9a-fA-F.:]+")) {
                throw new UsageException("dns-upstream must be IP[:PORT] addresses, got '" + v + "'");
            }
            try {
                out.add(new InetSocketAddress(InetAddress.getByName(host), port));
            } catch (UnknownHostException e) {
                throw new UsageException("dns-upstream: not an address: '" + v + "'");
            }
        }
        return List.copyOf(out);
    }

    private static int port(String item, String text) {
        try {
            int p = Integer.parseInt(text);
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new UsageException("dns-upstream port must be 1-65535, got '" + item + "'");
        }
    }
}
