package io.actord.runtime.volume;

import io.actord.runtime.rootfs.VolumeMount;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** No quota: upper and work are directories in the run directory, removed with it. */
public record HostDirectoryLayer(Path upper, Path work) implements WritableLayer {
    static HostDirectoryLayer in(Path runDir) {
        return new HostDirectoryLayer(runDir.resolve("upper"), runDir.resolve("work"));
    }

    @Override
    public Optional<VolumeMount> volume() {
        return Optional.empty();
    }

    @Override
    public void release(Duration timeout) {
    }
}
