package io.actord.cgroups;

import java.util.Objects;

/**
 * Limits for one cgroup: memory, CPU and tasks. Which limits a workload gets is the caller's policy; this
 * module only writes them.
 */
public record Resources(MemoryLimit memory, CpuLimit cpu, PidsLimit pids) {
    public Resources {
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(pids, "pids");
    }

    public static Resources unlimited() {
        return new Resources(MemoryLimit.unlimited(), CpuLimit.unlimited(), PidsLimit.unlimited());
    }

    public Resources withMemory(MemoryLimit newMemory) {
        return new Resources(newMemory, cpu, pids);
    }

    public Resources withPids(PidsLimit newPids) {
        return new Resources(memory, cpu, newPids);
    }

    public Resources withCpu(CpuLimit newCpu) {
        return new Resources(memory, newCpu, pids);
    }
}
