package io.actord.runtime.process;

import io.actord.runtime.ContainerException;
import io.actord.runtime.sys.Fd;
import io.actord.runtime.sys.FdPair;
import io.actord.runtime.sys.Linux;
import io.actord.runtime.sys.OpenMode;
import io.actord.runtime.sys.SpawnSpec;
import io.actord.runtime.sys.WaitStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The actord-init executable: built by the Maven build, shipped in the runtime jar, extracted once per
 * content into the runtime's library directory, and checked by running it.
 */
public final class InitBinary {
    /** Next to this class in the jar. */
    static final String RESOURCE = "actord-init";
    static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rwxr-xr-x");
    static final String EXPECTED_VERSION =
            "actord-init protocol " + new String(InitProtocol.MAGIC, StandardCharsets.US_ASCII);

    private InitBinary() {
    }

    /**
     * Returns the path of a verified copy below {@code libDir}, in a directory named after its SHA-256 (two
     * runtime versions never overwrite each other's; the file keeps its name, which is what ps shows for
     * PID 1), writing it first when it is missing, different or not mode 0755. Running it also warms up the
     * spawn path before any launcher thread needs it.
     */
    public static Path install(Path libDir, Linux linux) {
        byte[] binary = resource();
        String digest = sha256(binary);
        Path dir = libDir.resolve("init-" + digest.substring(0, 16));
        Path target = dir.resolve(RESOURCE);
        try {
            if (!isIntact(target, digest)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(MODE));
                Path temp = Files.createTempFile(dir, ".actord-init-", ".tmp");
                try {
                    Files.write(temp, binary);
                    Files.setPosixFilePermissions(temp, MODE);
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(temp);
                }
                if (!isIntact(target, digest)) {
                    throw new ContainerException("install actord-init at " + target
                            + ": the written copy does not verify");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("install actord-init at " + target, e);
        }
        checkRuns(target, linux);
        try {
            // The launcher execs it by this path relative to the old root, after pivot_root: a symlink with an
            // absolute target would then resolve inside the container's image, so none may be left in it.
            return target.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("resolve " + target, e);
        }
    }

    private static boolean isIntact(Path file, String digest) throws IOException {
        return Files.isRegularFile(file) && !Files.isSymbolicLink(file)
                && Files.getPosixFilePermissions(file).equals(MODE)
                && sha256(Files.readAllBytes(file)).equals(digest);
    }

    /** Spawns {@code actord-init --version} and checks that it speaks this protocol. */
    private static void checkRuns(Path binary, Linux linux) {
        String output;
        WaitStatus status;
        try (FdPair out = linux.pipe(); Fd devNull = linux.open(Path.of("/dev/null"), OpenMode.READ_WRITE)) {
            long pid = linux.spawn(SpawnSpec.of(binary.toString(), List.of("actord-init", "--version"), List.of(),
                    Map.of(InitProtocol.FD_STDIN, devNull, InitProtocol.FD_STDOUT, out.second(),
                            InitProtocol.FD_STDERR, out.second())));
            out.second().close();
            byte[] buffer = new byte[256];
            int length = 0;
            for (int n = 1; n > 0 && length < buffer.length; length += n) {
                n = linux.read(out.first(), buffer, length, buffer.length - length);
            }
            output = new String(buffer, 0, length, StandardCharsets.UTF_8).strip();
            status = linux.waitpid(pid, false).orElseThrow();
        }
        if (status.signaled() || status.exitCode() != 0 || !output.equals(EXPECTED_VERSION)) {
            throw new ContainerException("verify " + binary + ": `actord-init --version` " + status + " and printed \""
                    + output + "\", expected \"" + EXPECTED_VERSION + "\"");
        }
    }

    private static byte[] resource() {
        try (InputStream in = InitBinary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new ContainerException("actord-init is missing from the runtime jar"
                        + " (it is compiled by the Maven build: mvn -pl runtime -am package)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("read actord-init from the runtime jar", e);
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
