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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The container-URL proxy benchmark (not a test; {@code daemon/bench/proxy} runs it, as root): wrk against a
 * server on port 4321 in an isolated run (8192 MB, so its CPU quota is the whole machine), through actord's
 * proxy and, as the peer, through nginx ({@link NginxRelay}), with a direct line for reference. Both relays
 * do the same hops: wrk to the relay over a loopback TCP connection, the relay to the server over the run's
 * loopback. actord's listener is in the host's namespace (as users reach it) and makes its backend socket in
 * the run's namespace; nginx cannot, so it runs inside the run's namespace ({@code nsenter --net}) and wrk
 * reaches it there ({@code nsenter --net wrk}), as the direct wrk reaches the server. Two servers: the
 * payload's C {@code serve-http} (a few us per request, so wrk, server and relay fight for the same cores) and
 * a node:http server, the kind actors run; two loads on kept-alive connections: small answers (19 bytes) and
 * a 50 MB body ({@code /bytes/52428800}: Content-Length from the C server, chunked from node) on a quarter of
 * the connections. After a warm-up through each relay (the JIT compiles actord's), rounds alternate actord,
 * nginx, direct (background load on a shared machine hits all three); per round and over all rounds it prints
 * requests/s, p99 latency, each relay's CPU per request (the daemon's event loops; nginx's workers) with the
 * kernel's share, and the ratios actord/nginx.
 *
 * <p>Usage: {@code ProxyBench [seconds=10] [connections=32] [rounds=3] [io-threads=the daemon's default]}
 */
public final class ProxyBench {
    private static final String DOMAIN = "containers.bench";
    private static final int NGINX_PORT = 4400;
    private static final long BODY_BYTES = 50L * 1024 * 1024;
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern P99 = Pattern.compile("\\n\\s+99%\\s+([0-9.]+)(us|ms|s)\\b");
    private static final Pattern ERRORS = Pattern.compile("Non-2xx or 3xx responses: (\\d+)|Socket errors: .*");

    private ProxyBench() {
    }

    /** One wrk run's figures, and the relay's CPU per request meanwhile (0 for direct). */
    private record Figures(double requestsPerSecond, double p99Millis, double relayCpuMicros, double kernelShare) {
    }

    /** An actor whose run serves HTTP on port 4321. */
    private record Server(String label, String actor) {
    }

    /** What wrk asks for: a path and how many connections. */
    private record Load(String label, String path, int connections, boolean large) {
    }

    /** A way to the server: wrk's command up to its URL, the URL, and the CPU ticks of the relay. */
    private record Way(String name, List<String> wrk, String url, Supplier<CpuTicks> ticks) {
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
            int loops = daemon.daemon().config().ioThreads();
            System.out.printf("actord proxy benchmark: wrk, %d s per measurement, %d rounds, %d cores, %d daemon "
                    + "event loops, nginx with %d workers; servers in an isolated run (8192 MB: all cores)%n",
                    seconds, rounds, Runtime.getRuntime().availableProcessors(), loops, loops);
            System.out.println("actord: wrk -> the daemon's TCP listener (host loopback) -> the run's loopback;"
                    + " nginx: wrk -> nginx on the run's loopback -> the same; direct: wrk inside the run's namespace");
            System.out.println("relay CPU: the daemon's event loops, or nginx's workers, per request, and the kernel's"
                    + " share of it (socket reads and writes); nginx's config (its paths are a temp dir's):");
            System.out.println(NginxRelay.config(Path.of("$TMP"), NGINX_PORT, 4321, loops).indent(4));
            List<Load> loads = List.of(new Load("small answers, GET /", "/", connections, false),
                    new Load("50 MB body, GET /bytes/" + BODY_BYTES, "/bytes/" + BODY_BYTES,
                            Math.max(1, connections / 4), true));
            Server c = new Server("payload serve-http (C, a few us per request)",
                    runtime.actor(daemon, "web", "serve-http", "4321"));
            NodeScripts.install();
            Server node = new Server("node:http server (what actors run)",
                    daemon.actor("node-web", NodeScripts.rootfs(), List.of("/usr/bin/node", "/app/web-server.mjs")));
            for (Server server : List.of(c, node)) {
                measure(daemon, server, loads, seconds, rounds, loops);
            }
        } finally {
            runtime.close();
            new ProcessBuilder("rm", "-rf", "--one-file-system", dir.toString()).inheritIO().start().waitFor();
        }
    }

    private static void measure(TestDaemon daemon, Server server, List<Load> loads, int seconds, int rounds,
                                int loops) throws Exception {
        JsonNode run = daemon.api().post("/v2/acts/" + server.actor() + "/runs?memory=8192", "{}").expect(201).data();
        InetSocketAddress listener = daemon.daemon().tcpAddress().orElseThrow();
        String url = run.get("containerUrl").asText();
        String host = url.substring("http://".length(), url.length() - 1);
        try (HttpConnection conn = HttpConnection.tcp(listener)) {
            HttpConnection.Response first = conn.get(host, "/");
            if (first.status() != 200) {
                throw new IllegalStateException("the run's server did not answer: " + first.status() + " "
                        + first.text());
            }
        }
        long pid = daemon.daemon().runs().get(run.get("id").asText()).container().pid();
        String netns = "--net=/proc/" + pid + "/ns/net";
        try (NginxRelay nginx = NginxRelay.start(pid, NGINX_PORT, 4321, loops)) {
            List<Way> paths = List.of(
                    new Way("actord", List.of("wrk", "-H", "Host: " + host),
                            "http://127.0.0.1:" + listener.getPort(), () -> ticks(() -> CpuTicks.ofThreads("api-io"))),
                    new Way("nginx", List.of("nsenter", netns, "wrk"), "http://127.0.0.1:" + NGINX_PORT,
                            () -> ticks(nginx::workerTicks)),
                    new Way("direct", List.of("nsenter", netns, "wrk"), "http://127.0.0.1:4321", null));
            System.out.println();
            System.out.println("server: " + server.label());
            for (Load load : loads) {
                System.out.printf("%n  %s, %d connections%n", load.label(), load.connections());
                for (Way p : paths.subList(0, 2)) {
                    wrk(p, load, Math.max(5, seconds / 2));
                }
                System.out.printf("  %-6s %-7s %11s %9s %s %16s %7s%n", "round", "path", "requests/s", "p99 ms",
                        load.large() ? "     MB/s" : "", "relay CPU/req us", "kernel");
                double[][] sums = new double[paths.size()][3];
                for (int r = 1; r <= rounds; r++) {
                    for (int i = 0; i < paths.size(); i++) {
                        Figures f = wrk(paths.get(i), load, seconds);
                        sums[i][0] += f.requestsPerSecond() / rounds;
                        sums[i][1] += f.p99Millis() / rounds;
                        sums[i][2] += f.relayCpuMicros() / rounds;
                        print(Integer.toString(r), paths.get(i), f, load);
                    }
                }
                for (int i = 0; i < paths.size(); i++) {
                    print("mean", paths.get(i), new Figures(sums[i][0], sums[i][1], sums[i][2], -1), load);
                }
                System.out.printf("  actord/nginx: requests/s %.2f (goal >= 1.00), p99 %.2f (goal <= 1.00),"
                        + " relay CPU/req %.2f; actord/direct requests/s %.2f, nginx/direct %.2f%n",
                        sums[0][0] / sums[1][0], sums[0][1] / sums[1][1], sums[0][2] / sums[1][2],
                        sums[0][0] / sums[2][0], sums[1][0] / sums[2][0]);
            }
        } finally {
            daemon.api().post("/v2/actor-runs/" + run.get("id").asText() + "/abort", "").expect(200);
        }
    }

    private static void print(String round, Way path, Figures f, Load load) {
        boolean relay = path.ticks() != null;
        System.out.printf("  %-6s %-7s %11.0f %9.2f %s %16s %7s%n", round, path.name(), f.requestsPerSecond(),
                f.p99Millis(), load.large() ? String.format("%9.0f", f.requestsPerSecond() * BODY_BYTES / 1e6) : "",
                relay ? String.format("%.1f", f.relayCpuMicros()) : "-",
                relay && f.kernelShare() >= 0 ? String.format("%.0f%%", 100 * f.kernelShare()) : "-");
    }

    private interface TicksReader {
        CpuTicks read() throws IOException;
    }

    private static CpuTicks ticks(TicksReader reader) {
        try {
            return reader.read();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs wrk on {@code path} and reads its figures; fails on errors in the answers. */
    private static Figures wrk(Way path, Load load, int seconds) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(path.wrk());
        cmd.addAll(List.of("-t", "1", "-c", Integer.toString(load.connections()), "-d", seconds + "s",
                "--timeout", "60s", "--latency", path.url() + load.path()));
        CpuTicks before = path.ticks() == null ? null : path.ticks().get();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        CpuTicks used = path.ticks() == null ? new CpuTicks(0, 0) : path.ticks().get().minus(before);
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
        return new Figures(rate, millis, used.microsPer(rate * seconds), used.kernelShare());
    }
}
