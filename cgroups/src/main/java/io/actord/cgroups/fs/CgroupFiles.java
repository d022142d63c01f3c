package io.actord.cgroups.fs;

import io.actord.cgroups.CgroupException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** One-value reads and writes of cgroupfs files, with errors that say what was attempted. */
public final class CgroupFiles {
    /** strerror(3) texts the JDK puts in FileSystemException reasons, mapped back to errno names. */
    private static final Map<String, String> ERRNO_NAMES = Map.ofEntries(
            Map.entry("Operation not permitted", "EPERM"),
            Map.entry("No such file or directory", "ENOENT"),
            Map.entry("No such process", "ESRCH"),
            Map.entry("Permission denied", "EACCES"),
            Map.entry("Device or resource busy", "EBUSY"),
            Map.entry("File exists", "EEXIST"),
            Map.entry("Invalid argument", "EINVAL"),
            Map.entry("No space left on device", "ENOSPC"),
            Map.entry("Read-only file system", "EROFS"),
            Map.entry("Directory not empty", "ENOTEMPTY"),
            Map.entry("Operation not supported", "EOPNOTSUPP"),
            Map.entry("Resource temporarily unavailable", "EAGAIN"));

    private CgroupFiles() {
    }

    /**
     * Writes {@code data} with a single write(2): cgroupfs parses each write on its own, so
     * cgroup.procs takes one pid per call.
     */
    public static void write(Path file, String data) {
        try {
            Files.write(file, data.getBytes(StandardCharsets.US_ASCII),
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new CgroupException("write \"" + data + "\" to " + file + ": " + describe(e), file, e);
        }
    }

    /** The whole file, trimmed. Uses readAllBytes: some kernel files come back truncated through readString. */
    public static String read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new CgroupException("read " + file + ": " + describe(e), file, e);
        }
    }

    public static long readLong(Path file) {
        String text = read(file);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new CgroupException("read " + file + ": not a number: \"" + text + "\"", file, e);
        }
    }

    /** Files of "key value" lines (memory.events, cpu.stat, cgroup.events, memory.oom_control). */
    public static Map<String, Long> readKeyValues(Path file) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : read(file).split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 2) {
                try {
                    values.put(parts[0], Long.parseLong(parts[1]));
                } catch (NumberFormatException e) {
                    throw new CgroupException("read " + file + ": bad line \"" + line + "\"", file, e);
                }
            }
        }
        return values;
    }

    /** One value of a "key value" file; {@code fallback} when the key is absent. */
    public static long readKey(Path file, String key, long fallback) {
        return readKeyValues(file).getOrDefault(key, fallback);
    }

    /** The pids listed in a cgroup.procs file, one per line. */
    public static Set<Long> readPids(Path procsFile) {
        Set<Long> pids = new LinkedHashSet<>();
        for (String line : read(procsFile).split("\n")) {
            if (!line.isBlank()) {
                pids.add(Long.parseLong(line.trim()));
            }
        }
        return pids;
    }

    /** The names of the child cgroups (subdirectories) of {@code dir}, sorted; none when it is gone. */
    public static List<String> childDirs(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new CgroupException("list " + dir + ": " + describe(e), dir, e);
        }
    }

    /** Creates the directory (and parents); an existing one is fine. */
    public static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CgroupException("mkdir " + dir + ": " + describe(e), dir, e);
        }
    }

    /** Creates the directory, which must not exist yet. */
    public static void mkdir(Path dir) {
        try {
            Files.createDirectory(dir);
        } catch (IOException e) {
            throw new CgroupException("mkdir " + dir + ": " + describe(e), dir, e);
        }
    }

    /**
     * rmdir(2) a cgroup directory: cgroupfs removes it with its interface files, but only once no task is
     * left (EBUSY) and no child cgroup exists. Returns false when it was already gone.
     */
    public static boolean rmdir(Path dir) {
        try {
            return Files.deleteIfExists(dir);
        } catch (DirectoryNotEmptyException e) {
            throw new CgroupException("rmdir " + dir + ": ENOTEMPTY (it has child cgroups)", dir, e);
        } catch (IOException e) {
            throw new CgroupException("rmdir " + dir + ": " + describe(e), dir, e);
        }
    }

    /** "EBUSY (Device or resource busy)" for a JDK exception that carries a strerror text. */
    public static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "ENOENT (No such file or directory)";
        }
        String reason = e instanceof FileSystemException fse && fse.getReason() != null
                ? fse.getReason() : e.getMessage();
        String name = reason == null ? null : ERRNO_NAMES.get(reason);
        return name == null ? String.valueOf(reason) : name + " (" + reason + ")";
    }
}
