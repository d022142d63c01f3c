package io.actord.runtime.sys;

/** mount(2) flags (linux/mount.h). */
public enum MountFlag {
    MS_RDONLY(1),
    MS_NOSUID(2),
    MS_NODEV(4),
    MS_NOEXEC(8),
    MS_REMOUNT(0x20),
    MS_NOATIME(0x400),
    MS_BIND(0x1000),
    MS_REC(0x4000),
    MS_PRIVATE(0x4_0000),
    MS_SLAVE(0x8_0000);

    private final long bit;

    MountFlag(long bit) {
        this.bit = bit;
    }

    public long bit() {
        return bit;
    }
}
