package io.actord.runtime.sys;

import java.nio.file.Path;

/**
 * A loop device bound to an image file, with LO_FLAGS_AUTOCLEAR: it detaches itself once the last opener
 * (this descriptor, then the filesystem mounted from it) lets go.
 *
 * @param number N of /dev/loopN
 * @param fd     this process's descriptor of the device; close it once the device is mounted
 */
public record LoopDevice(int number, Fd fd) {
    public Path device() {
        return Path.of("/dev/loop" + number);
    }

    /** The sysfs directory that exists while the device is bound (block/loopN/loop). */
    public static Path sysfsBinding(int number) {
        return Path.of("/sys/block/loop" + number + "/loop");
    }
}
