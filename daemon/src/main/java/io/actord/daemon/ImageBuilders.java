package io.actord.daemon;

import io.actord.daemon.build.ImageBuilder;
import io.actord.daemon.builds.UnavailableBuilder;
import io.actord.daemon.image.ImageImporter;
import io.actord.daemon.image.NamedImages;
import io.actord.runtime.ContainerRuntime;

/**
 * Makes the daemon's {@link ImageBuilder} from the parts a builder works with. {@link #DEFAULT} is what
 * {@link ActorDaemon#start} uses: the Dockerfile builder plugs in there (today every build fails with
 * {@value UnavailableBuilder#MESSAGE}); tests pass their own.
 */
@FunctionalInterface
public interface ImageBuilders {
    ImageBuilders DEFAULT = parts -> new UnavailableBuilder();

    ImageBuilder open(Parts parts);

    /**
     * What a builder may use: the daemon's configuration (state directory, network), the runtime its RUN steps'
     * containers run on, the importer (with the layer store it writes layers to) and the named base images.
     */
    record Parts(DaemonConfig config, ContainerRuntime runtime, ImageImporter importer, NamedImages images) {
    }
}
