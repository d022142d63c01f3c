package io.actord.runtime.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Picks the runs' subnet: the first candidate /16 that overlaps no IPv4 route of the host. */
public final class Subnets {
    static final Path ROUTES = Path.of("/proc/net/route");

    private Subnets() {
    }

    /** 10.88.0.0/16 … 10.99.0.0/16, then 172.29.0.0/16 … 172.31.0.0/16 (podman's default comes first). */
    public static List<String> candidates() {
        List<String> out = new ArrayList<>();
        for (int b = 88; b <= 99; b++) {
            out.add("10." + b + ".0.0/16");
        }
        for (int b = 29; b <= 31; b++) {
            out.add("172." + b + ".0.0/16");
        }
        return out;
    }

    public static String choose() {
        List<long[]> routes = routes();
        for (String c : candidates()) {
            long[] net = parse(c);
            if (routes.stream().noneMatch(r -> overlaps(net, r))) {
                return c;
            }
        }
        throw new NetworkException("every candidate subnet for the runs overlaps a route of the host ("
                + candidates() + "); choose one with --network-subnet");
    }

    /** {address, mask} of "a.b.c.d/n". */
    static long[] parse(String cidr) {
        String[] parts = cidr.split("/");
        String[] octets = parts[0].split("\\.");
        long a = 0;
        for (String o : octets) {
            a = (a << 8) | Integer.parseInt(o);
        }
        int prefix = Integer.parseInt(parts[1]);
        long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
        return new long[] {a & mask, mask};
    }

    static boolean overlaps(long[] x, long[] y) {
        long common = x[1] & y[1];
        return (x[0] & common) == (y[0] & common);
    }

    /** Destination and mask of every route except default ones, from /proc/net/route (little-endian hex). */
    static List<long[]> routes() {
        List<long[]> out = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(ROUTES);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 8) {
                    continue;
                }
                long dst = Long.reverseBytes(Long.parseLong(f[1], 16) << 32) & 0xffffffffL;
                long mask = Long.reverseBytes(Long.parseLong(f[7], 16) << 32) & 0xffffffffL;
                if (mask != 0) {
                    out.add(new long[] {dst & mask, mask});
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("read " + ROUTES, e);
        }
        return out;
    }
}
