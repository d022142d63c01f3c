package io.actord.daemon.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What another JVM (the daemon, by pid) holds: its resident memory from {@code /proc/PID/status}, and its heap in
 * use after full collections ({@code jcmd PID GC.run}, then {@code GC.heap_info}: the generations' or regions'
 * "used", whatever the collector). With native memory tracking on in that JVM, also the main lines of
 * {@code VM.native_memory summary}. With a dump directory, each reading also writes its class histogram, NMT
 * summary and {@code pmap -x} there.
 */
final class DaemonMemory {
    /** A heap line of GC.heap_info: "garbage-first heap   total 262144K, used 20480K" or a generation's. */
    private static final Pattern HEAP = Pattern.compile("total (\\d+)K, used (\\d+)K");
    /** An NMT summary category: "-   Java Heap (reserved=6291456KB, committed=16384KB)". */
    private static final Pattern NMT = Pattern.compile("-\\s+([A-Za-z][A-Za-z ]*?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)");
    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB");

    private final long pid;
    private final Path jcmd;
    private final Path dumps;

    DaemonMemory(long pid, Path dumps) {
        this.pid = pid;
        this.jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        this.dumps = dumps;
    }

    /** One reading, in kB where not said otherwise; the RSS before the collections too (the others are after). */
    record Reading(long rssBeforeGcKb, long rssKb, long rssAnonKb, long rssFileKb, int threads, long heapUsedKb,
                   long heapCommittedKb, String nmt) {
        String line(String label) {
            return String.format("%-26s RSS %6.1f MB (anon %6.1f, file %4.1f; %6.1f before the GC)  heap used %5.1f MB"
                            + " of %5.1f  threads %3d%s", label, rssKb / 1024.0, rssAnonKb / 1024.0, rssFileKb / 1024.0,
                    rssBeforeGcKb / 1024.0,
                    heapUsedKb / 1024.0, heapCommittedKb / 1024.0, threads, nmt.isEmpty() ? "" : "\n    NMT " + nmt);
        }
    }

    /**
     * Waits {@code settle} (an idle daemon's background work: the JVM's periodic native-heap trim, RocksDB's
     * flushes), then collects garbage twice and reads; {@code name} names the dump files.
     */
    Reading read(String name, Duration settle) throws IOException, InterruptedException {
        Thread.sleep(settle.toMillis());
        long rssBeforeGc = field(Files.readString(Path.of("/proc/" + pid + "/status")), "VmRSS");
        jcmd("GC.run");
        Thread.sleep(500);
        jcmd("GC.run");
        long heapUsed = 0;
        long heapTotal = 0;
        for (String line : jcmd("GC.heap_info").lines().toList()) {
            Matcher m = HEAP.matcher(line);
            // The generations (Serial, Parallel) or the one G1 heap: lines at the top level, not the spaces below.
            if (m.find() && !line.startsWith("   ")) {
                heapTotal += Long.parseLong(m.group(1));
                heapUsed += Long.parseLong(m.group(2));
            }
        }
        String status = Files.readString(Path.of("/proc/" + pid + "/status"));
        String nmt = nmt();
        if (dumps != null) {
            Files.createDirectories(dumps);
            Files.writeString(dumps.resolve(name + ".histogram"), jcmd("GC.class_histogram"));
            Files.writeString(dumps.resolve(name + ".nmt"), nmt);
            Files.writeString(dumps.resolve(name + ".pmap"), run(List.of("pmap", "-x", Long.toString(pid))));
            Files.writeString(dumps.resolve(name + ".threads"), threadNames());
        }
        return new Reading(rssBeforeGc, field(status, "VmRSS"), field(status, "RssAnon"), field(status, "RssFile"),
                (int) field(status, "Threads"), heapUsed, heapTotal, nmtSummary(nmt));
    }

    /** "Total 97.1 MB: Java Heap 16.0, Class 9.8, ..." in MB committed, or empty when NMT is off. */
    static String nmtSummary(String nmt) {
        Matcher total = NMT_TOTAL.matcher(nmt);
        if (!total.find()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        Matcher m = NMT.matcher(nmt);
        while (m.find()) {
            long kb = Long.parseLong(m.group(2));
            if (kb >= 1024) {
                parts.add(String.format("%s %.1f", m.group(1).strip(), kb / 1024.0));
            }
        }
        return String.format("committed %.1f MB: %s", Long.parseLong(total.group(1)) / 1024.0, String.join(", ", parts));
    }

    /** The NMT summary, or why there is none (the daemon's JVM tracks no native memory unless told). */
    private String nmt() throws InterruptedException {
        try {
            return jcmd("VM.native_memory summary");
        } catch (IOException | IllegalStateException off) {
            return off.getMessage();
        }
    }

    /** The daemon's threads by name with digits folded ("api-io-#": 2), one a line. */
    private String threadNames() throws IOException {
        java.util.TreeMap<String, Integer> counts = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String comm = Files.readString(task.resolve("comm")).strip();
                    counts.merge(comm.startsWith("log-") ? "log-<run>" : comm.replaceAll("\\d+", "#"), 1, Integer::sum);
                } catch (IOException gone) {
                    // A thread that ended meanwhile.
                }
            }
        }
        StringBuilder out = new StringBuilder();
        counts.forEach((n, c) -> out.append(c).append('\t').append(n).append('\n'));
        return out.toString();
    }

    private static long field(String status, String name) {
        return status.lines().filter(l -> l.startsWith(name + ":")).findFirst()
                .map(l -> Long.parseLong(l.substring(name.length() + 1).replace("kB", "").strip()))
                .orElseThrow(() -> new IllegalStateException("no " + name + " in /proc/PID/status"));
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
        cmd.addAll(List.of(command.split(" ")));
        return run(cmd);
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
