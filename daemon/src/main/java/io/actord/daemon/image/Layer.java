package io.actord.daemon.image;

import java.time.Instant;

/**
 * A layer in the store.
 *
 * @param diffId    the sha256 of the layer's uncompressed tar (OCI's DiffID): the store's address for it
 * @param tarBytes  the size of that tar
 * @param members   how many members (files, directories, links) it has
 */
public record Layer(int schemaVersion, String diffId, long tarBytes, long members, Instant createdAt) {
    public static final int SCHEMA = 1;
}
