package io.actord.daemon.image;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files of an image source, by their names inside it: a directory (an OCI layout as skopeo writes it)
 * or a tar file (an oci-archive or a docker-archive), which is indexed once and read in place.
 */
interface ImageFiles extends Closeable {
    /** Opens {@code path} on the host as a directory or a tar. */
    static ImageFiles open(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            return new DirectoryFiles(path);
        }
        if (Files.isRegularFile(path)) {
            return TarFiles.index(path);
        }
        throw new ImageException(path + " is neither a directory nor a file");
    }

    boolean exists(String name);

    /** The content of {@code name}; an {@link ImageException} when there is no such file. */
    InputStream open(String name) throws IOException;

    /** Reads a small file (a manifest, index or config) whole, refusing more than {@code max} bytes. */
    default byte[] read(String name, int max) throws IOException {
        try (InputStream in = open(name)) {
            byte[] data = in.readNBytes(max + 1);
            if (data.length > max) {
                throw new ImageException(name + " is larger than " + max + " bytes");
            }
            return data;
        }
    }

    /** A name inside the image: relative, no "..", no leading "./". */
    static String normalize(String name) {
        String n = name;
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        if (n.startsWith("/") || n.isEmpty() || ("/" + n + "/").contains("/../")) {
            throw new ImageException("image refers to the file '" + name + "', which is outside the image");
        }
        return n;
    }
}
