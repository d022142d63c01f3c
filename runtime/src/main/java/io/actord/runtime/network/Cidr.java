package io.actord.runtime.network;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An address range in CIDR notation, IPv4 or IPv6. The address is always the network address: host bits
 * given in the text are cleared ("192.168.1.5/24" is 192.168.1.0/24), as an operator who writes a host of a
 * network means the network.
 *
 * <p>Parsing never touches DNS: only literals are accepted ({@link InetAddress#getByName} would resolve a
 * name). IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}) are checked by {@link #contains} as the IPv4
 * address they carry, because that is where a dual-stack socket sends them (RFC 4291 §2.5.5.2).
 */
public record Cidr(InetAddress address, int prefixLength) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    public Cidr {
        if (address == null) {
            throw new IllegalArgumentException("CIDR address is null");
        }
        int bits = address.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0.." + bits
                    + " for " + address.getHostAddress());
        }
        address = network(address, prefixLength);
    }

    /**
     * Parses "10.0.0.0/8", "fc00::/7" or a single address ("1.2.3.4" is /32, "::1" is /128).
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    public static Cidr parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("invalid CIDR \"" + text + "\": empty");
        }
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String host = slash < 0 ? trimmed : trimmed.substring(0, slash);
        InetAddress address = literal(trimmed, host);
        int bits = address.getAddress().length * 8;
        if (slash < 0) {
            return new Cidr(address, bits);
        }
        String prefix = trimmed.substring(slash + 1);
        if (!prefix.matches("\\d{1,3}")) {
            throw new IllegalArgumentException("invalid CIDR \"" + text + "\": prefix length \"" + prefix
                    + "\" is not a number");
        }
        int length = Integer.parseInt(prefix);
        if (length > bits) {
            throw new IllegalArgumentException("invalid CIDR \"" + text + "\": prefix length " + length
                    + " is greater than " + bits + " for an IPv" + (bits == 32 ? 4 : 6) + " address");
        }
        return new Cidr(address, length);
    }

    /** Parses a comma-separated list; blanks around items are ignored, an empty text is an empty list. */
    public static List<Cidr> parseList(String commaSeparated) {
        List<Cidr> result = new ArrayList<>();
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return result;
        }
        for (String item : commaSeparated.split(",", -1)) {
            if (item.isBlank()) {
                throw new IllegalArgumentException("invalid CIDR list \"" + commaSeparated + "\": empty item");
            }
            result.add(parse(item));
        }
        return List.copyOf(result);
    }

    /** The single-address range of {@code a} (/32 or /128); a mapped IPv6 address becomes its IPv4 one. */
    public static Cidr of(InetAddress a) {
        InetAddress plain = unmapped(a);
        return new Cidr(plain, plain.getAddress().length * 8);
    }

    /** Whether {@code a} is in this range; an IPv4-mapped IPv6 address is checked as IPv4. */
    public boolean contains(InetAddress a) {
        return containsBytes(unmapped(a).getAddress());
    }

    /** Whether every address of {@code other} is in this range (a mapped range is IPv6 here, as written). */
    public boolean contains(Cidr other) {
        return other.prefixLength >= prefixLength && containsBytes(other.address.getAddress());
    }

    private boolean containsBytes(byte[] candidate) {
        byte[] network = address.getAddress();
        return candidate.length == network.length && Arrays.equals(mask(candidate, prefixLength), network);
    }

    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    /** "10.0.0.0/8", "fc00::/7": the network address (IPv6 in its shortest form) and the prefix length. */
    @Override
    public String toString() {
        return (isIpv4() ? address.getHostAddress() : compressed(address.getAddress())) + "/" + prefixLength;
    }

    /** The IPv4 address a mapped IPv6 address (::ffff:a.b.c.d) carries, else {@code a} itself. */
    static InetAddress unmapped(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address && isMapped(b)) {
            try {
                return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
            } catch (UnknownHostException e) {
                throw new IllegalStateException("4 bytes are an IPv4 address", e);
            }
        }
        return a;
    }

    private static boolean isMapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private static InetAddress literal(String text, String host) {
        byte[] bytes = IPV4.matcher(host).matches() ? ipv4(text, host)
                : host.contains(":") && IPV6.matcher(host).matches() ? ipv6(text, host)
                : null;
        if (bytes == null) {
            throw new IllegalArgumentException("invalid CIDR \"" + text + "\": \"" + host
                    + "\" is not an IPv4 or IPv6 address literal");
        }
        try {
            // Inet6Address.getByAddress keeps a mapped address IPv6 (InetAddress's would make it IPv4),
            // so "::ffff:0:0/96" stays a /96.
            return bytes.length == 16 ? Inet6Address.getByAddress(null, bytes, null) : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4 or 16 byte array is an address", e);
        }
    }

    private static byte[] ipv4(String text, String host) {
        byte[] bytes = new byte[4];
        String[] parts = host.split("\\.");
        for (int i = 0; i < 4; i++) {
            int value = Integer.parseInt(parts[i]);
            if (value > 255) {
                throw new IllegalArgumentException("invalid CIDR \"" + text + "\": " + value
                        + " is not an IPv4 address byte (0..255)");
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }

    /**
     * RFC 4291 §2.2 text: eight groups of 1-4 hex digits, one "::" for a run of zero groups, the last 32
     * bits optionally dotted IPv4. Parsed here because the JDK's parser falls back to a DNS lookup for a
     * text it does not take as a literal.
     */
    private static byte[] ipv6(String text, String host) {
        String invalid = "invalid CIDR \"" + text + "\": \"" + host + "\" is not a valid IPv6 address";
        int gap = host.indexOf("::");
        if (gap >= 0 && host.indexOf("::", gap + 1) >= 0) {
            throw new IllegalArgumentException(invalid + " (more than one \"::\")");
        }
        List<Integer> head = groups(text, gap < 0 ? host : host.substring(0, gap), invalid);
        List<Integer> tail = gap < 0 ? List.of() : groups(text, host.substring(gap + 2), invalid);
        int count = head.size() + tail.size();
        if (gap < 0 ? count != 8 : count > 7) {
            throw new IllegalArgumentException(invalid + " (" + count + " groups)");
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < head.size(); i++) {
            bytes[2 * i] = (byte) (head.get(i) >> 8);
            bytes[2 * i + 1] = head.get(i).byteValue();
        }
        for (int i = 0; i < tail.size(); i++) {
            int at = 8 - tail.size() + i;
            bytes[2 * at] = (byte) (tail.get(i) >> 8);
            bytes[2 * at + 1] = tail.get(i).byteValue();
        }
        return bytes;
    }

    /** The 16-bit groups of a colon-separated part; a dotted IPv4 address at its end counts as two. */
    private static List<Integer> groups(String text, String part, String invalid) {
        List<Integer> result = new ArrayList<>();
        if (part.isEmpty()) {
            return result;
        }
        String[] items = part.split(":", -1);
        for (int i = 0; i < items.length; i++) {
            String item = items[i];
            if (i == items.length - 1 && IPV4.matcher(item).matches()) {
                byte[] v4 = ipv4(text, item);
                result.add(((v4[0] & 0xff) << 8) | (v4[1] & 0xff));
                result.add(((v4[2] & 0xff) << 8) | (v4[3] & 0xff));
            } else if (item.matches("[0-9A-Fa-f]{1,4}")) {
                result.add(Integer.parseInt(item, 16));
            } else {
                throw new IllegalArgumentException(invalid);
            }
        }
        return result;
    }

    private static InetAddress network(InetAddress address, int prefixLength) {
        byte[] masked = mask(address.getAddress(), prefixLength);
        try {
            return masked.length == 16 ? Inet6Address.getByAddress(null, masked, null) : InetAddress.getByAddress(masked);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4 or 16 byte array is an address", e);
        }
    }

    private static byte[] mask(byte[] bytes, int prefixLength) {
        byte[] result = bytes.clone();
        for (int i = 0; i < result.length; i++) {
            int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
            result[i] &= (byte) (0xff << (8 - keep));
        }
        return result;
    }

    /** RFC 5952 text: lowercase, the longest run (≥ 2) of zero groups as "::", mapped addresses dotted. */
    private static String compressed(byte[] b) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        if (isMapped(b)) {
            return "::ffff:" + (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append(i == 0 ? "::" : ":");
                i += bestLength - 1;
                continue;
            }
            text.append(Integer.toHexString(groups[i]));
            if (i < 7) {
                text.append(':');
            }
        }
        return text.toString();
    }
}
