package io.actord.daemon.builds;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.actor.Build;
import io.actord.daemon.actor.BuildStatus;
import io.actord.daemon.actor.BuildStore;
import io.actord.daemon.image.BuildUser;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.input.BuildDefinitions;
import io.actord.daemon.input.InvalidSchemaException;
import io.actord.daemon.build.BuildFailedException;
import io.actord.daemon.build.BuildOutput;
import io.actord.daemon.build.BuildRequest;
import io.actord.daemon.build.BuiltImage;
import io.actord.daemon.build.ImageBuilder;
import io.actord.daemon.image.Digest;
import io.actord.daemon.image.ImageException;
import io.actord.daemon.runlog.RunLog;
import io.actord.daemon.runoptions.RunNetwork;
import io.actord.daemon.runoptions.RunSize;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a build does once the host has room for it, on a build thread: RUNNING, the source into the context, the
 * actor definition read, the builder run, and the end: SUCCEEDED with the image's layers and the recipe its runs
 * start with (command = ENTRYPOINT + CMD, environment, working directory, USER resolved in the image's files), or
 * FAILED with the builder's message as the log's last line, or the status its stop asked for.
 */
final class BuildExecution {
    /** How a build ends: stored (unless it SUCCEEDED, which is stored already), logged, and its waiters told. */
    @FunctionalInterface
    interface Ending {
        void end(BuildJob job, Build ended, String lastLine);
    }

    private static final Logger LOG = LoggerFactory.getLogger(BuildExecution.class);

    private final ImageBuilder builder;
    private final SourceContext source;
    private final Function<Digest, Path> layers;
    private final RunNetwork network;
    private final BuildStore store;
    private final Ending ending;
    private final Clock clock;

    BuildExecution(ImageBuilder builder, SourceContext source, Function<Digest, Path> layers, RunNetwork network,
                   BuildStore store, Ending ending, Clock clock) {
        this.builder = builder;
        this.source = source;
        this.layers = layers;
        this.network = network;
        this.store = store;
        this.ending = ending;
        this.clock = clock;
    }

    /** Runs the build in the private directory {@code dir} (its context goes in {@code dir/context}). */
    void execute(BuildJob job, Path dir) {
        Build build = job.created();
        RunLog log = job.log();
        try {
            if (job.control().cancelled().isPresent()) {
                ending.end(job, build.withStatus(stopStatus(job), clock.instant()), stopMessage(job));
                return;
            }
            build = build.withStatus(BuildStatus.RUNNING, null);
            store.update(build);
            log.system("Build " + build.buildNumber() + " of version " + job.version().versionNumber() + " ("
                    + job.version().sourceType() + ") started: memory " + build.options().memoryMbytes()
                    + " MB, timeout " + build.options().timeoutSecs() + " s" + (build.options().useCache()
                    ? ", with the cache" : ""));
            Path context = dir.resolve("context");
            Files.createDirectory(context);
            writeSource(job, context);
            Optional<JsonNode> actorJson = SourceContext.actorJson(context);
            if (actorJson.isPresent()) {
                build = build.withActorDefinition(SourceContext.definition(context, actorJson.get()));
                store.update(build);
                BuildDefinitions.check(build.actorDefinition());
            }
            String dockerfile = SourceContext.dockerfile(context, actorJson);
            log.system("Building from " + dockerfile);
            BuiltImage image = builder.build(new BuildRequest(build.id(), context, dockerfile, job.buildArgs(),
                    build.options().useCache(), RunSize.of(build.options().memoryMbytes()), network), output(log),
                    job.control());
            if (job.control().cancelled().isPresent()) {
                ending.end(job, build.withStatus(stopStatus(job), clock.instant()), stopMessage(job));
                return;
            }
            Build done = succeeded(build, image);
            if (!store.succeed(done, List.of(job.tag()))) {
                ending.end(job, build.withStatus(BuildStatus.FAILED, clock.instant()), "the build was deleted, or"
                        + " failed by another host as this one had left the cluster, while it ran");
                return;
            }
            ending.end(job, done, "Build succeeded: " + image.layers().size() + " layers, " + image.cachedSteps()
                    + " of " + image.steps() + " steps from the cache; tagged " + job.tag());
        } catch (BuildFailedException | SourceException | ImageException | ApiException | InvalidSchemaException e) {
            failed(job, build, e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            failed(job, build, "read the source: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("build={} failed with an internal error", job.id(), e);
            failed(job, build, "the build failed with an internal error (the daemon's log has it)");
        }
    }

    /** FAILED with {@code message} last in the log, or, once the build was stopped, what its stop asked for. */
    private void failed(BuildJob job, Build build, String message) {
        boolean stopped = job.control().cancelled().isPresent();
        ending.end(job, build.withStatus(stopped ? stopStatus(job) : BuildStatus.FAILED, clock.instant()),
                stopped ? stopMessage(job) : message);
    }

    /**
     * Writes the source into the context; a stop meanwhile interrupts this thread, which ends a tarball's download
     * (the builder's own steps are stopped by its hook on the control).
     */
    private void writeSource(BuildJob job, Path context) throws IOException {
        Thread self = Thread.currentThread();
        AutoCloseable hook = job.control().onCancel(self::interrupt);
        try {
            source.write(job.version(), context, job.caller());
        } finally {
            closeHook(hook);
            Thread.interrupted(); // a stop that came meanwhile is seen through the control, not the flag
        }
        if (job.control().cancelled().isPresent()) {
            throw new SourceException(stopMessage(job));
        }
    }

    private static void closeHook(AutoCloseable hook) {
        try {
            hook.close();
        } catch (Exception e) {
            throw new IllegalStateException("remove a stop hook", e);
        }
    }

    /**
     * The build SUCCEEDED with {@code image}; it FAILS instead when the image has nothing to start, no layer, or a
     * USER that is not in its files.
     */
    private Build succeeded(Build build, BuiltImage image) {
        List<String> command = new ArrayList<>(image.entrypoint());
        command.addAll(image.cmd());
        if (command.isEmpty()) {
            throw new SourceException("the image has no ENTRYPOINT or CMD: its runs would have nothing to start");
        }
        if (image.layers().isEmpty()) {
            throw new SourceException("the image has no layers (FROM scratch and nothing added): its runs would"
                    + " have no filesystem");
        }
        List<Path> topFirst = new ArrayList<>(image.layers().stream().map(layers).toList());
        Collections.reverse(topFirst);
        BuildUser user = BuildUser.resolve(image.user().orElse(null), topFirst);
        return build.succeeded(clock.instant(), image.layers().stream().map(Digest::toString).toList(), command,
                image.env(), image.workDir(), user);
    }

    private static BuildStatus stopStatus(BuildJob job) {
        BuildJob.Stop why = job.stop().get();
        return why == null ? BuildStatus.FAILED : why.status;
    }

    private static String stopMessage(BuildJob job) {
        BuildJob.Stop why = job.stop().get();
        return why == null ? "the build was cancelled" : why.message;
    }

    private static BuildOutput output(RunLog log) {
        return new BuildOutput() {
            @Override
            public void append(byte[] buf, int off, int len) {
                log.append(buf, off, len);
            }

            @Override
            public void system(String message) {
                log.system(message);
            }
        };
    }
}
