package io.actord.daemon.build;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.image.Digest;
import io.actord.daemon.image.ImageConfig;
import io.actord.daemon.image.ImageException;
import io.actord.daemon.image.ImageImporter;
import io.actord.daemon.image.ImportedImage;
import io.actord.daemon.image.LayerStore;
import io.actord.daemon.image.NamedImage;
import io.actord.daemon.image.NamedImages;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds what a {@code FROM} (or {@code COPY --from}) names outside the Dockerfile: {@code scratch}; an image kept
 * under a name ({@code apify/actor-node:20}); an image on the daemon's host ({@code oci:PATH[:TAG]},
 * {@code docker-archive:PATH}), imported for the build. A named image's layers that this host lacks are brought first
 * ({@link MissingLayers}: in a cluster, from the host that has them). No registry is reached: {@code docker://} is refused with
 * how to bring the image in instead. Every failure names the Dockerfile line.
 */
final class BaseImages {
    private final NamedImages named;
    private final ImageImporter importer;
    private final MissingLayers missing;

    BaseImages(NamedImages named, ImageImporter importer, MissingLayers missing) {
        this.named = named;
        this.importer = importer;
        this.missing = missing;
    }

    /**
     * The image {@code reference} names; its layers are pinned to {@code pin}, an import's stays open in
     * {@code imports} (the caller closes them when the build ends).
     */
    BaseImage resolve(String reference, int line, LayerStore.Pin pin, List<ImportedImage> imports) {
        if (reference.equalsIgnoreCase("scratch")) {
            return BaseImage.of(List.of(), ImageSettings.NONE);
        }
        String lower = reference.toLowerCase(Locale.ROOT);
        if (lower.startsWith("docker://")) {
            throw DockerfileException.at(line, reference + ": actord reaches no registry; copy the image on a machine"
                    + " that can (skopeo copy " + reference + " oci:DIR:TAG), then actorctl images import NAME oci:DIR:TAG"
                    + " and use that name");
        }
        if (lower.startsWith("oci:") || lower.startsWith("oci-archive:") || lower.startsWith("docker-archive:")) {
            return imported(reference, line, imports);
        }
        if (lower.startsWith("sha256:") || reference.contains("@")) {
            throw DockerfileException.at(line, reference + ": images are found by name, not by digest (the store"
                    + " keeps no image digests); name the image with actorctl images import and use that name");
        }
        String name;
        try {
            name = NamedImages.normalize(reference);
        } catch (ApiException e) {
            throw DockerfileException.at(line, e.getMessage());
        }
        NamedImage image = named.find(name).orElseThrow(() -> DockerfileException.at(line, "no image named " + name
                + " in the store: import it first (actorctl images import " + name + " oci:DIR:TAG)"));
        List<Digest> layers = image.layers().stream().map(Digest::parse).toList();
        try {
            missing.fetch(layers, "image " + name);
        } catch (ImageException e) {
            throw DockerfileException.at(line, "image " + name + ": " + e.getMessage());
        }
        for (Digest d : layers) {
            if (!importer.store().has(d, pin)) {
                throw DockerfileException.at(line, "image " + name + ": its layer " + d + " is missing from the"
                        + " layer store");
            }
        }
        return BaseImage.of(layers, settings(image.config()));
    }

    private BaseImage imported(String reference, int line, List<ImportedImage> imports) {
        ImportedImage image;
        try {
            image = importer.importImage(reference);
        } catch (ImageException | UncheckedIOException e) {
            throw DockerfileException.at(line, "import " + reference + ": " + e.getMessage());
        }
        imports.add(image);
        return BaseImage.of(image.layers(), settings(image.config()));
    }

    static ImageSettings settings(ImageConfig config) {
        return new ImageSettings(config.entrypoint(), config.cmd(), config.env(), config.workingDir().orElse("/"),
                config.user(), Map.of());
    }
}
