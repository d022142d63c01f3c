package io.actord.daemon.build;

import io.actord.daemon.image.Digest;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a build made: the final stage's layers (each held in the layer store by this build's cache entries
 * or by the caller's reference) and its config.
 *
 * @param layers      DiffIDs, lowest first: the base image's, then one per step that changed files
 * @param entrypoint  ENTRYPOINT (empty: none)
 * @param cmd         CMD (empty: none)
 * @param env         the image's environment, in order of definition
 * @param workDir     WORKDIR, "/" when never set
 * @param user        USER as written (resolved against the image's files by the caller), empty: root
 * @param labels      LABEL values
 * @param cachedSteps how many steps were taken from the cache
 * @param steps       how many steps the final image went through in all stages
 */
public record BuiltImage(List<Digest> layers, List<String> entrypoint, List<String> cmd, Map<String, String> env,
                         String workDir, Optional<String> user, Map<String, String> labels, int cachedSteps,
                         int steps) {
    public BuiltImage {
        layers = List.copyOf(layers);
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        env = Map.copyOf(env);
        labels = Map.copyOf(labels);
    }
}
