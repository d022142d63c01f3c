package io.actord.runtime.security;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What actord-init takes away from the workload before it execs it.
 *
 * @param capabilities  kept in the bounding, effective and permitted sets (inheritable and ambient end
 *                      empty, as in Docker since CVE-2022-24769)
 * @param seccomp       installed after no_new_privs
 * @param maskedPaths   hidden: /dev/null bound over files, an empty read-only tmpfs over directories
 * @param readOnlyPaths bound onto themselves read-only
 */
public record SecurityProfile(Set<Capability> capabilities, SeccompProgram seccomp, List<String> maskedPaths,
                              List<String> readOnlyPaths) {
    /** The paths runc's spec example, containerd and Docker mask, sysrq-trigger included. */
    public static final List<String> DEFAULT_MASKED_PATHS = List.of(
            "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
            "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/proc/sysrq-trigger", "/sys/firmware",
            "/sys/devices/virtual/powercap");
    public static final List<String> DEFAULT_READ_ONLY_PATHS = List.of(
            "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys");

    public SecurityProfile {
        capabilities = capabilities.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(capabilities));
        Objects.requireNonNull(seccomp, "seccomp");
        maskedPaths = List.copyOf(maskedPaths);
        readOnlyPaths = List.copyOf(readOnlyPaths);
    }

    /** A run's capabilities ({@link Capability#RUN_DEFAULT}), the seccomp allow-list, the usual masked and read-only paths. */
    public static SecurityProfile defaults() {
        return new SecurityProfile(Capability.RUN_DEFAULT, SeccompProgram.defaultAllowList(),
                DEFAULT_MASKED_PATHS, DEFAULT_READ_ONLY_PATHS);
    }
}
