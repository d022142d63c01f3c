package io.actord.daemon.build;

import io.actord.daemon.runoptions.RunNetwork;
import io.actord.daemon.runoptions.RunSize;

import java.nio.file.Path;
import java.util.Map;

/**
 * One build to make.
 *
 * @param buildId    the build's id: names its step containers and its cache entries' owner in the log
 * @param context    the build context: a directory the builder only reads (the caller removes it afterwards)
 * @param dockerfile the Dockerfile's path relative to {@code context} ("Dockerfile", ".actor/Dockerfile")
 * @param buildArgs  {@code --build-arg} values
 * @param useCache   false: every step is executed again, none is taken from the cache
 * @param size       memory of each RUN step's container; CPU and disk follow Apify's rule as for runs
 * @param network    how RUN steps reach the network (as a run would)
 */
public record BuildRequest(String buildId, Path context, String dockerfile, Map<String, String> buildArgs,
                           boolean useCache, RunSize size, RunNetwork network) {
    public BuildRequest {
        buildArgs = Map.copyOf(buildArgs);
    }
}
