package io.actord.daemon.state;

import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * Loads RocksDB's JNI library from the daemon's library directory. {@link RocksDB#loadLibrary()} alone
 * writes a fresh 17 MB copy to /tmp at every start and deletes it only at a clean JVM exit, so each crash
 * of the daemon would leave one behind; here the copy is written once per library content and reused.
 */
public final class RocksDbLibrary {
    private static boolean loaded;

    private RocksDbLibrary() {
    }

    /**
     * Installs the library below {@code libDir} (in a directory named after its SHA-256, so versions never
     * overwrite each other's copy) unless it is there, and loads it. Without the library in the class path
     * (an unusual platform) it falls back to RocksDB's own loading. Once per JVM; later calls do nothing.
     */
    public static synchronized void load(Path libDir) {
        if (loaded) {
            return;
        }
        loaded = true;
        byte[] library = resource(Environment.getJniLibraryFileName("rocksdb"));
        if (library == null) {
            RocksDB.loadLibrary();
            return;
        }
        Path dir = libDir.resolve("rocksdb-" + sha256(library).substring(0, 16));
        // loadLibrary(paths) looks for getJniLibraryFileName("rocksdbjni"): "librocksdbjnijni-linux64.so" (sic),
        // while the jar holds "librocksdbjni-linux64.so".
        String name = Environment.getJniLibraryFileName("rocksdbjni");
        Path target = dir.resolve(name);
        try {
            if (!Files.isRegularFile(target) || Files.size(target) != library.length) {
                Files.createDirectories(dir);
                Path temp = Files.createTempFile(dir, "." + name, ".tmp");
                try {
                    Files.write(temp, library);
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("install the RocksDB library at " + target, e);
        }
        RocksDB.loadLibrary(List.of(dir.toString()));
    }

    /**
     * Loads the library unless {@link #load} has: from a throw-away copy, deleted as soon as it is loaded
     * (the mapping outlives the file). RocksDB's own loading would leave a 17 MB copy in /tmp whenever the
     * JVM does not exit cleanly.
     */
    public static synchronized void ensureLoaded() {
        if (loaded) {
            return;
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("actord-rocksdb-");
            load(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("make a directory for the RocksDB library", e);
        } finally {
            if (dir != null) {
                deleteTree(dir);
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("remove the loaded RocksDB library's copy in " + dir, e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = RocksDB.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("read " + name + " from the class path", e);
        }
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
