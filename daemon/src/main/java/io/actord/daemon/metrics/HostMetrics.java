package io.actord.daemon.metrics;

import io.actord.daemon.run.RunService;
import io.actord.daemon.user.User;
import io.actord.daemon.user.UserService;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The host's memory for runs (what runs and builds hold against its capacity) and each user's share. */
final class HostMetrics {
    private static final double MIB = 1024 * 1024;

    private HostMetrics() {
    }

    static void register(PrometheusRegistry registry, RunService runs, UserService users) {
        GaugeWithCallback.builder().name("actord_host_memory_capacity_bytes")
                .help("Memory the daemon gives runs and builds on this host (--host-memory-mbytes or detected)")
                .callback(cb -> cb.call(runs.hostMemory().capacityMbytes() * MIB)).register(registry);
        GaugeWithCallback.builder().name("actord_host_memory_committed_bytes")
                .help("Memory the runs and builds that are admitted hold (their memory limits)")
                .callback(cb -> cb.call(runs.hostMemory().heldMbytes() * MIB)).register(registry);
        GaugeWithCallback.builder().name("actord_runs_waiting_for_memory")
                .help("Runs and builds that wait READY for the host's memory")
                .callback(cb -> cb.call(runs.hostMemory().waitingRuns())).register(registry);
        GaugeWithCallback.builder().name("actord_user_memory_used_bytes")
                .help("Memory a user's unfinished runs and builds hold, by user id")
                .labelNames("user")
                .callback(cb -> users.list().forEach(u -> cb.call(runs.usedMemoryMbytes(u.id()) * MIB, u.id())))
                .register(registry);
        GaugeWithCallback.builder().name("actord_user_memory_limit_bytes")
                .help("A user's memory limit for all their runs and builds together, by user id")
                .labelNames("user")
                .callback(cb -> users.list().stream().map(User::id)
                        .forEach(id -> cb.call(users.memoryLimitMbytes(id) * MIB, id)))
                .register(registry);
    }
}
