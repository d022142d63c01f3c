package io.actord.daemon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** User and system CPU ticks (USER_HZ, 100 a second on Linux) of a set of threads or processes so far. */
record CpuTicks(long user, long system) {
    static final double PER_SECOND = 100;

    /** The ticks of this JVM's threads whose name starts with {@code prefix} (the daemon's API event loops). */
    static CpuTicks ofThreads(String prefix) throws IOException {
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            CpuTicks sum = new CpuTicks(0, 0);
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).startsWith(prefix)) {
                        sum = sum.plus(of(task.resolve("stat")));
                    }
                } catch (NoSuchFileException gone) {
                    // A thread that ended meanwhile.
                }
            }
            return sum;
        }
    }

    /** The ticks of these processes (all their threads). */
    static CpuTicks ofProcesses(List<Long> pids) throws IOException {
        CpuTicks sum = new CpuTicks(0, 0);
        for (long pid : pids) {
            sum = sum.plus(of(Path.of("/proc/" + pid + "/stat")));
        }
        return sum;
    }

    private static CpuTicks of(Path stat) throws IOException {
        String s = Files.readString(stat);
        // Fields after the parenthesised name: state is field 3, utime 14, stime 15.
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return new CpuTicks(Long.parseLong(f[11]), Long.parseLong(f[12]));
    }

    CpuTicks plus(CpuTicks o) {
        return new CpuTicks(user + o.user, system + o.system);
    }

    CpuTicks minus(CpuTicks o) {
        return new CpuTicks(user - o.user, system - o.system);
    }

    /** CPU microseconds per request, over {@code requests} requests. */
    double microsPer(double requests) {
        return (user + system) / PER_SECOND * 1e6 / requests;
    }

    /** The kernel's share of the time. */
    double kernelShare() {
        return user + system == 0 ? 0 : (double) system / (user + system);
    }
}
