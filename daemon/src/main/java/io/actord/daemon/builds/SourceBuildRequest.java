package io.actord.daemon.builds;

import io.actord.daemon.access.Caller;
import io.actord.daemon.actor.Build;

import java.util.Optional;

/**
 * What {@code POST /v2/acts/{id}/builds?version=…} asks for (apify-client's {@code actor.build(version, options)}).
 *
 * @param version       the actor version whose source is built ({@code MAJOR.MINOR})
 * @param tag           the tag the build takes when it succeeds; default the version's {@code buildTag}, else latest
 * @param memoryMbytes  default {@value BuildService#DEFAULT_MEMORY_MBYTES} (Apify's)
 * @param timeoutSecs   default {@value BuildService#DEFAULT_TIMEOUT_SECS}; 0: none
 * @param caller        who asks (a TARBALL on this daemon's key-value store is read as them)
 */
public record SourceBuildRequest(String version, Optional<String> tag, boolean useCache, boolean betaPackages,
                                 Optional<Long> memoryMbytes, Optional<Long> timeoutSecs, Build.Meta meta,
                                 Caller caller) {
}
