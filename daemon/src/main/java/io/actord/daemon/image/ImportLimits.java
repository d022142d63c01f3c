package io.actord.daemon.image;

/**
 * What one import may take: uncompressed bytes (every layer's tar stream, so a decompression bomb stops
 * here, not when the disk is full) and members (files, directories, links) over all layers.
 */
public record ImportLimits(long maxBytes, long maxFiles) {
    public static final ImportLimits DEFAULT = new ImportLimits(16L << 30, 2_000_000);

    public ImportLimits {
        if (maxBytes <= 0 || maxFiles <= 0) {
            throw new IllegalArgumentException("import limits must be positive: " + maxBytes + " bytes, "
                    + maxFiles + " files");
        }
    }
}
