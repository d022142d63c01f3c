package io.actord.runtime;

import io.actord.cgroups.CgroupConfig;
import io.actord.cgroups.Cgroups;
import io.actord.cgroups.DiskLimit;
import io.actord.cgroups.Resources;
import io.actord.runtime.security.Capability;
import io.actord.runtime.testing.SpecBuilder;
import io.actord.runtime.testing.TestRuntime;

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
 * create → /bin/true → exit → close of the payload rootfs with actord, with and without the disk quota, and
 * {@code runc run} / {@code crun run} of an OCI bundle of the same rootfs with the same limits, in one run
 * of this program so the ratios compare like with like.
 */
public final class StartLatencyBench {
    static final int WARM_UP = 10;
    static final long MEMORY_MB = 128;

    /** One actord run: the total and where it went. */
    private record Sample(double total, StartTimings start, double exit, double close,
                          Map<String, Duration> closeSteps) {
    }

    private StartLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        Path base = Files.createTempDirectory("actord-bench-");
        Path rootfs = TestRuntime.payloadRootfs();
        CgroupConfig cgroups = new CgroupConfig("actord-bench-" + ProcessHandle.current().pid());
        OciBundle bundle = OciBundle.write(base.resolve("bundle"), rootfs, MEMORY_MB);
        boolean runc = bundle.works("runc");
        boolean crun = bundle.works("crun");
        List<Sample> plain = new ArrayList<>();
        List<Sample> quota = new ArrayList<>();
        List<Double> runcTimes = new ArrayList<>();
        List<Double> crunTimes = new ArrayList<>();
        String driver;
        try (LinuxContainerRuntime runtime = LinuxContainerRuntime.open(
                RuntimeConfig.defaults().withCgroups(cgroups).withLibDir(base.resolve("lib")))) {
            driver = runtime.description();
            // Round-robin, so that the load of this shared machine weighs on every variant alike.
            for (int i = 0; i < WARM_UP + runs; i++) {
                boolean measured = i >= WARM_UP;
                Sample p = actord(runtime, rootfs, base, "p" + i, false);
                Sample q = actord(runtime, rootfs, base, "q" + i, true);
                double r = runc ? bundle.run("runc", i) : 0;
                double c = crun ? bundle.run("crun", i) : 0;
                if (measured) {
                    plain.add(p);
                    quota.add(q);
                    runcTimes.add(r);
                    crunTimes.add(c);
                }
            }
        } finally {
            Cgroups.detect(cgroups).release();
            bundle.removeCgroups();
            deleteTree(base);
        }
        report(runs, rootfs, driver, plain, quota, runc ? Optional.of(array(runcTimes)) : Optional.empty(),
                crun ? Optional.of(array(crunTimes)) : Optional.empty(), bundle);
    }

    private static Sample actord(LinuxContainerRuntime runtime, Path rootfs, Path base, String name, boolean quota) {
        Resources resources = Resources.forMemory(MEMORY_MB);
        if (!quota) {
            resources = new Resources(resources.memory(), resources.cpu(), resources.pids(), DiskLimit.unlimited());
        }
        String id = "bench-" + name;
        ContainerSpec spec = new SpecBuilder(id, rootfs, base.resolve("runs/" + id), "/bin/true")
                .resources(resources).output(new Output.Discard()).build();
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

    private static void report(int runs, Path rootfs, String driver, List<Sample> plain, List<Sample> quota,
                               Optional<double[]> runc, Optional<double[]> crun, OciBundle bundle) {
        System.out.printf("start latency: create -> /bin/true -> exit -> close, %d sequential runs of each after %d"
                + " warm-up, round-robin, %d MB, isolated network%n", runs, WARM_UP, MEMORY_MB);
        System.out.println("rootfs: " + rootfs);
        System.out.println("host: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs; " + driver);
        System.out.printf("%n%-34s %8s %8s %8s   (ms)%n", "", "min", "median", "p95");
        row("actord, no disk quota", totals(plain));
        row("actord, " + 2 * MEMORY_MB + " MB ext4 quota", totals(quota));
        row(bundle.describe("runc") + " run", runc);
        row(bundle.describe("crun") + " run", crun);
        System.out.println();
        double plainMedian = median(totals(plain));
        double quotaMedian = median(totals(quota));
        runc.ifPresent(r -> System.out.printf("ratio actord/runc (median): %.2f without quota, %.2f with quota%n",
                plainMedian / median(r), quotaMedian / median(r)));
        crun.ifPresentOrElse(c -> System.out.printf("ratio actord/crun (median): %.2f without quota, %.2f with quota"
                        + " (goal: at most 1.50)%n", plainMedian / median(c), quotaMedian / median(c)),
                () -> System.out.println("ratio actord/crun: no crun figure on this host; the stand-in goal is to"
                        + " beat runc clearly"));

        System.out.printf("%nactord breakdown, medians (ms)     %10s %10s%n", "no quota", "quota");
        breakdown("create", plain, quota, s -> s.start().total().toNanos() / 1e6);
        breakdown("  cgroup: mkdir + limits", plain, quota, s -> s.start().cgroup().toNanos() / 1e6);
        breakdown("  writable layer", plain, quota, s -> s.start().layer().toNanos() / 1e6);
        breakdown("  launcher thread", plain, quota, s -> s.start().launch().toNanos() / 1e6);
        breakdown("  gate: init into cgroup", plain, quota, s -> s.start().gate().toNanos() / 1e6);
        breakdown("  init: config to exec", plain, quota, s -> s.start().start().toNanos() / 1e6);
        breakdown("until exit reaped", plain, quota, Sample::exit);
        breakdown("close", plain, quota, Sample::close);
        for (String step : List.of("stop actord-init", "release the writable layer", "destroy cgroup", "remove")) {
            breakdown("  " + (step.equals("remove") ? "remove run directory" : step), plain, quota, s -> ms(
                    s.closeSteps().entrySet().stream().filter(e -> e.getKey().startsWith(step))
                            .mapToLong(e -> e.getValue().toNanos()).sum()));
        }
    }

    private static void row(String name, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        System.out.printf("%-34s %8.1f %8.1f %8.1f%n", name, sorted[0], median(sorted),
                sorted[(int) Math.ceil(0.95 * sorted.length) - 1]);
    }

    private static void row(String name, Optional<double[]> values) {
        values.ifPresentOrElse(v -> row(name, v), () -> { });
    }

    private static void breakdown(String name, List<Sample> plain, List<Sample> quota, Function<Sample, Double> f) {
        System.out.printf("%-34s %10.2f %10.2f%n", name, median(plain.stream().mapToDouble(f::apply).toArray()),
                median(quota.stream().mapToDouble(f::apply).toArray()));
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
            Resources r = Resources.forMemory(memoryMb);
            Files.writeString(dir.resolve("config.json"), CONFIG
                    .replace("@ROOTFS@", rootfs.toString())
                    .replace("@CGROUP@", parent + "/@ID@")
                    .replace("@MEMORY@", Long.toString(r.memory().bytes().getAsLong()))
                    .replace("@QUOTA@", Long.toString(r.cpu().quotaMicros().getAsLong()))
                    .replace("@CAPS@", Capability.DOCKER_DEFAULT.stream().map(c -> "\"CAP_" + c + "\"")
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
