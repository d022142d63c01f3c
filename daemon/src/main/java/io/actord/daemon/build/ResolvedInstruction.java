package io.actord.daemon.build;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An instruction after {@link StageState} applied it: variables substituted, paths made absolute, shell forms turned
 * into a full argv with the stage's shell. The builder executes these and needs no Dockerfile rules of its own.
 */
public sealed interface ResolvedInstruction {
    /** The 1-based Dockerfile line, for the build log. */
    int line();

    /**
     * A command to run in a container of the image so far.
     *
     * @param env the environment of the step: the stage's ENV over its ARG values (ARGs are not kept in the image)
     */
    record Run(int line, List<String> argv, Map<String, String> env, String workdir, Optional<String> user)
            implements ResolvedInstruction {
    }

    /**
     * {@code COPY} or {@code ADD} ({@code add}: a local tar source is extracted).
     *
     * @param from        empty: the build context
     * @param sources     as written after substitution, relative to the context or the stage's root
     * @param destination absolute; ends with '/' when Docker takes it as a directory
     */
    record Copy(int line, boolean add, Optional<CopySource> from, List<String> sources, String destination,
                Optional<String> chown, Optional<String> chmod) implements ResolvedInstruction {
    }

    /** Where {@code COPY --from} takes its files. */
    sealed interface CopySource {
        /** The result of an earlier stage (0-based). */
        record StageOutput(int index) implements CopySource {
        }

        /** An image from the store, by reference. */
        record Image(String reference) implements CopySource {
        }
    }

    /** {@code ENV}: values to set in the image config, in order. */
    record SetEnv(int line, Map<String, String> values) implements ResolvedInstruction {
    }

    /** {@code ARG}: the values the stage's later steps see (and a cache key must include); not kept in the image. */
    record SetArgs(int line, Map<String, String> values) implements ResolvedInstruction {
    }

    /** {@code LABEL}: labels to set in the image config, in order. */
    record SetLabels(int line, Map<String, String> labels) implements ResolvedInstruction {
    }

    /** {@code WORKDIR}: absolute and clean; Docker creates it if missing. */
    record SetWorkdir(int line, String path) implements ResolvedInstruction {
    }

    record SetUser(int line, String user) implements ResolvedInstruction {
    }

    /** {@code CMD}; the shell form already has the shell in front ({@code /bin/sh -c ...}). */
    record SetCmd(int line, List<String> argv) implements ResolvedInstruction {
    }

    /** {@code ENTRYPOINT}; the shell form already has the shell in front. */
    record SetEntrypoint(int line, List<String> argv) implements ResolvedInstruction {
    }

    record SetShell(int line, List<String> shell) implements ResolvedInstruction {
    }

    /** {@code EXPOSE}: ports as {@code 80/tcp}, {@code 53/udp}, {@code 8000-8010/tcp}. */
    record Expose(int line, List<String> ports) implements ResolvedInstruction {
    }

    record Volume(int line, List<String> paths) implements ResolvedInstruction {
    }

    record StopSignal(int line, String signal) implements ResolvedInstruction {
    }

    record SetHealthcheck(int line, Healthcheck healthcheck) implements ResolvedInstruction {
    }

    /** {@code MAINTAINER} (deprecated in Docker): the image's author. */
    record SetMaintainer(int line, String author) implements ResolvedInstruction {
    }
}
