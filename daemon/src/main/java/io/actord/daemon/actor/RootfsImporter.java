package io.actord.daemon.actor;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes a build's rootfs from a directory or a tar archive on the daemon's host. The daemon keeps its own
 * copy, so later changes to the source do not change the build. It uses the system's {@code cp -a} and
 * {@code tar}, which keep ownership, modes, links, device nodes and xattrs exactly as a rootfs needs.
 */
public final class RootfsImporter {
    private static final Logger LOG = LoggerFactory.getLogger(RootfsImporter.class);
    private static final long TIMEOUT_MINUTES = 30;

    /**
     * Fills {@code target} (which must not exist) from {@code source}.
     *
     * @throws ApiException 400 invalid-value when the source is missing or not a directory or archive tar reads
     */
    public void importInto(Path source, Path target) {
        if (!source.isAbsolute()) {
            throw ApiException.invalidValue("rootfs must be an absolute path on the daemon's host, got '" + source + "'");
        }
        List<String> command;
        if (Files.isDirectory(source)) {
            command = List.of("cp", "-a", "--", source + "/.", target.toString());
        } else if (Files.isRegularFile(source)) {
            command = List.of("tar", "-x", "--numeric-owner", "-f", source.toString(), "-C", target.toString());
        } else {
            throw ApiException.invalidValue("rootfs '" + source + "' is neither a directory nor a tar file");
        }
        Path staging = target.resolveSibling(target.getFileName() + ".partial");
        try {
            deleteTree(staging);
            Files.createDirectories(staging);
            List<String> staged = command.stream().map(a -> a.equals(target.toString()) ? staging.toString() : a).toList();
            run(staged, source);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("import rootfs " + source + " into " + target + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(staging);
        }
        LOG.info("rootfs imported source={} target={}", source, target);
    }

    private static void run(List<String> command, Path source) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish in " + TIMEOUT_MINUTES + " minutes");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + command.get(0), e);
        }
        if (p.exitValue() != 0) {
            throw new ApiException(ErrorType.INVALID_VALUE, "rootfs '" + source + "' could not be read: "
                    + command.get(0) + " exited with " + p.exitValue() + (output.isEmpty() ? "" : ": " + output));
        }
    }

    /** Removes a build's rootfs directory tree; missing is fine. */
    public void delete(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException e) {
            LOG.warn("remove rootfs dir={} error=\"{}\"", dir, e.getMessage());
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException e) {
            LOG.warn("remove staging dir={} error=\"{}\"", dir, e.getMessage());
        }
    }

    /**
     * rm -rf without following symlinks (a rootfs is full of absolute ones that point at the host) and
     * without crossing into another filesystem (a mount left there is not ours to empty).
     */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Process p = new ProcessBuilder("rm", "-rf", "--one-file-system", "--", dir.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (p.waitFor() != 0) {
                throw new IOException("rm -rf " + dir + " exited with " + p.exitValue() + ": " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while removing " + dir, e);
        }
    }
}
