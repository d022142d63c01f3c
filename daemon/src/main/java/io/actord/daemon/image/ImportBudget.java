package io.actord.daemon.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** The part of {@link ImportLimits} one import has used so far; shared by all layers of an image. */
final class ImportBudget {
    private final ImportLimits limits;
    private long bytes;
    private long files;
    private long headerBytes;

    ImportBudget(ImportLimits limits) {
        this.limits = limits;
    }

    /** Counts what is read through the returned stream (a layer's uncompressed tar) against the byte limit. */
    InputStream meter(InputStream uncompressed) {
        return new FilterInputStream(uncompressed) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    count(1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    count(n);
                }
                return n;
            }
        };
    }

    /** Refuses a member whose declared size alone would pass the limit, before anything of it is written. */
    void expect(long size) {
        if (size > limits.maxBytes() - bytes) {
            throw tooLarge();
        }
    }

    void file() {
        if (++files > limits.maxFiles()) {
            throw new ImageException("the image has more than " + limits.maxFiles() + " files (the daemon's"
                    + " max-image-files)");
        }
    }

    /** Counts one long name or PAX header of {@code size} bytes against the cap on extended headers. */
    void extendedHeader(long size) {
        headerBytes += size;
        if (headerBytes > limits.maxHeaderBytes()) {
            throw new ImageException("the image's tar headers hold more than " + limits.maxHeaderBytes()
                    + " bytes of long names and PAX records");
        }
    }

    long bytes() {
        return bytes;
    }

    private void count(long n) {
        bytes += n;
        if (bytes > limits.maxBytes()) {
            throw tooLarge();
        }
    }

    private ImageException tooLarge() {
        return new ImageException("the image unpacks to more than " + limits.maxBytes() + " bytes (the daemon's"
                + " max-image-bytes)");
    }
}
