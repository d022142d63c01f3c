package io.actord.runtime;

import java.util.Map;

/**
 * A directory the runtime makes on the container's writable layer at {@code path}, owned by the workload's
 * user and holding {@code files} when the workload starts; what the workload leaves there the host reads
 * through {@link Container#exchangeDirectory()}. Being on the writable layer, it counts against the
 * container's {@link DiskLimit} and shows no host path inside the container (a bind mount would do neither).
 *
 * @param path  absolute, inside the container, without '..'
 * @param files file name (no '/') → content
 */
public record ExchangeDirectory(String path, Map<String, byte[]> files) {
    public ExchangeDirectory {
        if (!path.startsWith("/") || path.equals("/") || path.contains("/../") || path.endsWith("/..")
                || path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("exchange directory must be an absolute path below / without '..': "
                    + path);
        }
        files = Map.copyOf(files);
        for (String name : files.keySet()) {
            if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/")
                    || name.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("exchange file name must be one path component: " + name);
            }
        }
    }
}
