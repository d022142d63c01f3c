package io.actord.runtime.network;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a run may connect to, and what the daemon may connect to on a user's behalf (webhooks): an address in
 * {@link #allow()} is permitted, else one in {@link #deny()} is refused, else it is permitted. Allow always
 * wins, so an operator can open one private service ({@code --egress-allow 10.1.2.3/32}) inside a denied
 * range, or deny everything ({@code --egress-deny 0.0.0.0/0,::/0}) and allow a few ranges.
 *
 * <p>The default deny list is everything that is not the public internet: "this network", the private and
 * shared ranges, loopback, link-local (the cloud metadata address 169.254.169.254), IETF protocol
 * assignments, benchmarking, multicast, reserved and broadcast, and their IPv6 equivalents. The host's own
 * addresses are added by the daemon with {@link #denyingAlso}, since a public address of the host is the
 * host too.
 *
 * <p>Not covered: IPv6 prefixes that embed an IPv4 address and are translated by a gateway (NAT64's
 * 64:ff9b::/96, 6to4's 2002::/16). They reach only what such a gateway on the host's network reaches; an
 * operator who runs one can deny the prefixes with {@code --egress-deny}.
 */
public record EgressPolicy(List<Cidr> allow, List<Cidr> deny) {
    public static final List<Cidr> DEFAULT_DENY = Cidr.parseList(String.join(",",
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
            "255.255.255.255/32",
            "::/128", "::1/128", "::ffff:0:0/96", "fc00::/7", "fe80::/10", "ff00::/8"));

    /** nft identifiers: a letter, then letters, digits, '_' or '-' (the table name goes into the ruleset text). */
    private static final Pattern NFT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,62}");

    public EgressPolicy {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
    }

    /** The default deny list plus the operator's ranges. */
    public static EgressPolicy of(List<Cidr> extraAllow, List<Cidr> extraDeny) {
        List<Cidr> deny = new ArrayList<>(DEFAULT_DENY);
        deny.addAll(extraDeny);
        return new EgressPolicy(extraAllow, deny);
    }

    /** Allow wins; then deny; else permitted. An IPv4-mapped IPv6 address is judged as its IPv4 address. */
    public boolean permits(InetAddress a) {
        if (allow.stream().anyMatch(c -> c.contains(a))) {
            return true;
        }
        return deny.stream().noneMatch(c -> c.contains(a));
    }

    /** This policy with each of {@code hostAddresses} denied too (as /32 or /128). */
    public EgressPolicy denyingAlso(Collection<InetAddress> hostAddresses) {
        List<Cidr> more = new ArrayList<>(deny);
        hostAddresses.stream().map(Cidr::of).forEach(more::add);
        return new EgressPolicy(allow, more);
    }

    /**
     * Every address on the host's interfaces, up or down, loopback included (scope ids dropped). Read at the
     * time of the call: addresses added later (a bridge made afterwards) are not in it.
     */
    public static List<InetAddress> hostAddresses() {
        try {
            Set<InetAddress> result = new LinkedHashSet<>();
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    result.add(InetAddress.getByAddress(a.getAddress()));
                }
            }
            return List.copyOf(result);
        } catch (SocketException e) {
            throw new UncheckedIOException("list the host's network interfaces", e);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("an interface address is an address", e);
        }
    }

    /**
     * The ruleset for {@code nft -f}, loaded INSIDE a run's network namespace (it replaces a table of the
     * same name atomically, so loading it twice is harmless). One chain at the output hook:
     * <pre>
     *   oif lo                    accept   (the run's own services, the DNS forwarder at 127.0.0.11, the in-run API)
     *   ct established,related    accept   (replies to connections made INTO the run, e.g. by the proxy)
     *   daddr in allow set        accept   (allow wins)
     *   daddr in deny set, TCP    reject with tcp reset          (connect() fails at once with ECONNREFUSED)
     *   daddr in deny set         reject with icmpx admin-prohibited (UDP/ICMP senders get EHOSTUNREACH/EACCES)
     *   policy accept
     * </pre>
     * Only output is filtered: egress is what the run sends, and every packet the run sends leaves through
     * this hook (routed or not; the run has no CAP_NET_ADMIN to change it). An input rule would not stop
     * anything leaving; what may come IN to a run (other runs, the LAN through the host's forwarding) is the
     * host's forward chain's business, and a reply to such a connection is allowed by the conntrack rule,
     * which never lets a connection the run starts towards a denied address through: its first packet is
     * rejected, so it never becomes established.
     *
     * <p>Sets use {@code flags interval} and hold only ranges not covered by another of the same set (CIDR
     * ranges either nest or are disjoint, so the rest cannot overlap; nft refuses overlapping intervals).
     */
    public String nftRuleset(String tableName) {
        if (!NFT_NAME.matcher(tableName).matches()) {
            throw new IllegalArgumentException("invalid nft table name \"" + tableName + "\"");
        }
        StringBuilder text = new StringBuilder();
        text.append("table inet ").append(tableName).append('\n');
        text.append("delete table inet ").append(tableName).append('\n');
        text.append("table inet ").append(tableName).append(" {\n");
        set(text, "allow4", "ipv4_addr", allow, true);
        set(text, "allow6", "ipv6_addr", allow, false);
        set(text, "deny4", "ipv4_addr", deny, true);
        set(text, "deny6", "ipv6_addr", deny, false);
        text.append("""
                    chain output {
                        type filter hook output priority filter; policy accept;
                        oif "lo" accept
                        ct state established,related accept
                        ip daddr @allow4 accept
                        ip6 daddr @allow6 accept
                        ip daddr @deny4 meta l4proto tcp reject with tcp reset
                        ip daddr @deny4 reject with icmpx admin-prohibited
                        ip6 daddr @deny6 meta l4proto tcp reject with tcp reset
                        ip6 daddr @deny6 reject with icmpx admin-prohibited
                    }
                }
                """);
        return text.toString();
    }

    private static void set(StringBuilder text, String name, String type, List<Cidr> ranges, boolean ipv4) {
        List<Cidr> family = ranges.stream().filter(c -> c.isIpv4() == ipv4).toList();
        List<String> elements = outermost(family).stream().map(Cidr::toString).toList();
        text.append("    set ").append(name).append(" {\n");
        text.append("        type ").append(type).append("; flags interval;\n");
        if (!elements.isEmpty()) {
            text.append("        elements = { ").append(String.join(", ", elements)).append(" }\n");
        }
        text.append("    }\n");
    }

    /** The ranges not inside another one of the list (duplicates once), in their first order. */
    static List<Cidr> outermost(List<Cidr> ranges) {
        List<Cidr> result = new ArrayList<>();
        Set<Cidr> seen = new LinkedHashSet<>();
        for (Cidr c : ranges) {
            boolean covered = ranges.stream().anyMatch(other -> !other.equals(c) && other.contains(c));
            if (!covered && seen.add(c)) {
                result.add(c);
            }
        }
        return result;
    }
}
