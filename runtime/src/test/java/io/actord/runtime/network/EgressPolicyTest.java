package io.actord.runtime.network;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class EgressPolicyTest {
    private static final EgressPolicy DEFAULT = EgressPolicy.of(List.of(), List.of());

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "100.64.0.1", "100.127.255.255",
            "127.0.0.1", "127.0.0.53", "169.254.169.254", "172.16.0.1", "172.31.255.255", "192.0.0.8",
            "192.168.1.1", "198.18.0.1", "198.19.255.255", "224.0.0.1", "239.255.255.250", "240.0.0.1",
            "255.255.255.255", "::", "::1", "fc00::1", "fd00::1", "fe80::1", "ff02::1", "::ffff:127.0.0.1",
            "::ffff:169.254.169.254", "::ffff:10.0.0.1"})
    void shouldDenyByDefault(String address) throws UnknownHostException {
        assertFalse(DEFAULT.permits(address(address)), address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.1.1.1", "8.8.8.8", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0",
            "172.15.255.255", "172.32.0.0", "192.0.1.1", "192.167.255.255", "198.17.255.255", "198.20.0.0",
            "203.0.113.10", "223.255.255.255", "2001:db8::1", "2606:4700::1111", "::ffff:1.1.1.1"})
    void shouldPermitPublicAddressesByDefault(String address) throws UnknownHostException {
        assertTrue(DEFAULT.permits(address(address)), address);
    }

    @Test
    void shouldJudgeARealMappedIpv6AddressAsItsIpv4() throws UnknownHostException {
        assertFalse(DEFAULT.permits(CidrTest.mapped(169, 254, 169, 254)));
        assertTrue(DEFAULT.permits(CidrTest.mapped(1, 1, 1, 1)));
    }

    @Test
    void shouldLetAllowWinOverDeny() throws UnknownHostException {
        EgressPolicy policy = EgressPolicy.of(Cidr.parseList("10.1.2.3/32"), List.of());
        assertTrue(policy.permits(address("10.1.2.3")));
        assertFalse(policy.permits(address("10.1.2.4")));
    }

    @Test
    void shouldDenyAllButTheAllowedRanges() throws UnknownHostException {
        EgressPolicy policy = EgressPolicy.of(Cidr.parseList("203.0.113.0/24,198.51.100.0/24"),
                Cidr.parseList("0.0.0.0/0,::/0"));
        assertTrue(policy.permits(address("203.0.113.10")));
        assertTrue(policy.permits(address("198.51.100.2")));
        assertTrue(policy.permits(CidrTest.mapped(203, 0, 113, 53)));
        assertFalse(policy.permits(address("1.1.1.1")));
        assertFalse(policy.permits(address("2606:4700::1111")));
        assertFalse(policy.permits(CidrTest.mapped(1, 1, 1, 1)));
    }

    @Test
    void shouldDenyTheHostsAddresses() throws UnknownHostException {
        EgressPolicy policy = DEFAULT.denyingAlso(List.of(address("93.184.216.34"), address("2a00:1450::5"),
                address("127.0.0.1")));
        assertFalse(policy.permits(address("93.184.216.34")));
        assertFalse(policy.permits(address("2a00:1450::5")));
        assertTrue(policy.permits(address("93.184.216.35")));
        assertTrue(policy.deny().contains(Cidr.parse("93.184.216.34/32")));
        assertTrue(policy.deny().contains(Cidr.parse("2a00:1450::5/128")));
    }

    @Test
    void shouldListTheHostsLoopbackAmongItsAddresses() throws UnknownHostException {
        assertTrue(EgressPolicy.hostAddresses().contains(address("127.0.0.1")), EgressPolicy.hostAddresses().toString());
    }

    @Test
    void shouldRenderTheRulesetWithOutermostRangesOnly() throws UnknownHostException {
        EgressPolicy policy = EgressPolicy.of(Cidr.parseList("203.0.113.0/24,203.0.113.10"),
                Cidr.parseList("0.0.0.0/0,::/0")).denyingAlso(List.of(address("127.0.0.1"), address("::1")));
        String ruleset = policy.nftRuleset("actord_run");
        assertEquals("""
                table inet actord_run
                delete table inet actord_run
                table inet actord_run {
                    set allow4 {
                        type ipv4_addr; flags interval;
                        elements = { 203.0.113.0/24 }
                    }
                    set allow6 {
                        type ipv6_addr; flags interval;
                    }
                    set deny4 {
                        type ipv4_addr; flags interval;
                        elements = { 0.0.0.0/0 }
                    }
                    set deny6 {
                        type ipv6_addr; flags interval;
                        elements = { ::/0 }
                    }
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
                """, ruleset);
    }

    @Test
    void shouldRenderTheDefaultDenyList() {
        String ruleset = DEFAULT.nftRuleset("t");
        assertTrue(ruleset.contains("elements = { 0.0.0.0/8, 10.0.0.0/8, 100.64.0.0/10, 127.0.0.0/8, 169.254.0.0/16,"
                + " 172.16.0.0/12, 192.0.0.0/24, 192.168.0.0/16, 198.18.0.0/15, 224.0.0.0/4, 240.0.0.0/4 }"),
                ruleset); // 255.255.255.255/32 is inside 240.0.0.0/4
        assertTrue(ruleset.contains("elements = { ::/128, ::1/128, ::ffff:0.0.0.0/96, fc00::/7, fe80::/10,"
                + " ff00::/8 }"), ruleset);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1abc", "a b", "a;b", "x}", "a\nflush ruleset"})
    void shouldRejectATableNameThatIsNotAnIdentifier(String name) {
        assertThrows(IllegalArgumentException.class, () -> DEFAULT.nftRuleset(name));
    }

    /**
     * nft's own parser checks the text (check mode, -c: nothing is committed) in a throw-away user and
     * network namespace, so no root and no host rule is involved.
     */
    @Test
    void shouldBeAcceptedByNft() throws IOException, InterruptedException {
        assumeTrue(nftAvailable(), "nft or an unprivileged `unshare -rn` is not available on this machine");
        EgressPolicy policy = EgressPolicy.of(Cidr.parseList("10.1.2.3,fd00::/8,203.0.113.0/24"),
                Cidr.parseList("8.8.8.0/24,2001:db8::/32")).denyingAlso(EgressPolicy.hostAddresses());
        for (EgressPolicy p : List.of(policy, DEFAULT, EgressPolicy.of(List.of(), List.of(Cidr.parse("0.0.0.0/0"))))) {
            Process nft = new ProcessBuilder("unshare", "-rn", "nft", "-c", "-f", "-").redirectErrorStream(true).start();
            nft.getOutputStream().write(p.nftRuleset("actord_check").getBytes(StandardCharsets.UTF_8));
            nft.getOutputStream().close();
            String output = new String(nft.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(nft.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, nft.exitValue(), output + "\n" + p.nftRuleset("actord_check"));
        }
    }

    private static boolean nftAvailable() throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of("/usr/sbin/nft"))) {
            System.out.println("EgressPolicyTest: /usr/sbin/nft is missing (Debian package nftables)");
            return false;
        }
        Process probe = new ProcessBuilder("unshare", "-rn", "true").redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        if (!probe.waitFor(30, TimeUnit.SECONDS) || probe.exitValue() != 0) {
            System.out.println("EgressPolicyTest: `unshare -rn` does not work here (no user namespaces)");
            return false;
        }
        return true;
    }

    private static InetAddress address(String text) throws UnknownHostException {
        return InetAddress.getByName(text);
    }
}
