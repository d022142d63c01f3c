package io.actord.runtime.testing;

import io.actord.cgroups.testing.Host;
import io.actord.runtime.network.Cidr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake internet for tests: a network namespace of the test's own with servers on TEST-NET addresses.
 *
 * <pre>
 *   host                                         netns actord-fake-PID-N
 *   actordhPIDN 198.51.100.(128+4k+1)/30 ──veth── actordfPIDN 198.51.100.(128+4k+2)/30, default via the host end
 *   routes: 203.0.113.16k/28      via the fake end  lo: 203.0.113.(16k+10) web   busybox httpd :80 (siteDir)
 *           10.254.254.(16k+10)/32 via the fake end      203.0.113.(16k+11) dns   dnsmasq :53, *site.test → web
 *                                                        10.254.254.(16k+10) private (httpd answers there too)
 * </pre>
 * Slot {@code k} (0..15) keeps instances of concurrent test JVMs apart: the host route of the /28 is the lock
 * ({@code ip route add} fails when another instance has it), so the host routes each slot's addresses to one
 * namespace only and nothing else of TEST-NET or 10/8 changes on the host. Servers are Debian's
 * busybox-static httpd and dnsmasq-base's dnsmasq, in the foreground, started with {@code ip netns exec}
 * and killed by pid. Names contain "actord" (leak checks look for it); a namespace left by a test JVM that
 * died is removed, with its processes, by the next {@link #start}.
 */
public final class FakeInternet implements AutoCloseable {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Pattern OURS = Pattern.compile("actord-fake-(\\d+)-\\d+");
    private static final int SLOTS = 16;

    private final String netns;
    private final String hostVeth;
    private int slot = -1;
    private final Path logDir;
    private final List<Process> servers = new ArrayList<>();

    private FakeInternet(String netns, String hostVeth, Path logDir) {
        this.netns = netns;
        this.hostVeth = hostVeth;
        this.logDir = logDir;
    }

    /**
     * Needs root (skips the calling test class visibly without), busybox-static and dnsmasq-base; names
     * contain "actord".
     */
    public static FakeInternet start(Path siteDir) {
        Host.requireRoot(StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass());
        for (String tool : List.of("/bin/busybox", "/usr/sbin/dnsmasq", "/usr/sbin/ip")) {
            if (!Files.isExecutable(Path.of(tool))) {
                throw new IllegalStateException("the fake internet needs " + tool
                        + " (Debian packages busybox-static, dnsmasq-base, iproute2)");
            }
        }
        removeLeftovers();
        long pid = ProcessHandle.current().pid();
        int n = SEQUENCE.incrementAndGet();
        String suffix = Long.toHexString(pid) + Integer.toHexString(n % 16);
        FakeInternet fake;
        try {
            fake = new FakeInternet("actord-fake-" + pid + "-" + n, "actordh" + suffix,
                    Files.createTempDirectory("actord-fake-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            fake.build("actordf" + suffix, siteDir);
            return fake;
        } catch (RuntimeException e) {
            fake.close();
            throw e;
        }
    }

    private void build(String fakeVeth, Path siteDir) {
        HostCommands.run("ip", "netns", "add", netns);
        HostCommands.run("ip", "link", "add", hostVeth, "type", "veth", "peer", "name", fakeVeth, "netns", netns);
        HostCommands.run("ip", "link", "set", hostVeth, "up");
        slot = claimSlot();
        configure(fakeVeth);
        startServers(siteDir);
    }

    /** The first free /28 of 203.0.113.0/24: its host route is the lock. */
    private int claimSlot() {
        for (int k = 0; k < SLOTS; k++) {
            HostCommands.Result added = HostCommands.attempt("ip", "route", "add", "203.0.113." + 16 * k + "/28",
                    "dev", hostVeth);
            if (added.ok()) {
                return k;
            }
            if (!added.output().contains("File exists")) {
                throw new IllegalStateException("ip route add 203.0.113." + 16 * k + "/28: " + added.output().strip());
            }
        }
        throw new IllegalStateException("all " + SLOTS + " fake internet slots of 203.0.113.0/24 are taken (ip route)");
    }

    private void configure(String fakeVeth) {
        String hostEnd = linkAddress(1);
        String fakeEnd = linkAddress(2);
        HostCommands.run("ip", "addr", "add", hostEnd + "/30", "dev", hostVeth);
        inside("addr", "add", fakeEnd + "/30", "dev", fakeVeth);
        inside("link", "set", "lo", "up");
        inside("link", "set", fakeVeth, "up");
        for (InetAddress a : List.of(webAddress(), dnsAddress().getAddress(), privateAddress())) {
            inside("addr", "add", a.getHostAddress() + "/32", "dev", "lo");
        }
        inside("route", "add", "default", "via", hostEnd);
        HostCommands.run("ip", "route", "replace", webRange().toString(), "via", fakeEnd, "dev", hostVeth);
        HostCommands.run("ip", "route", "add", privateAddress().getHostAddress() + "/32", "via", fakeEnd, "dev", hostVeth);
    }

    private void startServers(Path siteDir) {
        servers.add(server("httpd", "/bin/busybox", "httpd", "-f", "-p", "80", "-h", siteDir.toAbsolutePath().toString()));
        servers.add(server("dnsmasq", "/usr/sbin/dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null",
                "--no-resolv", "--no-hosts", "--no-poll", "--bind-interfaces",
                "--listen-address=" + dnsAddress().getAddress().getHostAddress(),
                // site.test and below: A → web, other types NODATA; any other name NXDOMAIN (never forwarded).
                "--address=/site.test/" + webAddress().getHostAddress(), "--local=/site.test/", "--local=/#/",
                "--pid-file=", "--user=root",
                "--log-facility=-", "--log-queries"));
        awaitTcp(new InetSocketAddress(webAddress(), 80), "httpd");
        awaitTcp(dnsAddress(), "dnsmasq");
    }

    private Process server(String name, String... command) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        argv.addAll(List.of(command));
        try {
            return new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(logDir.resolve(name + ".log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("start " + String.join(" ", argv), e);
        }
    }

    /** Waits up to 10 s for a TCP listener (dnsmasq serves TCP too), reporting the server's log if it died. */
    private void awaitTcp(InetSocketAddress address, String name) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(address, 500);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline || servers.stream().anyMatch(p -> !p.isAlive())) {
                    throw new IllegalStateException(name + " in " + netns + " is not reachable at " + address + ": " + e
                            + "; logs in " + logDir + ": " + log(name));
                }
                sleep(50);
            }
        }
    }

    private String log(String name) {
        try {
            return Files.readString(logDir.resolve(name + ".log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** What a test daemon's --egress-allow gets: this instance's /28 of 203.0.113.0/24 (web and DNS). */
    public List<Cidr> ranges() {
        return List.of(webRange());
    }

    /** HTTP on port 80 serving siteDir. */
    public InetAddress webAddress() {
        return address("203.0.113." + (16 * slot + 10));
    }

    /** Answers site.test and *.site.test with {@link #webAddress()}, UDP and TCP. */
    public InetSocketAddress dnsAddress() {
        return new InetSocketAddress(address("203.0.113." + (16 * slot + 11)), 53);
    }

    /** An address in 10/8 routed to the namespace, HTTP too (to prove it is denied). */
    public InetAddress privateAddress() {
        return address("10.254.254." + (16 * slot + 10));
    }

    public Path netns() {
        return Path.of("/run/netns", netns);
    }

    /** The namespace's name (for {@code ip netns exec}). */
    public String netnsName() {
        return netns;
    }

    /** The host end of the veth into the namespace. */
    public String hostInterface() {
        return hostVeth;
    }

    /**
     * Writes a site to crawl into {@code dir}: index.html and page-1.html .. page-N.html, each titled
     * {@link #title}; index links page-1; page-i links page-(i+1) (a chain, so every page is reachable) and
     * page-(2i), page-(2i+1) (a tree, so links repeat and a crawler must deduplicate), every page links back
     * to "/" and to a page on another host (http://elsewhere.test/, which a same-host crawl must not follow).
     *
     * @return the paths of all pages, "/" first, as a crawler of http://site.test/ sees them
     */
    public static List<String> writeSite(Path dir, int pages) {
        List<String> paths = new ArrayList<>();
        paths.add("/");
        write(dir.resolve("index.html"), page(title(0), List.of("page-1.html")));
        for (int i = 1; i <= pages; i++) {
            List<String> links = new ArrayList<>();
            for (int next : new int[] {i + 1, 2 * i, 2 * i + 1}) {
                if (next <= pages) {
                    links.add("page-" + next + ".html");
                }
            }
            write(dir.resolve("page-" + i + ".html"), page(title(i), links));
            paths.add("/page-" + i + ".html");
        }
        return paths;
    }

    /** The title of page {@code i} of {@link #writeSite} (0 is index.html). */
    public static String title(int i) {
        return i == 0 ? "actord fake site index" : "actord fake site page " + i;
    }

    /**
     * Writes {@code bytes} incompressible bytes (a seeded pseudo-random stream, the same every time) to
     * {@code dir/name}, e.g. a 10 MB download for the network counters.
     */
    public static Path writeFile(Path dir, String name, long bytes) {
        Path file = dir.resolve(name);
        java.util.Random random = new java.util.Random(bytes);
        byte[] chunk = new byte[64 * 1024];
        try (var out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("write " + file, e);
        }
        return file;
    }

    private static String page(String title, List<String> links) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html><head><title>").append(title)
                .append("</title></head>\n<body><h1>").append(title).append("</h1>\n<ul>\n");
        for (String link : links) {
            html.append("<li><a href=\"").append(link).append("\">").append(link).append("</a></li>\n");
        }
        html.append("<li><a href=\"/\">home</a></li>\n")
                .append("<li><a href=\"http://elsewhere.test/\">elsewhere</a></li>\n</ul></body></html>\n");
        return html.toString();
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("write " + file, e);
        }
    }

    /** Removes processes, routes, veths and the namespace; safe on a half-built instance and twice. */
    @Override
    public void close() {
        for (Process p : servers) {
            p.destroy();
        }
        for (Process p : servers) {
            awaitExit(p);
        }
        servers.clear();
        killRemaining(netns);
        // Deleting the host end deletes the pair and every route through it.
        HostCommands.attempt("ip", "link", "del", hostVeth);
        HostCommands.attempt("ip", "netns", "del", netns);
        try (var logs = Files.list(logDir)) {
            for (Path log : logs.toList()) {
                Files.delete(log);
            }
            Files.delete(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("remove " + logDir, e);
        }
    }

    /** Test JVMs that died left their namespaces (and the servers in them): remove those, never a live JVM's. */
    private static void removeLeftovers() {
        for (String line : HostCommands.run("ip", "netns", "list").split("\n")) {
            Matcher m = OURS.matcher(line.strip().split("\\s+")[0]);
            if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                killRemaining(m.group());
                HostCommands.attempt("ip", "netns", "del", m.group());
            }
        }
    }

    /** Kills, by pid, any process still in the namespace. */
    private static void killRemaining(String name) {
        HostCommands.Result pids = HostCommands.attempt("ip", "netns", "pids", name);
        if (!pids.ok()) {
            return;
        }
        for (String pid : pids.output().strip().split("\\s+")) {
            if (!pid.isEmpty()) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(p -> {
                    p.destroyForcibly();
                    p.onExit().join();
                });
            }
        }
    }

    private static void awaitExit(Process p) {
        try {
            if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String linkAddress(int host) {
        return "198.51.100." + (128 + 4 * slot + host);
    }

    private Cidr webRange() {
        return Cidr.parse("203.0.113." + 16 * slot + "/28");
    }

    /** {@code ip -n NETNS ARGS...}. */
    private void inside(String... ipArguments) {
        List<String> argv = new ArrayList<>(List.of("ip", "-n", netns));
        argv.addAll(List.of(ipArguments));
        HostCommands.run(argv.toArray(String[]::new));
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(literal, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
