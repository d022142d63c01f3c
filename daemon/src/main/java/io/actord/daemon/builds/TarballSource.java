package io.actord.daemon.builds;

import io.actord.daemon.access.Caller;

import java.io.IOException;
import java.io.InputStream;

/** Opens a TARBALL version's archive by its {@code tarballUrl}, as the user who asked for the build. */
@FunctionalInterface
public interface TarballSource {
    InputStream open(String url, Caller caller) throws IOException;
}
