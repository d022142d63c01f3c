package io.actord.runtime.security;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** Linux capabilities (linux/capability.h), numbered as the kernel numbers them. */
public enum Capability {
    CHOWN, DAC_OVERRIDE, DAC_READ_SEARCH, FOWNER, FSETID, KILL, SETGID, SETUID, SETPCAP, LINUX_IMMUTABLE,
    NET_BIND_SERVICE, NET_BROADCAST, NET_ADMIN, NET_RAW, IPC_LOCK, IPC_OWNER, SYS_MODULE, SYS_RAWIO, SYS_CHROOT,
    SYS_PTRACE, SYS_PACCT, SYS_ADMIN, SYS_BOOT, SYS_NICE, SYS_RESOURCE, SYS_TIME, SYS_TTY_CONFIG, MKNOD, LEASE,
    AUDIT_WRITE, AUDIT_CONTROL, SETFCAP, MAC_OVERRIDE, MAC_ADMIN, SYSLOG, WAKE_ALARM, BLOCK_SUSPEND, AUDIT_READ,
    PERFMON, BPF, CHECKPOINT_RESTORE;

    /**
     * Docker's and containerd's default set (moby oci/caps/defaults.go): 0x00000000a80425fb. MKNOD is in it;
     * actord mounts every writable filesystem nodev, so a node made in a container opens nothing.
     */
    public static final Set<Capability> DOCKER_DEFAULT = EnumSet.of(CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL,
            SETGID, SETUID, SETPCAP, NET_BIND_SERVICE, NET_RAW, SYS_CHROOT, MKNOD, AUDIT_WRITE, SETFCAP);

    /**
     * What a run keeps: Docker's default set without NET_RAW and AUDIT_WRITE (0x00000000880405fb), as
     * podman's default (containers-common's containers.conf) has dropped them too. A run's egress policy
     * filters at the IP output hook, and a frame written to a packet socket never passes that hook: with
     * NET_RAW, root in a run reached addresses the policy denies (EgressIT, EgressPolicyIT) and could forge
     * frames on the runs' bridge. With AUDIT_WRITE it wrote records into the host's audit log, which no
     * namespace separates (EscapeBatteryIT).
     */
    public static final Set<Capability> RUN_DEFAULT = without(DOCKER_DEFAULT, NET_RAW, AUDIT_WRITE);

    /** The bit of this capability in a 64-bit mask (CapEff and friends in /proc/PID/status). */
    public long bit() {
        return 1L << ordinal();
    }

    private static Set<Capability> without(Set<Capability> set, Capability... dropped) {
        EnumSet<Capability> copy = EnumSet.copyOf(set);
        copy.removeAll(Set.of(dropped));
        return Collections.unmodifiableSet(copy);
    }

    public static long mask(Set<Capability> capabilities) {
        return capabilities.stream().mapToLong(Capability::bit).reduce(0, (a, b) -> a | b);
    }
}
