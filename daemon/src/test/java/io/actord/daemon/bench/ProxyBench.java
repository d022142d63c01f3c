package io.actord.daemon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.HttpConnection;
import io.actord.daemon.testing.ItRuntime;
import io.actord.daemon.testing.TestDaemon;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The container-URL proxy benchmark (not a test; {@code daemon/bench/proxy} runs it, as root): wrk against
 * the payload's {@code serve-http 4321} in an isolated run (8192 MB, so its CPU quota is the whole 2-core
 * machine): through the daemon's proxy (host form, TCP loopback); directly, from a wrk whose socket is
 * opened inside the run's network namespace ({@code nsenter --net}); and, as a peer, through socat relaying
 * bytes inside the namespace (what two more hops cost a user-space relay that parses nothing). Small answers
 * (19 bytes), kept-alive connections. After a warm-up through the proxy (the JIT compiles the relay), prints
 * requests/s and p99 latency of each, the daemon's CPU time per proxied request and the ratios to direct,
 * per round (the three alternate, so background load on a shared machine hits all of them).
 *
 * <p>Usage: {@code ProxyBench [seconds=10] [connections=32] [rounds=3]}
 */
public final class ProxyBench {
    private static final String DOMAIN = "containers.bench";
    private static final int RELAY_PORT = 4400;
    private static final com.sun.management.OperatingSystemMXBean CPU =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern P99 = Pattern.compile("\\n\\s+99%\\s+([0-9.]+)(us|ms|s)\\b");
    private static final Pattern ERRORS = Pattern.compile("Non-2xx or 3xx responses: (\\d+)|Socket errors: .*");

    private ProxyBench() {
    }

    /** One wrk run's figures, and the CPU time this JVM (the daemon) spent per request meanwhile. */
    private record Figures(double requestsPerSecond, double p99Millis, double daemonCpuMicros) {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        String reason = ItRuntime.unavailableReason().orElse(null);
        if (reason != null) {
            System.err.println("proxy benchmark: needs the real runtime: " + reason);
            System.exit(1);
        }
        Path dir = Files.createTempDirectory("actord-proxy-bench");
        ItRuntime.Choice runtime = ItRuntime.real(dir);
        try (TestDaemon daemon = TestDaemon.start(dir, runtime.runtime(), Duration.ofSeconds(3),
                List.of("--containers-domain", DOMAIN))) {
            String actor = runtime.actor(daemon, "web", "serve-http", "4321");
            JsonNode run = daemon.api().post("/v2/acts/" + actor + "/runs?memory=8192", "{}").expect(201).data();
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
                System.out.printf("actord proxy benchmark: wrk, %d connections, %d s per measurement, %d rounds, "
                        + "%d cores; GET / -> 19-byte answer from the payload's serve-http in an isolated run%n",
                        connections, seconds, rounds, Runtime.getRuntime().availableProcessors());
                System.out.println("direct: wrk inside the run's namespace; socat: a byte relay (no HTTP) inside it,"
                        + " one process per connection, the cost of two more hops alone; proxy: actord's");
                wrk(proxied, Math.max(10, seconds), connections);
                System.out.printf("%-6s %-8s %12s %10s %18s %10s%n", "round", "path", "requests/s", "p99 ms",
                        "daemon CPU/req us", "/direct");
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
            }
        } finally {
            runtime.close();
            new ProcessBuilder("rm", "-rf", "--one-file-system", dir.toString()).inheritIO().start().waitFor();
        }
    }

    private static void print(int round, String path, Figures f, Figures direct, boolean daemonCpu) {
        System.out.printf("%-6d %-8s %12.0f %10.2f %18s %10.2f%n", round, path, f.requestsPerSecond(), f.p99Millis(),
                daemonCpu ? String.format("%.1f", f.daemonCpuMicros()) : "-",
                f.requestsPerSecond() / direct.requestsPerSecond());
    }

    /** Runs wrk ({@code command} ends with the URL) and reads its figures; fails on errors in the answers. */
    private static Figures wrk(List<String> command, int seconds, int connections) throws IOException,
            InterruptedException {
        List<String> cmd = new ArrayList<>(command.subList(0, command.size() - 1));
        cmd.addAll(List.of("-t", "1", "-c", Integer.toString(connections), "-d", seconds + "s", "--latency",
                command.get(command.size() - 1)));
        long cpuBefore = CPU.getProcessCpuTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        long cpuNanos = CPU.getProcessCpuTime() - cpuBefore;
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
        return new Figures(rate, millis, cpuNanos / 1000.0 / (rate * seconds));
    }
}
