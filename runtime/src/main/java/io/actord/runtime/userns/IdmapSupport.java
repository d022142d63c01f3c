package io.actord.runtime.userns;

import io.actord.runtime.sys.Fd;
import io.actord.runtime.sys.Linux;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which layers can be idmapped: {@link Linux#canIdmap} asked once per filesystem (by device number), since
 * a filesystem type takes idmapped mounts or does not. Thread-safe.
 */
public final class IdmapSupport {
    private static final Logger LOG = LoggerFactory.getLogger(IdmapSupport.class);

    private final Linux linux;
    private final Map<Long, Boolean> byDevice = new ConcurrentHashMap<>();

    public IdmapSupport(Linux linux) {
        this.linux = linux;
    }

    /** The first of {@code layers} whose filesystem takes no idmapped mount, if any. */
    public Optional<Path> firstUnsupported(List<Path> layers, Fd userns) {
        for (Path layer : layers) {
            long device = device(layer);
            boolean supported = byDevice.computeIfAbsent(device, d -> {
                boolean can = linux.canIdmap(layer, userns);
                if (!can) {
                    LOG.warn("layers on the filesystem of {} cannot be idmapped: containers with them get no user"
                            + " namespace of their own unless they ask for one (then they fail)", layer);
                }
                return can;
            });
            if (!supported) {
                return Optional.of(layer);
            }
        }
        return Optional.empty();
    }

    private static long device(Path path) {
        try {
            return ((Number) Files.getAttribute(path, "unix:dev")).longValue();
        } catch (IOException e) {
            throw new UncheckedIOException("stat " + path, e);
        }
    }
}
