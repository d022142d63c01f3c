package io.actord.runtime.sys;

/** The namespaces a container gets, with their clone(2) flags and /proc/PID/ns names. */
public enum Namespace {
    MOUNT(0x0002_0000, "mnt"),
    UTS(0x0400_0000, "uts"),
    IPC(0x0800_0000, "ipc"),
    NET(0x4000_0000, "net"),
    PID(0x2000_0000, "pid"),
    CGROUP(0x0200_0000, "cgroup");

    private final int cloneFlag;
    private final String procName;

    Namespace(int cloneFlag, String procName) {
        this.cloneFlag = cloneFlag;
        this.procName = procName;
    }

    /** CLONE_NEWNS, CLONE_NEWUTS, … */
    public int cloneFlag() {
        return cloneFlag;
    }

    /** The entry in /proc/PID/ns, e.g. "net". */
    public String procName() {
        return procName;
    }

    @Override
    public String toString() {
        return this == MOUNT ? "CLONE_NEWNS" : "CLONE_NEW" + name();
    }
}
