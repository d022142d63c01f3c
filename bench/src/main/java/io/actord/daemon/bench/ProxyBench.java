package io.actord.daemon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.HttpConnection;
import io.actord.daemon.testing.ItRuntime;
import io.actord.daemon.testing.NodeScripts;
import io.actord.daemon.testing.TestDaemon;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The container-URL proxy benchmark (not a test; {@code daemon/bench/proxy} runs it, as root): wrk against
 * a server on port 4321 in an isolated run (8192 MB, so its CPU quota is the whole 2-core machine): through
 * the daemon's proxy (host form, TCP loopback); directly, from a wrk whose socket is opened inside the run's
 * network namespace ({@code nsenter --net}); and, as a peer, through socat relaying bytes inside the
 * namespace (what two more hops cost a user-space relay that parses nothing). Two servers: the payload's
 * {@code serve-http} (C, so cheap that wrk, server and relay all fight for the same two cores: the relay's
 * socket calls alone cost about what the server's do) and a node:http server, the kind actors run. Small
 * answers (19 bytes), kept-alive connections. After a warm-up through the proxy (the JIT compiles the relay),
 * prints requests/s and p99 latency of each, the CPU time the daemon's event loops spend per proxied request
 * with the kernel's share of it, and the ratios to direct, per round (the three alternate, so background
 * load on a shared machine hits all of them).
 *
 * <p>Usage: {@code ProxyBench [seconds=10] [connections=32] [rounds=3] [io-threads=the daemon's default]}
 */
public final class ProxyBench {
    private static final String DOMAIN = "containers.bench";
    private static final int RELAY_PORT = 4400;
    /** Clock ticks per second of /proc/.../stat's utime and stime (USER_HZ, 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100;
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern P99 = Pattern.compile("\\n\\s+99%\\s+([0-9.]+)(us|ms|s)\\b");
    private static final Pattern ERRORS = Pattern.compile("Non-2xx or 3xx responses: (\\d+)|Socket errors: .*");

    private ProxyBench() {
    }

    /** One wrk run's figures, and the CPU time the daemon's event loops spent per request meanwhile. */
    private record Figures(double requestsPerSecond, double p99Millis, double relayCpuMicros, double kernelShare) {
    }

    /** User and system CPU ticks of the daemon's API event-loop threads (the relay) so far. */
    private record LoopTicks(long user, long system) {
        static LoopTicks now() throws IOException {
            long user = 0;
            long system = 0;
            try (var tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path task : tasks.toList()) {
                    try {
                        if (!Files.readString(task.resolve("comm")).startsWith("api-io")) {
                            continue;
                        }
                        String stat = Files.readString(task.resolve("stat"));
                        // Fields after the parenthesised name: state is field 3, utime 14, stime 15.
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        user += Long.parseLong(f[11]);
                        system += Long.parseLong(f[12]);
                    } catch (NoSuchFileException gone) {
                        // A thread that ended meanwhile.
                    }
                }
            }
            return new LoopTicks(user, system);
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<String> flags = new ArrayList<>(List.of("--containers-domain", DOMAIN));
        if (args.length > 3) {
            flags.addAll(List.of("--io-threads", args[3]));
        }
        String reason = ItRuntime.unavailableReason().orElse(null);
        if (reason != null) {
            System.err.println("proxy benchmark: needs the real runtime: " + reason);
            System.exit(1);
        }
        Path dir = Files.createTempDirectory("actord-proxy-bench");
        ItRuntime.Choice runtime = ItRuntime.real(dir);
        try (TestDaemon daemon = TestDaemon.start(dir, runtime.runtime(), Duration.ofSeconds(3), flags)) {
            System.out.printf("actord proxy benchmark: wrk, %d connections, %d s per measurement, %d rounds, "
                    + "%d cores, %d daemon event loops; GET / -> 19-byte answer from a server in an isolated run "
                    + "(8192 MB: all cores)%n", connections, seconds, rounds,
                    Runtime.getRuntime().availableProcessors(), daemon.daemon().config().ioThreads());
            System.out.println("direct: wrk inside the run's namespace; socat: a byte relay (no HTTP) inside it,"
                    + " one process per connection, the cost of two more hops alone; proxy: actord's");
            System.out.println("relay CPU: the daemon's event loops per proxied request, and the kernel's share of"
                    + " it (its socket reads and writes)");
            Server busybox = new Server("payload serve-http (C, a few us per request)",
                    runtime.actor(daemon, "web", "serve-http", "4321"));
            NodeScripts.install();
            Server node = new Server("node:http server (what actors run)",
                    daemon.actor("node-web", NodeScripts.rootfs(), List.of("/usr/bin/node", "/app/web-server.mjs")));
            for (Server server : List.of(busybox, node)) {
                measure(daemon, server, seconds, connections, rounds);
            }
        } finally {
            runtime.close();
            new ProcessBuilder("rm", "-rf", "--one-file-system", dir.toString()).inheritIO().start().waitFor();
        }
    }

    /** An actor whose run serves HTTP on port 4321. */
    private record Server(String label, String actor) {
    }

    private static void measure(TestDaemon daemon, Server server, int seconds, int connections, int rounds)
            throws Exception {
        JsonNode run = daemon.api().post("/v2/acts/" + server.actor() + "/runs?memory=8192", "{}").expect(201).data();
        InetSocketAddress listener = daemon.daemon().tcpAddress().orElseThrow();
        String url = run.get("containerUrl").asText();
        String host = url.substring("http://".length(), url.length() - 1);
        try (HttpConnection c = HttpConnection.tcp(listener)) {
            HttpConnection.Response first = c.get(host, "/");
            if (first.status() != 200) {
                throw new IllegalStateException("the run's server did not answer: " + first.status() + " "
                        + first.text());
            }
        }
        long pid = daemon.daemon().runs().get(run.get("id").asText()).container().pid();
        List<String> proxied = List.of("wrk", "-H", "Host: " + host, "http://127.0.0.1:" + listener.getPort() + "/");
        String netns = "--net=/proc/" + pid + "/ns/net";
        List<String> direct = List.of("nsenter", netns, "wrk", "http://127.0.0.1:4321/");
        List<String> relayed = List.of("nsenter", netns, "wrk", "http://127.0.0.1:" + RELAY_PORT + "/");
        Process relay = new ProcessBuilder("nsenter", netns, "socat", "TCP-LISTEN:" + RELAY_PORT
                + ",bind=127.0.0.1,fork,reuseaddr", "TCP:127.0.0.1:4321").inheritIO().start();
        try {
            System.out.println();
            System.out.println("server: " + server.label());
            wrk(proxied, Math.max(10, seconds), connections);
            System.out.printf("%-6s %-8s %12s %10s %16s %8s %10s%n", "round", "path", "requests/s", "p99 ms",
                    "relay CPU/req us", "kernel", "/direct");
            double[] sums = new double[3];
            for (int r = 1; r <= rounds; r++) {
                Figures d = wrk(direct, seconds, connections);
                Figures s = wrk(relayed, seconds, connections);
                Figures p = wrk(proxied, seconds, connections);
                sums[0] += d.requestsPerSecond();
                sums[1] += s.requestsPerSecond();
                sums[2] += p.requestsPerSecond();
                print(r, "direct", d, d, false);
                print(r, "socat", s, d, false);
                print(r, "proxy", p, d, true);
            }
            System.out.printf("all rounds: throughput proxy/direct %.2f (goal >= 0.70), socat/direct %.2f,"
                    + " proxy/socat %.2f%n", sums[2] / sums[0], sums[1] / sums[0], sums[2] / sums[1]);
        } finally {
            relay.descendants().forEach(ProcessHandle::destroy);
            relay.destroy();
            relay.waitFor();
            daemon.api().post("/v2/actor-runs/" + run.get("id").asText() + "/abort", "").expect(200);
        }
    }

    private static void print(int round, String path, Figures f, Figures direct, boolean daemonCpu) {
        System.out.printf("%-6d %-8s %12.0f %10.2f %16s %8s %10.2f%n", round, path, f.requestsPerSecond(), f.p99Millis(),
                daemonCpu ? String.format("%.1f", f.relayCpuMicros()) : "-",
                daemonCpu ? String.format("%.0f%%", 100 * f.kernelShare()) : "-",
                f.requestsPerSecond() / direct.requestsPerSecond());
    }

    /** Runs wrk ({@code command} ends with the URL) and reads its figures; fails on errors in the answers. */
    private static Figures wrk(List<String> command, int seconds, int connections) throws IOException,
            InterruptedException {
        List<String> cmd = new ArrayList<>(command.subList(0, command.size() - 1));
        cmd.addAll(List.of("-t", "1", "-c", Integer.toString(connections), "-d", seconds + "s", "--latency",
                command.get(command.size() - 1)));
        LoopTicks before = LoopTicks.now();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        LoopTicks after = LoopTicks.now();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
        }
        Matcher errors = ERRORS.matcher(out);
        if (errors.find()) {
            throw new IllegalStateException("wrk saw errors: " + errors.group() + "\n" + out);
        }
        Matcher rps = RPS.matcher(out);
        Matcher p99 = P99.matcher(out);
        if (!rps.find() || !p99.find()) {
            throw new IllegalStateException("unexpected wrk output:\n" + out);
        }
        double latency = Double.parseDouble(p99.group(1));
        double millis = switch (p99.group(2)) {
            case "us" -> latency / 1000;
            case "s" -> latency * 1000;
            default -> latency;
        };
        double rate = Double.parseDouble(rps.group(1));
        long user = after.user() - before.user();
        long system = after.system() - before.system();
        double micros = (user + system) / TICKS_PER_SECOND * 1e6 / (rate * seconds);
        return new Figures(rate, millis, micros, user + system == 0 ? 0 : (double) system / (user + system));
    }
}
