package io.actord.daemon.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** An image laid out in a directory. */
final class DirectoryFiles implements ImageFiles {
    private final Path root;

    DirectoryFiles(Path root) {
        this.root = root;
    }

    @Override
    public boolean exists(String name) {
        return Files.isRegularFile(root.resolve(ImageFiles.normalize(name)));
    }

    @Override
    public InputStream open(String name) throws IOException {
        Path p = root.resolve(ImageFiles.normalize(name));
        if (!Files.isRegularFile(p)) {
            throw new ImageException(root + " has no file " + name);
        }
        return Files.newInputStream(p);
    }

    @Override
    public void close() {
    }
}
