package io.actord.runtime.network;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CniConflistTest {
    @TempDir
    Path dir;

    @Test
    void shouldWriteActordsOwnNetworkAndReadItBack() {
        CniConflist list = CniConflist.writeDefault(dir.resolve("net/actord.conflist"), "actord0", "10.88.0.0/16",
                dir.resolve("ipam"));
        assertEquals("actord", list.name());
        assertEquals(Optional.of("actord0"), list.bridge());
        assertEquals(Optional.of("10.88.0.0/16"), list.subnet());
        assertEquals(Optional.of(dir.resolve("ipam/actord")), list.ipamDir());
        assertFalse(list.plugins().get(0).get("ipMasq").asBoolean(), "NAT is the host table's, not the plugin's");
        assertEquals(list, CniConflist.read(dir.resolve("net/actord.conflist")));
        assertEquals(List.of("bridge", "host-local"), new CniPlugins(dir).missing(list));
    }

    @Test
    void shouldHandEachPluginTheNetworksNameVersionAndPreviousResult() throws Exception {
        Files.writeString(dir.resolve("op.conflist"), """
                {"cniVersion": "0.4.0", "name": "lan", "plugins": [{"type": "macvlan", "master": "eth1",
                 "ipam": {"type": "dhcp"}}, {"type": "tuning"}]}""");
        CniConflist list = CniConflist.read(dir.resolve("op.conflist"));
        var config = list.pluginConfig(list.plugins().get(1),
                Optional.of(CniConflist.JSON.readTree("{\"ips\": []}")));
        assertEquals("lan", config.get("name").asText());
        assertEquals("0.4.0", config.get("cniVersion").asText());
        assertTrue(config.has("prevResult"));
        assertEquals(Optional.empty(), list.bridge());
        assertEquals(Optional.empty(), list.ipamDir());
    }

    @Test
    void shouldRefuseAConflistWithoutPlugins() throws Exception {
        Files.writeString(dir.resolve("bad.conflist"), "{\"name\": \"x\", \"plugins\": []}");
        assertThrows(IllegalArgumentException.class, () -> CniConflist.read(dir.resolve("bad.conflist")));
    }

    @Test
    void shouldReadTheAddressAndTheHostEndOfTheVethFromAResult() {
        CniResult result = new CniResult("""
                {"cniVersion": "1.0.0", "interfaces": [{"name": "actord0", "mac": "aa"}, {"name": "veth1234", "mac": "bb"},
                 {"name": "eth0", "mac": "cc", "sandbox": "/proc/1/fd/9"}],
                 "ips": [{"interface": 2, "address": "10.88.0.5/16", "gateway": "10.88.0.1"}]}""");
        assertEquals(Optional.of("10.88.0.5"), result.address());
        assertEquals(Optional.of("10.88.0.1"), result.gateway());
        assertEquals(Optional.of("veth1234"), result.hostInterface(Optional.of("actord0")));
    }

    @Test
    void shouldPickTheFirstCandidateSubnetNoRouteOverlaps() {
        long[] candidate = Subnets.parse("10.88.0.0/16");
        assertTrue(Subnets.overlaps(candidate, Subnets.parse("10.0.0.0/8")));
        assertTrue(Subnets.overlaps(candidate, Subnets.parse("10.88.3.0/24")));
        assertFalse(Subnets.overlaps(candidate, Subnets.parse("10.89.0.0/16")));
        assertFalse(Subnets.overlaps(candidate, Subnets.parse("192.0.2.0/24")));
        assertEquals("10.88.0.0/16", Subnets.candidates().get(0));
    }

    @Test
    void shouldMasqueradeTheSubnetLeavingThroughAnythingButTheBridge() {
        String ruleset = new HostNat("actord", "actord0", "10.88.0.0/16").ruleset();
        assertTrue(ruleset.contains("ip saddr 10.88.0.0/16 oifname != \"actord0\" masquerade"), ruleset);
        assertTrue(ruleset.contains("delete table ip actord"), "redefined atomically: " + ruleset);
        assertThrows(IllegalArgumentException.class, () -> new HostNat("bad name", "actord0", "10.88.0.0/16"));
    }
}
