package io.actord.runtime;

import io.actord.cgroups.CgroupConfig;
import io.actord.cgroups.Cgroups;
import io.actord.cgroups.Resources;
import io.actord.cgroups.testing.TestLimits;
import io.actord.runtime.security.Capability;
import io.actord.runtime.testing.SpecBuilder;
import io.actord.runtime.testing.TestRuntime;
import io.actord.runtime.userns.UserNamespaceMode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The start-latency benchmark (not a test; run it with {@code runtime/bench/start-latency}): N sequential
 * create → /bin/true → exit → close of the payload rootfs, round-robin in one run of this program so the
 * ratios compare like with like:
 * <ul>
 *   <li>at {@value #SMALL_MB} MB and {@value #LARGE_MB} MB of memory (1/32 and 2 cores): actord without the
 *       disk quota, and {@code runc run} / {@code crun run} of an OCI bundle of the same rootfs with the
 *       same limits; runc and crun do their set-up inside the limited cgroup, actord its mounts outside it,
 *       so the large row shows whether the CPU limit favours actord;</li>
 *   <li>actord with the ext4 (or btrfs) disk quota at {@link #QUOTA_DISKS} disks and {@value #SMALL_MB} MB:
 *       how the quota's cost grows with the run's size;</li>
 *   <li>actord at {@value #SMALL_MB} MB, without and with the smallest quota, in a user namespace of its own
 *       ({@link UserNamespaceMode#AUTO}) against the same without one: what the user namespace costs.</li>
 * </ul>
 */
public final class StartLatencyBench {
    static final int WARM_UP = 10;
    static final long SMALL_MB = 128;
    static final long LARGE_MB = 8192;
    /** Disk sizes of the quota rows: from a 128 MB run's to beyond the largest run's (2 × 32768 MB). */
    static final List<Long> QUOTA_DISKS = List.of(256L << 20, 2L << 30, 16L << 30, 64L << 30);

    /** One actord run: the total and where it went. */
    private record Sample(double total, StartTimings start, double exit, double close,
                          Map<String, Duration> closeSteps) {
    }

    private StartLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        List<String> argv = List.of(args);
        int runs = argv.stream().filter(a -> a.matches("\\d+")).findFirst().map(Integer::parseInt).orElse(100);
        if (argv.contains("--userns")) {
            usernsComparison(runs);
            return;
        }
        Path base = Files.createTempDirectory("actord-bench-");
        Path rootfs = TestRuntime.payloadRootfs();
        CgroupConfig cgroups = new CgroupConfig("actord-bench-" + ProcessHandle.current().pid());
        Map<Long, OciBundle> bundles = new LinkedHashMap<>();
        for (long mb : List.of(SMALL_MB, LARGE_MB)) {
            bundles.put(mb, OciBundle.write(base.resolve("bundle-" + mb), rootfs, mb));
        }
        OciBundle small = bundles.get(SMALL_MB);
        boolean runc = small.works("runc");
        boolean crun = small.works("crun");
        Map<Long, List<Sample>> plain = new LinkedHashMap<>();
        Map<Long, List<Sample>> quota = new LinkedHashMap<>();
        Map<DiskLimit, List<Sample>> userns = new LinkedHashMap<>();
        Map<String, List<Double>> peers = new LinkedHashMap<>();
        String driver;
        try (LinuxContainerRuntime runtime = LinuxContainerRuntime.open(
                RuntimeConfig.defaults().withCgroups(cgroups).withLibDir(base.resolve("lib")))) {
            driver = runtime.description();
            // Round-robin, so that the load of this shared machine weighs on every variant alike.
            for (int i = 0; i < WARM_UP + runs; i++) {
                boolean measured = i >= WARM_UP;
                for (long mb : bundles.keySet()) {
                    Sample p = actord(runtime, rootfs, base, "p" + mb + "-" + i, mb, DiskLimit.unlimited(),
                            UserNamespaceMode.HOST);
                    double r = runc ? bundles.get(mb).run("runc", i) : 0;
                    double c = crun ? bundles.get(mb).run("crun", i) : 0;
                    if (measured) {
                        plain.computeIfAbsent(mb, k -> new ArrayList<>()).add(p);
                        peers.computeIfAbsent("runc " + mb, k -> new ArrayList<>()).add(r);
                        peers.computeIfAbsent("crun " + mb, k -> new ArrayList<>()).add(c);
                    }
                }
                for (long disk : QUOTA_DISKS) {
                    Sample q = actord(runtime, rootfs, base, "q" + (disk >> 20) + "-" + i, SMALL_MB,
                            DiskLimit.ofBytes(disk), UserNamespaceMode.HOST);
                    if (measured) {
                        quota.computeIfAbsent(disk, k -> new ArrayList<>()).add(q);
                    }
                }
                for (DiskLimit disk : List.of(DiskLimit.unlimited(), DiskLimit.ofBytes(QUOTA_DISKS.get(0)))) {
                    Sample u = actord(runtime, rootfs, base, "u" + userns.size() + "-" + i, SMALL_MB, disk,
                            UserNamespaceMode.AUTO);
                    if (measured) {
                        userns.computeIfAbsent(disk, k -> new ArrayList<>()).add(u);
                    }
                }
            }
        } finally {
            Cgroups.detect(cgroups).release();
            for (OciBundle b : bundles.values()) {
                b.removeCgroups();
            }
            deleteTree(base);
        }
        Report report = new Report(runs, rootfs, driver, small, runc, crun);
        report.print(plain, quota, peers, userns);
    }

    /**
     * Only what the user namespace costs ({@code --userns}): {@value #SMALL_MB} MB runs without and with the
     * smallest quota, each with and without a user namespace of its own, round-robin, more runs in the time.
     */
    private static void usernsComparison(int runs) throws Exception {
        Path base = Files.createTempDirectory("actord-bench-");
        Path rootfs = TestRuntime.payloadRootfs();
        CgroupConfig cgroups = new CgroupConfig("actord-bench-" + ProcessHandle.current().pid());
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        String driver;
        try (LinuxContainerRuntime runtime = LinuxContainerRuntime.open(
                RuntimeConfig.defaults().withCgroups(cgroups).withLibDir(base.resolve("lib")))) {
            driver = runtime.description();
            for (int i = 0; i < WARM_UP + runs; i++) {
                for (DiskLimit disk : List.of(DiskLimit.unlimited(), DiskLimit.ofBytes(QUOTA_DISKS.get(0)))) {
                    for (UserNamespaceMode mode : UserNamespaceMode.values()) {
                        String name = (disk.isUnlimited() ? "p" : "q") + mode.wireName();
                        Sample sample = actord(runtime, rootfs, base, name + "-" + i, SMALL_MB, disk, mode);
                        if (i >= WARM_UP) {
                            samples.computeIfAbsent((disk.isUnlimited() ? "no disk quota" : "256 MB disk quota")
                                    + ", userns " + mode.wireName(), k -> new ArrayList<>()).add(sample);
                        }
                    }
                }
            }
        } finally {
            Cgroups.detect(cgroups).release();
            deleteTree(base);
        }
        System.out.printf("start latency with and without a user namespace: create -> /bin/true -> exit -> close,"
                + " %d runs of each after %d warm-up, round-robin, %d MB, isolated network%n", runs, WARM_UP, SMALL_MB);
        System.out.println("host: " + System.getProperty("os.name") + " " + System.getProperty("os.version")
                + ", " + Runtime.getRuntime().availableProcessors() + " CPUs; " + driver);
        System.out.printf("%n%-40s %8s %8s %8s %8s   (ms)%n", "", "min", "median", "p95", "create");
        samples.forEach((name, list) -> {
            double[] totals = totals(list);
            double[] sorted = totals.clone();
            Arrays.sort(sorted);
            System.out.printf("%-40s %8.1f %8.1f %8.1f %8.1f%n", name, sorted[0], median(sorted), p95(sorted),
                    median(list.stream().mapToDouble(x -> x.start().total().toNanos() / 1e6).toArray()));
        });
        System.out.println();
        for (String disk : List.of("no disk quota", "256 MB disk quota")) {
            double[] host = totals(samples.get(disk + ", userns host"));
            double[] auto = totals(samples.get(disk + ", userns auto"));
            System.out.printf("ratio userns auto/host, %s: median %.2f, p95 %.2f (goal: at most 1.20)%n", disk,
                    median(auto) / median(host), p95(auto) / p95(host));
        }
    }

    private static Sample actord(LinuxContainerRuntime runtime, Path rootfs, Path base, String name, long memoryMb,
                                 DiskLimit disk, UserNamespaceMode userns) {
        String id = "bench-" + name;
        ContainerSpec spec = new SpecBuilder(id, rootfs, base.resolve("runs/" + id), "/bin/true")
                .resources(TestLimits.forMemory(memoryMb)).disk(disk).output(new Output.Discard())
                .userNamespace(userns).build();
        long t0 = System.nanoTime();
        LinuxContainer c = (LinuxContainer) runtime.create(spec);
        long t1 = System.nanoTime();
        ExitStatus status = c.awaitExit(Duration.ofSeconds(30)).orElseThrow();
        long t2 = System.nanoTime();
        c.close();
        long t3 = System.nanoTime();
        if (!status.succeeded()) {
            throw new IllegalStateException(id + ": /bin/true " + status);
        }
        return new Sample(ms(t3 - t0), c.startTimings(), ms(t2 - t1), ms(t3 - t2), c.closeTimings());
    }

    private static double[] array(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** What the run measured, printed as rows, ratios and actord's breakdown. */
    private record Report(int runs, Path rootfs, String driver, OciBundle bundle, boolean runc, boolean crun) {
        void print(Map<Long, List<Sample>> plain, Map<Long, List<Sample>> quota, Map<String, List<Double>> peers,
                   Map<DiskLimit, List<Sample>> userns) {
            System.out.printf("start latency: create -> /bin/true -> exit -> close, %d sequential runs of each after"
                    + " %d warm-up, round-robin, isolated network%n", runs, WARM_UP);
            System.out.println("rootfs: " + rootfs);
            System.out.println("host: " + System.getProperty("os.name") + " " + System.getProperty("os.version")
                    + ", " + Runtime.getRuntime().availableProcessors() + " CPUs; " + driver);
            System.out.printf("%n%-40s %8s %8s %8s   (ms)%n", "", "min", "median", "p95");
            for (long mb : plain.keySet()) {
                row("actord, " + mb + " MB, no disk quota", totals(plain.get(mb)));
                if (runc) {
                    row(bundle.describe("runc") + " run, " + mb + " MB", array(peers.get("runc " + mb)));
                }
                if (crun) {
                    row(bundle.describe("crun") + " run, " + mb + " MB", array(peers.get("crun " + mb)));
                }
            }
            for (long disk : quota.keySet()) {
                row("actord, " + SMALL_MB + " MB, " + size(disk) + " disk quota", totals(quota.get(disk)));
            }
            userns.forEach((disk, samples) -> row("actord, " + SMALL_MB + " MB, " + quotaName(disk) + ", userns",
                    totals(samples)));
            System.out.println();
            for (long mb : plain.keySet()) {
                double actord = median(totals(plain.get(mb)));
                if (runc) {
                    System.out.printf("ratio actord/runc at %d MB (median): %.2f%n", mb,
                            actord / median(array(peers.get("runc " + mb))));
                }
                if (crun) {
                    System.out.printf("ratio actord/crun at %d MB (median): %.2f (goal: at most 1.50)%n", mb,
                            actord / median(array(peers.get("crun " + mb))));
                }
            }
            if (!crun) {
                System.out.println("ratio actord/crun: no crun figure on this host; the stand-in goal is to beat"
                        + " runc clearly");
            }
            long smallest = QUOTA_DISKS.get(0);
            long largest = QUOTA_DISKS.get(QUOTA_DISKS.size() - 1);
            System.out.printf("ratio quota %s/%s (median): %.2f (goal: at most 1.50)%n", size(largest),
                    size(smallest), median(totals(quota.get(largest))) / median(totals(quota.get(smallest))));
            List<Sample> hostQuota = quota.get(QUOTA_DISKS.get(0));
            userns.forEach((disk, samples) -> {
                double[] without = totals(disk.bytes().isPresent() ? hostQuota : plain.get(SMALL_MB));
                double[] with = totals(samples);
                System.out.printf("ratio userns/host at %d MB, %s: median %.2f, p95 %.2f (goal: at most 1.20)%n",
                        SMALL_MB, quotaName(disk), median(with) / median(without), p95(with) / p95(without));
            });
            breakdowns(plain.get(SMALL_MB), quota, userns);
        }

        private static String quotaName(DiskLimit disk) {
            return disk.bytes().isPresent() ? size(disk.bytes().getAsLong()) + " disk quota" : "no disk quota";
        }

        private static void breakdowns(List<Sample> plain, Map<Long, List<Sample>> quota,
                                       Map<DiskLimit, List<Sample>> userns) {
            List<String> heads = new ArrayList<>(List.of("no quota"));
            List<List<Sample>> columns = new ArrayList<>(List.of(plain));
            quota.forEach((disk, samples) -> {
                heads.add(size(disk));
                columns.add(samples);
            });
            userns.forEach((disk, samples) -> {
                heads.add(disk.bytes().isPresent() ? "userns+q" : "userns");
                columns.add(samples);
            });
            System.out.printf("%nactord breakdown at %d MB, medians (ms)", SMALL_MB);
            heads.forEach(h -> System.out.printf(" %9s", h));
            System.out.println();
            breakdown("create", columns, s -> s.start().total().toNanos() / 1e6);
            breakdown("  cgroup: mkdir + limits", columns, s -> s.start().cgroup().toNanos() / 1e6);
            breakdown("  writable layer", columns, s -> s.start().layer().toNanos() / 1e6);
            breakdown("  launcher thread", columns, s -> s.start().launch().toNanos() / 1e6);
            breakdown("  gate: init into cgroup", columns, s -> s.start().gate().toNanos() / 1e6);
            breakdown("  init: config to exec", columns, s -> s.start().start().toNanos() / 1e6);
            breakdown("until exit reaped", columns, Sample::exit);
            breakdown("close", columns, Sample::close);
            for (String step : List.of("stop actord-init", "release the writable layer", "destroy cgroup", "remove")) {
                breakdown("  " + (step.equals("remove") ? "remove run directory" : step), columns, s -> ms(
                        s.closeSteps().entrySet().stream().filter(e -> e.getKey().startsWith(step))
                                .mapToLong(e -> e.getValue().toNanos()).sum()));
            }
        }

        private static void breakdown(String name, List<List<Sample>> columns, Function<Sample, Double> f) {
            System.out.printf("%-38s", name);
            for (List<Sample> column : columns) {
                System.out.printf(" %9.2f", median(column.stream().mapToDouble(f::apply).toArray()));
            }
            System.out.println();
        }

        private static String size(long bytes) {
            return bytes >= 1L << 30 ? (bytes >> 30) + " GB" : (bytes >> 20) + " MB";
        }
    }

    private static void row(String name, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        System.out.printf("%-40s %8.1f %8.1f %8.1f%n", name, sorted[0], median(sorted), p95(sorted));
    }

    static double p95(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.ceil(0.95 * sorted.length) - 1];
    }

    private static double[] totals(List<Sample> samples) {
        return samples.stream().mapToDouble(Sample::total).toArray();
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** An OCI bundle of the same rootfs for runc and crun, and the cgroups they leave behind. */
    static final class OciBundle {
        private final Path dir;
        private final String cgroupParent;
        private final Map<Path, Boolean> cgroupDirs = new LinkedHashMap<>();
        private final Map<String, String> versions = new LinkedHashMap<>();

        private OciBundle(Path dir, String cgroupParent) {
            this.dir = dir;
            this.cgroupParent = cgroupParent;
        }

        /**
         * runc's default spec (namespaces, mounts, masked paths) with the payload rootfs read-only and the
         * same limits as actord's: memory, pids, 1/32 of a core. cgroupsPath sits below this process's own
         * memory cgroup (the machine manages the level above); runc creates that path in every v1 hierarchy.
         */
        static OciBundle write(Path dir, Path rootfs, long memoryMb) throws IOException {
            String memory = Files.readAllLines(Path.of("/proc/self/cgroup")).stream()
                    .filter(l -> l.matches("\\d+:memory:.*")).findFirst().orElse("0:memory:/").split(":", 3)[2];
            String parent = (memory.equals("/") ? "" : memory) + "/actord-bench-oci-" + ProcessHandle.current().pid();
            OciBundle bundle = new OciBundle(Files.createDirectories(dir), parent);
            try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
                for (Path h : hierarchies.filter(Files::isDirectory).toList()) {
                    Path p = h;
                    for (String part : parent.substring(1).split("/")) {
                        p = p.resolve(part);
                        bundle.cgroupDirs.putIfAbsent(p, Files.exists(p));
                    }
                }
            }
            Resources r = TestLimits.forMemory(memoryMb);
            Files.writeString(dir.resolve("config.json"), CONFIG
                    .replace("@ROOTFS@", rootfs.toString())
                    .replace("@CGROUP@", parent + "/@ID@")
                    .replace("@MEMORY@", Long.toString(r.memory().bytes().getAsLong()))
                    .replace("@QUOTA@", Long.toString(r.cpu().quotaMicros().getAsLong()))
                    .replace("@CAPS@", Capability.RUN_DEFAULT.stream().map(c -> "\"CAP_" + c + "\"")
                            .collect(Collectors.joining(", ", "[", "]"))));
            return bundle;
        }

        /** Whether {@code runtime} is installed and runs the bundle here; says why not when it does not. */
        boolean works(String runtime) throws Exception {
            Optional<String> version = command(runtime, "--version");
            if (version.isEmpty()) {
                System.out.println(runtime + ": not installed");
                return false;
            }
            versions.put(runtime, version.get().lines().findFirst().orElse(runtime));
            try {
                run(runtime, -1);
                return true;
            } catch (IllegalStateException refused) {
                System.out.println(versions.get(runtime) + ": refused: " + refused.getMessage());
                versions.put(runtime, versions.get(runtime) + " (refused)");
                return false;
            }
        }

        /** One {@code runtime run} of the bundle, in ms. */
        double run(String runtime, int i) throws Exception {
            String id = "actord-bench-" + runtime + "-" + (i < 0 ? "probe" : Integer.toString(i));
            String config = Files.readString(dir.resolve("config.json"));
            Files.writeString(dir.resolve("config.json"), config.replaceAll("\"cgroupsPath\": \"[^\"]*\"",
                    "\"cgroupsPath\": \"" + cgroupParent + "/" + id + "\""));
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(runtime, "run", "--bundle", dir.toString(), id)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int rc = p.waitFor();
            long t1 = System.nanoTime();
            if (rc != 0) {
                throw new IllegalStateException("\"" + err + "\" (exit " + rc + ")");
            }
            return ms(t1 - t0);
        }

        String describe(String runtime) {
            return versions.getOrDefault(runtime, runtime);
        }

        /** runc removes each container's leaf; the levels it made above it stay: remove those we made. */
        void removeCgroups() throws IOException {
            List<Path> ours = new ArrayList<>(cgroupDirs.entrySet().stream().filter(e -> !e.getValue())
                    .map(Map.Entry::getKey).toList());
            ours.sort(Comparator.comparingInt(Path::getNameCount).reversed());
            for (Path p : ours) {
                if (Files.isDirectory(p)) {
                    try (Stream<Path> children = Files.list(p)) {
                        for (Path leaf : children.filter(Files::isDirectory).toList()) {
                            Files.delete(leaf);
                        }
                    }
                    Files.delete(p);
                }
            }
        }

        private static Optional<String> command(String... argv) {
            try {
                Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                return p.waitFor() == 0 ? Optional.of(out) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }

        private static final String CONFIG = """
                {
                  "ociVersion": "1.0.2-dev",
                  "process": {
                    "terminal": false,
                    "user": {"uid": 0, "gid": 0},
                    "args": ["/bin/true"],
                    "env": ["PATH=/bin:/sbin:/usr/bin:/usr/sbin"],
                    "cwd": "/",
                    "capabilities": {"bounding": @CAPS@, "effective": @CAPS@, "permitted": @CAPS@},
                    "noNewPrivileges": true
                  },
                  "root": {"path": "@ROOTFS@", "readonly": true},
                  "hostname": "bench",
                  "mounts": [
                    {"destination": "/proc", "type": "proc", "source": "proc"},
                    {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
                      "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
                    {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
                      "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]},
                    {"destination": "/dev/shm", "type": "tmpfs", "source": "shm",
                      "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
                    {"destination": "/sys", "type": "sysfs", "source": "sysfs",
                      "options": ["nosuid", "noexec", "nodev", "ro"]}
                  ],
                  "linux": {
                    "cgroupsPath": "@CGROUP@",
                    "resources": {
                      "devices": [{"allow": false, "access": "rwm"}],
                      "memory": {"limit": @MEMORY@},
                      "cpu": {"quota": @QUOTA@, "period": 100000},
                      "pids": {"limit": 4096}
                    },
                    "namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"},
                      {"type": "mount"}],
                    "maskedPaths": ["/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                      "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi"],
                    "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]
                  }
                }
                """;
    }
}
