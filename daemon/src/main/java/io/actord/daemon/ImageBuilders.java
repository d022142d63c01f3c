package io.actord.daemon;

import io.actord.daemon.build.DockerfileImageBuilder;
import io.actord.daemon.build.ImageBuilder;
import io.actord.daemon.build.MissingLayers;
import io.actord.daemon.build.StepDns;
import io.actord.daemon.image.Compression;
import io.actord.daemon.image.ImageImporter;
import io.actord.daemon.image.NamedImages;
import io.actord.daemon.state.StateStore;
import io.actord.runtime.ContainerRuntime;
import io.actord.runtime.LayerFiles;

import java.time.Clock;

/**
 * Makes the daemon's {@link ImageBuilder} from the parts a builder works with. {@link #DEFAULT} is what
 * {@link ActorDaemon#start} uses, the Dockerfile builder whose RUN steps are containers of the daemon's runtime;
 * tests may pass a scripted one.
 */
@FunctionalInterface
public interface ImageBuilders {
    ImageBuilders DEFAULT = parts -> new DockerfileImageBuilder(parts.runtime(), parts.importer(), parts.images(),
            parts.missing(), parts.store(), parts.dns(), parts.config().containersDir(), LayerFiles.kernel(), parts.compression(),
            parts.clock());

    ImageBuilder open(Parts parts);

    /**
     * What a builder may use: the daemon's configuration (state directory, network), the runtime its RUN steps'
     * containers run on, the importer (with the layer store it writes layers to), the named base images and how their
     * missing layers are brought, the state store (its cache table), the layers' compression and the runs' resolver for
     * egress steps.
     */
    record Parts(DaemonConfig config, ContainerRuntime runtime, ImageImporter importer, NamedImages images,
                 MissingLayers missing, StateStore store, Compression compression, StepDns dns, Clock clock) {
    }
}
