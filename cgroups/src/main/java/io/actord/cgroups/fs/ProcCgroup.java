package io.actord.cgroups.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A process's cgroup membership from /proc/PID/cgroup (cgroups(7)): {@code hierarchy-ID:controllers:path}
 * per line; the cgroup2 line has ID 0 and an empty controller list.
 */
public final class ProcCgroup {
    private final Map<String, String> pathByController;
    private final String unifiedPath;
    /** The path of a controller not in the map; null: not a member of that hierarchy. */
    private final String otherPath;

    private ProcCgroup(Map<String, String> pathByController, String unifiedPath, String otherPath) {
        this.pathByController = pathByController;
        this.unifiedPath = unifiedPath;
        this.otherPath = otherPath;
    }

    /** The same {@code path} in every hierarchy: a cgroup chosen by configuration rather than a process's. */
    public static ProcCgroup uniform(String path) {
        return new ProcCgroup(Map.of(), path, path);
    }

    public static ProcCgroup read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalStateException("read " + file + ": " + CgroupFiles.describe(e), e);
        }
    }

    public static ProcCgroup parse(String text) {
        Map<String, String> byController = new LinkedHashMap<>();
        String unified = null;
        for (String line : text.split("\n")) {
            String[] f = line.trim().split(":", 3);
            if (f.length != 3) {
                continue;
            }
            if (f[0].equals("0") && f[1].isEmpty()) {
                unified = f[2];
            } else {
                for (String controller : f[1].split(",")) {
                    byController.put(controller, f[2]);
                }
            }
        }
        return new ProcCgroup(byController, unified, null);
    }

    /** The path in the v1 hierarchy that has {@code controller} ("memory", "name=systemd", …). */
    public Optional<String> v1Path(String controller) {
        return Optional.ofNullable(pathByController.getOrDefault(controller, otherPath));
    }

    /** The path in the cgroup2 hierarchy. */
    public Optional<String> unifiedPath() {
        return Optional.ofNullable(unifiedPath);
    }
}
