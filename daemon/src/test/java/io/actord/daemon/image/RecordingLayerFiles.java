package io.actord.daemon.image;

import io.actord.runtime.LayerFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link LayerFiles} without privileges, for unit tests: records each call (paths relative to the layer
 * root's parent's parent are not stable, so by file name) and leaves an empty regular file where a
 * whiteout would be (a FIFO is a real one, made by mkfifo), so that the extractor's later checks see something there.
 */
final class RecordingLayerFiles implements LayerFiles {
    private final List<String> calls = new ArrayList<>();

    synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    @Override
    public synchronized void owner(Path path, int uid, int gid) {
        calls.add("owner " + path.getFileName() + " " + uid + ":" + gid);
    }

    @Override
    public synchronized void whiteout(Path path) {
        calls.add("whiteout " + path.getFileName());
        touch(path);
    }

    @Override
    public synchronized void markOpaque(Path dir) {
        calls.add("opaque " + dir.getFileName());
    }

    @Override
    public synchronized void fifo(Path path, int mode) {
        calls.add("fifo " + path.getFileName() + " " + Integer.toOctalString(mode));
        try {
            // mkfifo(1) takes permission bits only; the extractor sets the whole mode (setuid too) right after
            Process p = new ProcessBuilder("mkfifo", "-m", Integer.toOctalString(mode & 0777), path.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException("mkfifo " + path + ": " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void setXattr(Path path, String name, byte[] value) {
        calls.add("xattr " + path.getFileName() + " " + name + "=" + new String(value, StandardCharsets.UTF_8));
    }

    @Override
    public Optional<byte[]> xattr(Path path, String name) {
        return Optional.empty();
    }

    private static void touch(Path path) {
        try {
            Files.createFile(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
