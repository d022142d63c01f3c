package io.actord.daemon.bench;

import io.actord.daemon.testing.ItRuntime;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestNetworks;
import io.actord.runtime.LinuxContainerRuntime;
import io.actord.runtime.network.CniConflist;
import io.actord.runtime.network.CniPlugins;
import io.actord.runtime.network.EgressNetwork;
import io.actord.runtime.testing.FakeInternet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runs' network benchmark (not a test; {@code daemon/bench/network} runs it, as root), all against a
 * {@link FakeInternet} of its own:
 * <ul>
 *   <li>start latency: a run of {@code /bin/true} (API request to SUCCEEDED) with egress and isolated, in
 *       alternating rounds, and {@code podman run --network <a bench network>} of the same rootfs as the peer;</li>
 *   <li>CNI ADD and DEL of actord's conflist on a bare namespace, and the in-namespace nft ruleset load;</li>
 *   <li>download throughput of a big file from the fake internet through a run's network, against the same
 *       download (busybox wget) from the host's namespace.</li>
 * </ul>
 * Usage: {@code NetworkBench [rounds=20] [download-mb=200]}
 */
public final class NetworkBench {
    private static final Pattern REAL = Pattern.compile("real\\s+(\\d+)m\\s*([0-9.]+)s");

    private NetworkBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int downloadMb = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        String reason = ItRuntime.unavailableReason().orElse(null);
        if (reason != null) {
            System.err.println("network benchmark: needs the real runtime: " + reason);
            System.exit(1);
        }
        Path dir = Files.createTempDirectory("actord-network-bench");
        Path site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("index.html"), "bench\n");
        FakeInternet.writeFile(site, "big", downloadMb * 1024L * 1024L);
        String subtree = ItRuntime.subtree();
        try (FakeInternet internet = FakeInternet.start(site)) {
            List<String> flags = TestNetworks.egressFlags(internet.ranges(), internet.dnsAddress(), List.of());
            LinuxContainerRuntime runtime = TestNetworks.runtime(dir, subtree, flags);
            try (TestDaemon daemon = TestDaemon.start(dir, runtime, Duration.ofSeconds(3), flags)) {
                Path rootfs = ItRuntime.payloadRootfs();
                System.out.printf("actord network benchmark: %d rounds, %d cores; fake internet at %s%n", rounds,
                        Runtime.getRuntime().availableProcessors(), internet.webAddress().getHostAddress());
                startLatency(daemon, rootfs, rounds);
                cniCosts(runtime.network().orElseThrow(), rounds);
                download(daemon, internet, rootfs, downloadMb);
            } finally {
                runtime.close();
                ItRuntime.releaseSubtree(subtree);
            }
        } finally {
            new ProcessBuilder("rm", "-rf", "--one-file-system", dir.toString()).inheritIO().start().waitFor();
        }
    }

    private static void startLatency(TestDaemon daemon, Path rootfs, int rounds) throws Exception {
        String actor = daemon.actor("true", rootfs, List.of("/bin/true"));
        double[] egress = new double[rounds];
        double[] isolated = new double[rounds];
        run(daemon, actor, "egress");
        run(daemon, actor, "isolated");
        for (int i = 0; i < rounds; i++) {
            egress[i] = run(daemon, actor, "egress");
            isolated[i] = run(daemon, actor, "isolated");
        }
        double[] podman = podman(rootfs, rounds);
        System.out.println("start latency, /bin/true from request to its end (ms, median / p90):");
        print("  actord egress  ", egress);
        print("  actord isolated", isolated);
        if (podman.length > 0) {
            print("  podman bridge  ", podman);
            System.out.printf("  ratio egress/isolated %.2f, podman bridge/actord egress %.2f%n",
                    median(egress) / median(isolated), median(podman) / median(egress));
        } else {
            System.out.printf("  ratio egress/isolated %.2f (no podman: apt-get install podman)%n",
                    median(egress) / median(isolated));
        }
    }

    private static double run(TestDaemon daemon, String actor, String network) {
        long t0 = System.nanoTime();
        String status = daemon.api().post("/v2/acts/" + actor + "/runs?waitForFinish=60&network=" + network, "")
                .expect(201).data().get("status").asText();
        double ms = (System.nanoTime() - t0) / 1e6;
        if (!status.equals("SUCCEEDED")) {
            throw new IllegalStateException("a " + network + " run ended " + status);
        }
        return ms;
    }

    /**
     * {@code podman run --rm --network actord-bench --rootfs ROOTFS /bin/true} on a bridge network of the
     * bench's own. Debian's podman 4.3.1 needs, here: runc (crun refuses hybrid cgroups), nofile at the hard
     * limit and nproc below it (it asks for more than it may have), and a cgroup parent below this process's
     * memory cgroup (the machine's rule). What it leaves is removed after: the network and its host-local
     * state, the cgroup directories it made, and the iptables-nft tables its CNI firewall plugin made.
     */
    private static double[] podman(Path rootfs, int rounds) throws Exception {
        if (sh("command -v podman").isBlank()) {
            return new double[0];
        }
        String net = "actord-bench";
        String memcg = sh("grep -E '^[0-9]+:memory:' /proc/self/cgroup | cut -d: -f3").trim();
        String parent = memcg + "/actord-bench-podman";
        List<Path> madeDirs = new ArrayList<>();
        for (Path hierarchy : Files.list(Path.of("/sys/fs/cgroup")).toList()) {
            Path p = hierarchy;
            for (String part : parent.substring(1).split("/")) {
                p = p.resolve(part);
                if (!Files.exists(p)) {
                    madeDirs.add(0, p);
                }
            }
        }
        String tablesBefore = sh("nft list tables");
        sh("podman network rm -f " + net + " >/dev/null 2>&1; podman network create --subnet 10.251.0.0/24 " + net);
        try {
            String files = sh("ulimit -Hn").trim();
            List<String> cmd = List.of("podman", "--runtime", "runc", "--cgroup-manager", "cgroupfs", "run", "--rm",
                    "--cgroup-parent", parent, "--network", net, "--ulimit", "nofile=" + files + ":" + files,
                    "--ulimit", "nproc=4096:4096", "--rootfs", rootfs.toString(), "/bin/true");
            exec(cmd);
            double[] ms = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                exec(cmd);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            return ms;
        } finally {
            sh("podman network rm -f " + net + "; rm -rf /var/lib/cni/networks/" + net);
            // Deepest first; each with the libpod-* cgroups podman made below it.
            for (Path dir : madeDirs.stream().sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                sh("[ -d " + dir + " ] && find " + dir + " -depth -type d -exec rmdir {} + 2>/dev/null");
            }
            for (String table : List.of("ip filter", "ip nat", "ip6 filter", "ip6 nat")) {
                if (!tablesBefore.contains("table " + table + "\n") && sh("nft list tables").contains("table " + table)) {
                    sh("nft delete table " + table);
                }
            }
        }
    }

    private static void cniCosts(EgressNetwork network, int rounds) throws Exception {
        CniConflist conflist = network.conflist();
        CniPlugins plugins = new CniPlugins(Path.of("/usr/lib/cni"));
        double[] add = new double[rounds];
        double[] del = new double[rounds];
        double[] nft = new double[rounds];
        String ruleset = "table inet actord_bench {\n chain output {\n type filter hook output priority filter;"
                + " policy accept;\n oif \"lo\" accept\n ip daddr 10.0.0.0/8 reject\n }\n}\n";
        for (int i = 0; i < rounds; i++) {
            String ns = "actord-bench-cni";
            sh("ip netns add " + ns);
            try {
                long t0 = System.nanoTime();
                plugins.add(conflist, "actord-bench-" + i, "/run/netns/" + ns, EgressNetwork.IFNAME);
                long t1 = System.nanoTime();
                Process p = new ProcessBuilder("ip", "netns", "exec", ns, "nft", "-f", "-").start();
                p.getOutputStream().write(ruleset.getBytes());
                p.getOutputStream().close();
                p.waitFor();
                long t2 = System.nanoTime();
                plugins.del(conflist, "actord-bench-" + i, "/run/netns/" + ns, EgressNetwork.IFNAME);
                long t3 = System.nanoTime();
                add[i] = (t1 - t0) / 1e6;
                nft[i] = (t2 - t1) / 1e6;
                del[i] = (t3 - t2) / 1e6;
            } finally {
                sh("ip netns del " + ns);
            }
        }
        System.out.println("network setup on the start path (ms, median / p90):");
        print("  CNI ADD (bridge + host-local)", add);
        print("  nft ruleset in the namespace ", nft);
        print("  CNI DEL                      ", del);
    }

    private static void download(TestDaemon daemon, FakeInternet internet, Path rootfs, int mb) throws Exception {
        String url = "http://" + internet.webAddress().getHostAddress() + "/big";
        String actor = daemon.actor("download", rootfs, List.of("/bin/sh", "-c",
                "for i in 1 2 3; do time wget -q -O /dev/null " + url + "; done"));
        String id = daemon.api().post("/v2/acts/" + actor + "/runs?waitForFinish=300", "").expect(201).data()
                .get("id").asText();
        String log = daemon.api().get("/v2/logs/" + id).text();
        List<Double> inRun = new ArrayList<>();
        Matcher m = REAL.matcher(log);
        while (m.find()) {
            inRun.add(Integer.parseInt(m.group(1)) * 60 + Double.parseDouble(m.group(2)));
        }
        List<Double> host = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            exec(List.of("/bin/busybox", "wget", "-q", "-O", "/dev/null", url));
            host.add((System.nanoTime() - t0) / 1e9);
        }
        double run = inRun.stream().mapToDouble(Double::doubleValue).sorted().toArray()[inRun.size() / 2];
        double onHost = host.stream().mapToDouble(Double::doubleValue).sorted().toArray()[1];
        System.out.printf("download of %d MB (busybox wget, median of 3): through a run's network %.0f MB/s, from the"
                + " host's namespace %.0f MB/s, ratio %.2f%n", mb, mb / run, mb / onHost, onHost / run);
    }

    private static void print(String label, double[] ms) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        System.out.printf("%s %8.1f / %8.1f%n", label, median(ms), sorted[(int) Math.ceil(sorted.length * 0.9) - 1]);
    }

    private static double median(double[] ms) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static void exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    private static String sh(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }
}
