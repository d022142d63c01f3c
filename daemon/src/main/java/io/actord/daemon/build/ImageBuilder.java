package io.actord.daemon.build;

/**
 * Makes an image from a Dockerfile and its build context: each {@code RUN} in a container of the image so far
 * (under the request's size and network), each {@code COPY}/{@code ADD} a layer of the context's files, the
 * other instructions the image's config; steps whose inputs match an earlier build reuse its layer when the
 * request allows. The lifecycle around it (statuses, where the log is kept, admission, timeout, abort) is the
 * caller's, which stops a build through its {@link BuildControl}.
 */
public interface ImageBuilder {
    /**
     * Builds the last stage of the request's Dockerfile.
     *
     * @param out     the build log: the builder's own lines and what the steps' processes write
     * @param control cancelled by the caller to stop the build (abort, timeout); the step under way is killed
     * @throws BuildFailedException when a step fails, the Dockerfile is wrong (naming the line) or the build was
     *                              cancelled
     */
    BuiltImage build(BuildRequest request, BuildOutput out, BuildControl control);
}
