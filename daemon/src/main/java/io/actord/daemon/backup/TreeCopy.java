package io.actord.daemon.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies a file or a directory tree with everything an image layer or a key file carries: owners, modes, times,
 * extended attributes (overlayfs opaque markers, file capabilities), symbolic links, FIFOs and the character devices
 * overlayfs uses as whiteouts. GNU {@code cp -a} does all of that (java.nio can neither make device nodes nor list
 * extended attributes); with {@code -l} it makes hard links instead of copying the files, for trees that are never
 * written again. It runs from an ordinary daemon thread, never a launcher thread (DESIGN.md).
 */
final class TreeCopy {
    private TreeCopy() {
    }

    /** Whether {@code a} and {@code b} (existing paths) are on one file system, so a hard link between them can be. */
    static boolean sameFileSystem(Path a, Path b) throws IOException {
        return Files.getAttribute(a, "unix:dev", LinkOption.NOFOLLOW_LINKS)
                .equals(Files.getAttribute(b, "unix:dev", LinkOption.NOFOLLOW_LINKS));
    }

    /**
     * Copies {@code source} to {@code target}, which must not exist; with {@code link}, files become hard links to
     * the source's (directories are always made anew, so removing either tree later leaves the other whole).
     */
    static void copy(Path source, Path target, boolean link) throws IOException {
        List<String> argv = new ArrayList<>(List.of("cp", "-a"));
        if (link) {
            argv.add("-l");
        }
        argv.addAll(List.of("-T", "--", source.toString(), target.toString()));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        try {
            int status = p.waitFor();
            if (status != 0) {
                throw new IOException(String.join(" ", argv) + ": exit status " + status
                        + (output.isEmpty() ? "" : ": " + output));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", argv) + ": interrupted", e);
        }
    }
}
