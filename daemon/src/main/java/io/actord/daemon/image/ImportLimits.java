package io.actord.daemon.image;

/**
 * What one import may take: uncompressed bytes (every layer's tar stream, so a decompression bomb stops
 * here, not when the disk is full), members (files, directories, links) and bytes of extended tar headers
 * (long names and PAX records, which are parsed in memory) over all layers.
 */
public record ImportLimits(long maxBytes, long maxFiles, long maxHeaderBytes) {
    /** 128 bytes of PAX records (sub-second times, xattrs) for each of {@code DEFAULT.maxFiles} members. */
    public static final long DEFAULT_MAX_HEADER_BYTES = 256L << 20;
    public static final ImportLimits DEFAULT = new ImportLimits(16L << 30, 2_000_000);

    public ImportLimits {
        if (maxBytes <= 0 || maxFiles <= 0 || maxHeaderBytes <= 0) {
            throw new IllegalArgumentException("import limits must be positive: " + maxBytes + " bytes, "
                    + maxFiles + " files, " + maxHeaderBytes + " header bytes");
        }
    }

    /** With the default cap on extended header bytes. */
    public ImportLimits(long maxBytes, long maxFiles) {
        this(maxBytes, maxFiles, DEFAULT_MAX_HEADER_BYTES);
    }
}
