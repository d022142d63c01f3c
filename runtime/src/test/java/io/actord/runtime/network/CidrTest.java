package io.actord.runtime.network;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CidrTest {
    @ParameterizedTest
    @CsvSource({
            "10.0.0.0/8, 10.0.0.0/8",
            "1.2.3.4, 1.2.3.4/32",
            "192.168.1.5/24, 192.168.1.0/24",
            "0.0.0.0/0, 0.0.0.0/0",
            "' 172.16.0.0/12 ', 172.16.0.0/12",
            "::1, ::1/128",
            "::/0, ::/0",
            "FC00::/7, fc00::/7",
            "fe80::1234/10, fe80::/10",
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1/128",
            "2001:db8::/32, 2001:db8::/32",
            "1::, 1::/128",
            "::ffff:0:0/96, ::ffff:0.0.0.0/96",
            "::ffff:10.0.0.1, ::ffff:10.0.0.1/128",
            "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8/128",
            "64:ff9b::192.0.2.33, 64:ff9b::c000:221/128",
            "::, ::/128",
    })
    void shouldParseToTheCanonicalForm(String text, String canonical) {
        assertEquals(canonical, Cidr.parse(text).toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "10.0.0.0/33      | prefix length 33 is greater than 32 for an IPv4 address",
            "::/129           | prefix length 129 is greater than 128 for an IPv6 address",
            "10.0.0.0/-1      | prefix length \"-1\" is not a number",
            "10.0.0.0/        | prefix length \"\" is not a number",
            "10.0.0.0/x       | prefix length \"x\" is not a number",
            "256.0.0.1        | 256 is not an IPv4 address byte (0..255)",
            "10.0.0           | \"10.0.0\" is not an IPv4 or IPv6 address literal",
            "example.com/24   | \"example.com\" is not an IPv4 or IPv6 address literal",
            "abc              | \"abc\" is not an IPv4 or IPv6 address literal",
            "1:2:3:4:5:6:7:8:9 | is not a valid IPv6 address (9 groups)",
            "1:2:3:4:5:6:7    | is not a valid IPv6 address (7 groups)",
            "1::2::3          | is not a valid IPv6 address (more than one \"::\")",
            "1:2:3:4:5:6:7::8 | is not a valid IPv6 address (8 groups)",
            "12345::          | \"12345::\" is not a valid IPv6 address",
            ":1:2:3:4:5:6:7   | \":1:2:3:4:5:6:7\" is not a valid IPv6 address",
            "::ffff:1.2.3.256 | 256 is not an IPv4 address byte (0..255)",
            "fe80::1%eth0     | \"fe80::1%eth0\" is not an IPv4 or IPv6 address literal",
    })
    void shouldRejectWithAClearMessage(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));
        assertTrue(e.getMessage().startsWith("invalid CIDR \"" + text + "\""), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void shouldRejectAnEmptyText() {
        assertEquals("invalid CIDR \"\": empty",
                assertThrows(IllegalArgumentException.class, () -> Cidr.parse("")).getMessage());
    }

    @Test
    void shouldParseAList() {
        assertEquals(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("::1")), Cidr.parseList("10.0.0.0/8, ::1"));
        assertEquals(List.of(), Cidr.parseList(""));
        assertEquals(List.of(), Cidr.parseList(null));
    }

    @Test
    void shouldRejectAListWithAnEmptyItem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Cidr.parseList("10.0.0.0/8,,::1"));
        assertEquals("invalid CIDR list \"10.0.0.0/8,,::1\": empty item", e.getMessage());
    }

    @Test
    void shouldNameTheBadItemOfAList() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Cidr.parseList("10.0.0.0/8,10.0.0.0/40"));
        assertTrue(e.getMessage().startsWith("invalid CIDR \"10.0.0.0/40\""), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
            "10.0.0.0/8, 10.255.255.255, true",
            "10.0.0.0/8, 11.0.0.0, false",
            "10.0.0.0/8, 9.255.255.255, false",
            "100.64.0.0/10, 100.127.0.1, true",
            "100.64.0.0/10, 100.128.0.1, false",
            "0.0.0.0/0, 8.8.8.8, true",
            "0.0.0.0/0, ::1, false",
            "::/0, 8.8.8.8, false",
            "1.2.3.4, 1.2.3.4, true",
            "1.2.3.4, 1.2.3.5, false",
            "fc00::/7, fd12:3456::1, true",
            "fc00::/7, fe00::1, false",
            "fe80::/10, fe80::1, true",
            "fe80::/10, febf:ffff::1, true",
            "fe80::/10, fec0::1, false",
    })
    void shouldContain(String cidr, String address, boolean expected) throws UnknownHostException {
        assertEquals(expected, Cidr.parse(cidr).contains(InetAddress.getByName(address)));
    }

    @Test
    void shouldCheckAMappedAddressAsIpv4() throws UnknownHostException {
        InetAddress mapped = mapped(10, 1, 2, 3);
        assertTrue(mapped instanceof Inet6Address, "a real IPv6 mapped address, not the JDK's Inet4Address");
        assertTrue(Cidr.parse("10.0.0.0/8").contains(mapped));
        assertFalse(Cidr.parse("::/0").contains(mapped), "a mapped address is IPv4 for the policy");
        assertEquals("10.1.2.3/32", Cidr.of(mapped).toString());
    }

    @Test
    void shouldContainNestedRanges() {
        assertTrue(Cidr.parse("10.0.0.0/8").contains(Cidr.parse("10.1.0.0/16")));
        assertTrue(Cidr.parse("10.0.0.0/8").contains(Cidr.parse("10.0.0.0/8")));
        assertFalse(Cidr.parse("10.1.0.0/16").contains(Cidr.parse("10.0.0.0/8")));
        assertFalse(Cidr.parse("0.0.0.0/0").contains(Cidr.parse("::/0")));
    }

    @Test
    void shouldRejectABadPrefixInTheConstructor() throws UnknownHostException {
        InetAddress a = InetAddress.getByName("10.0.0.1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Cidr(a, 40));
        assertEquals("prefix length 40 is outside 0..32 for 10.0.0.1", e.getMessage());
    }

    static InetAddress mapped(int a, int b, int c, int d) throws UnknownHostException {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        bytes[12] = (byte) a;
        bytes[13] = (byte) b;
        bytes[14] = (byte) c;
        bytes[15] = (byte) d;
        return Inet6Address.getByAddress(null, bytes, null);
    }
}
