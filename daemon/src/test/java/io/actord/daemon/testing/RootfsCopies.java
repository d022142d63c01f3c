package io.actord.daemon.testing;

import io.actord.runtime.testing.HostCommands;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies of the busybox test rootfs with some of this host's binaries and libraries added, for runs that
 * need more than busybox (glibc's resolver, nft, iptables).
 */
public final class RootfsCopies {
    private static final Path LIB = Path.of("/lib/x86_64-linux-gnu");

    private RootfsCopies() {
    }

    /**
     * The payload rootfs at {@code target} plus the host's glibc resolver libraries: the static busybox
     * resolves names through glibc's NSS, which loads them at run time (nslookup has a resolver of its own).
     */
    public static Path resolving(Path target) {
        HostCommands.run("cp", "-a", ItRuntime.payloadRootfs().toString(), target.toString());
        List<Path> files = new ArrayList<>();
        for (String name : List.of("libc.so.6", "libnss_files.so.2", "libnss_dns.so.2", "libresolv.so.2")) {
            files.add(LIB.resolve(name));
        }
        files.add(Path.of("/lib64/ld-linux-x86-64.so.2"));
        copyFiles(target, files);
        return target;
    }

    /**
     * Adds the host's {@code binary} (symbolic links followed) at the same path to {@code rootfs} with the
     * shared libraries and loader {@code ldd} lists for it, and {@code aliases}: names in the binary's
     * directory linked to it (a multi-call binary picks its tool by name).
     */
    public static void addHostBinary(Path rootfs, Path binary, String... aliases) {
        Path real = realPath(binary);
        List<Path> files = new ArrayList<>(List.of(real));
        // ldd prints "name => /path (address)" or "/path (address)"; vdso lines have no path.
        for (String line : HostCommands.run("ldd", real.toString()).lines().toList()) {
            String[] words = line.strip().split("\\s+");
            if (words.length >= 3 && words[1].equals("=>") && words[2].startsWith("/")) {
                files.add(Path.of(words[2]));
            } else if (words.length >= 1 && words[0].startsWith("/")) {
                files.add(Path.of(words[0]));
            }
        }
        copyFiles(rootfs, files);
        try {
            for (String alias : aliases) {
                Path link = inside(rootfs, real.resolveSibling(alias));
                Files.deleteIfExists(link);
                Files.createSymbolicLink(link, real.getFileName());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("link " + List.of(aliases) + " to " + real + " in " + rootfs, e);
        }
    }

    /** Copies host files (their contents, links followed) to the same paths inside {@code rootfs}. */
    private static void copyFiles(Path rootfs, List<Path> files) {
        for (Path file : files) {
            Path copy = inside(rootfs, file);
            try {
                Files.createDirectories(copy.getParent());
                Files.copy(realPath(file), copy, StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.COPY_ATTRIBUTES);
            } catch (IOException e) {
                throw new UncheckedIOException("copy " + file + " into " + rootfs, e);
            }
        }
    }

    private static Path inside(Path rootfs, Path absolute) {
        return rootfs.resolve(absolute.toString().substring(1));
    }

    private static Path realPath(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("resolve " + file, e);
        }
    }
}
