package io.actord.daemon.image;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Opens a layer blob as its uncompressed tar stream, recognising gzip and zstd by their magic numbers
 * (media types lie more often than magic does; a plain tar has neither). zstd's native library is loaded
 * only when a zstd layer first appears, and unpacked into the daemon's own library directory rather than a
 * world-writable /tmp.
 */
public final class Compression {
    private static final int[] GZIP = {0x1f, 0x8b};
    private static final int[] ZSTD = {0x28, 0xb5, 0x2f, 0xfd};
    private static final int[] BZIP2 = {'B', 'Z', 'h'};
    private static final int[] XZ = {0xfd, '7', 'z', 'X', 'Z', 0x00};

    private final Path nativeDir;
    private boolean zstdLoaded;

    /** {@code nativeDir}: where zstd-jni may unpack its shared library (created if missing). */
    public Compression(Path nativeDir) {
        this.nativeDir = nativeDir;
    }

    /** The uncompressed stream of {@code blob}; {@code what} names it in errors. */
    public InputStream decompress(InputStream blob, String what) throws IOException {
        BufferedInputStream in = new BufferedInputStream(blob, 64 * 1024);
        return decompress(in, head(in), what);
    }

    /**
     * As {@link #decompress}, also knowing bzip2 and xz, as Docker's ADD does for a local archive (an image layer
     * is never either: OCI's media types have gzip and zstd only).
     */
    public InputStream decompressArchive(InputStream archive, String what) throws IOException {
        BufferedInputStream in = new BufferedInputStream(archive, 64 * 1024);
        int[] head = head(in);
        if (starts(head, BZIP2)) {
            return new BZip2CompressorInputStream(in, true);
        }
        if (starts(head, XZ)) {
            return new XZInputStream(in);
        }
        return decompress(in, head, what);
    }

    private static int[] head(BufferedInputStream in) throws IOException {
        in.mark(XZ.length);
        int[] head = new int[XZ.length];
        for (int i = 0; i < head.length; i++) {
            head[i] = in.read();
        }
        in.reset();
        return head;
    }

    private InputStream decompress(BufferedInputStream in, int[] head, String what) throws IOException {
        if (starts(head, GZIP)) {
            return new GZIPInputStream(in, 64 * 1024);
        }
        if (starts(head, ZSTD)) {
            loadZstd(what);
            // The decoder's default window limit (2^27 bytes) bounds its memory whatever the frame asks for.
            return new ZstdInputStreamNoFinalizer(in);
        }
        return in;
    }

    private synchronized void loadZstd(String what) {
        if (zstdLoaded) {
            return;
        }
        try {
            java.nio.file.Files.createDirectories(nativeDir);
            com.github.luben.zstd.util.Native.load(nativeDir.toFile());
            zstdLoaded = true;
        } catch (IOException | LinkageError e) {
            throw new IllegalStateException("load zstd-jni's native library into " + nativeDir + " for " + what
                    + ": " + e.getMessage(), e);
        }
    }

    private static boolean starts(int[] head, int[] magic) {
        for (int i = 0; i < magic.length; i++) {
            if (head[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
