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

    private ProcCgroup(Map<String, String> pathByController, String unifiedPath) {
        this.pathByController = pathByController;
        this.unifiedPath = unifiedPath;
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
        return new ProcCgroup(byController, unified);
    }

    /** The path in the v1 hierarchy that has {@code controller} ("memory", "name=systemd", …). */
    public Optional<String> v1Path(String controller) {
        return Optional.ofNullable(pathByController.get(controller));
    }

    /** The path in the cgroup2 hierarchy. */
    public Optional<String> unifiedPath() {
        return Optional.ofNullable(unifiedPath);
    }
}
