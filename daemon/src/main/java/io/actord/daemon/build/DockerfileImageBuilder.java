package io.actord.daemon.build;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.build.BuildFailedException.Cause;
import io.actord.daemon.image.Compression;
import io.actord.daemon.image.ImageException;
import io.actord.daemon.image.ImageImporter;
import io.actord.daemon.image.NamedImages;
import io.actord.daemon.state.StateStore;
import io.actord.runtime.ContainerRuntime;
import io.actord.runtime.LayerFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * The builder: parses the request's Dockerfile, builds the stages the last one needs in Dockerfile order (see
 * {@link StageSelection}, {@link StageWalk}) and returns the last stage's image. Its step containers are sized and
 * networked by the request, named {@code BUILDID-STEP} and live only for their step; its layers go into the layer
 * store shared with imports, held there by the cache's references (and, for the returned image, by the caller's).
 * Thread-safe: each build has its own {@link BuildSession}.
 * <p>In the composition root (the store opened with {@link BuildTables#ALL} among its tables):
 * <pre>{@code
 * new DockerfileImageBuilder(runtime, importer, new NamedImages(store, layers, clock), store,
 *         dns.<StepDns>map(d -> d::serve).orElse(StepDns.NONE), config.containersDir(), LayerFiles.kernel(),
 *         new Compression(config.libDir().resolve("native")), clock)
 * }</pre>
 */
public final class DockerfileImageBuilder implements ImageBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(DockerfileImageBuilder.class);

    private final ImageImporter importer;
    private final BaseImages bases;
    private final BuildCache cache;
    private final StepRunner runner;
    private final LayerFiles files;
    private final Compression compression;

    /**
     * @param containersDir where step containers get their scratch directories (the runs' containers directory)
     * @param dns           the resolver of egress steps ({@link StepDns#NONE} without an egress network)
     * @param compression   how ADD opens compressed archives
     * @param missing       how a named base image's layers that the store lacks are brought (from a cluster's peers)
     */
    public DockerfileImageBuilder(ContainerRuntime runtime, ImageImporter importer, NamedImages named,
                                  MissingLayers missing, StateStore store, StepDns dns, Path containersDir,
                                  LayerFiles files, Compression compression, Clock clock) {
        this.importer = importer;
        this.bases = new BaseImages(named, importer, missing);
        this.cache = new BuildCache(store, importer.store(), clock);
        this.runner = new StepRunner(runtime, dns, containersDir, files);
        this.files = files;
        this.compression = compression;
    }

    @Override
    public BuiltImage build(BuildRequest request, BuildOutput out, BuildControl control) {
        long started = System.nanoTime();
        Dockerfile dockerfile;
        BuildArgs args;
        BuildContext context;
        TreeSet<Integer> needed;
        try {
            Path file = dockerfilePath(request);
            dockerfile = DockerfileParser.parse(Files.readString(file, StandardCharsets.UTF_8));
            args = new BuildArgs(dockerfile, request.buildArgs());
            context = BuildContext.open(request.context(), file);
            needed = StageSelection.needed(dockerfile, args);
        } catch (DockerfileException e) {
            throw invalid(e, out, OptionalInt.empty());
        } catch (IOException e) {
            throw invalid(new DockerfileException("read the Dockerfile " + request.dockerfile() + ": "
                    + e.getMessage()), out, OptionalInt.empty());
        }
        dockerfile.warnings().forEach(w -> out.system("[Warning] " + w));
        if (!args.unused().isEmpty()) {
            out.system("[Warning] One or more build-args " + args.unused() + " were not consumed");
        }
        try (BuildSession session = new BuildSession(request, out, control, importer,
                StageSelection.steps(dockerfile, needed))) {
            BuiltImage image = walk(dockerfile, args, context, needed, session);
            out.system("Successfully built: " + image.layers().size() + " layers, " + image.cachedSteps()
                    + " of " + image.steps() + " steps from the cache");
            LOG.info("build={} built layers={} steps={} cached={} ms={}", request.buildId(), image.layers().size(),
                    image.steps(), image.cachedSteps(), (System.nanoTime() - started) / 1_000_000);
            return image;
        }
    }

    private BuiltImage walk(Dockerfile dockerfile, BuildArgs args, BuildContext context, TreeSet<Integer> needed,
                            BuildSession session) {
        StageWalk.Builder services = new StageWalk.Builder(bases, cache, runner, context, files, compression);
        Map<Integer, BaseImage> done = new HashMap<>();
        try {
            StageWalk last = null;
            for (int index : needed) {
                last = walker(services, session, dockerfile, args, index, done);
                done.put(index, last.build());
            }
            BaseImage image = done.get(dockerfile.stages().size() - 1);
            StageState state = last.state();
            return new BuiltImage(image.layers(), image.settings().entrypoint(), image.settings().cmd(), state.env(),
                    state.workdir(), state.user(), image.settings().labels(), session.cachedSteps(), session.steps());
        } catch (DockerfileException e) {
            throw invalid(e, session.out(), session.line());
        } catch (ImageException | ApiException e) {
            session.checkCancelled();
            throw session.failure(Cause.INVALID, "line " + session.line().orElse(0) + ": " + e.getMessage());
        } catch (BuildFailedException e) {
            throw e;
        } catch (RuntimeException e) {
            session.checkCancelled();
            session.out().system("line " + session.line().orElse(0) + ": internal error: " + e.getMessage());
            throw e;
        }
    }

    private StageWalk walker(StageWalk.Builder services, BuildSession session, Dockerfile dockerfile, BuildArgs args,
                             int index, Map<Integer, BaseImage> done) {
        return new StageWalk(services, session, dockerfile, args, dockerfile.stages().get(index), i -> {
            BaseImage built = done.get(i);
            if (built == null) { // a --from the selection could not resolve: built on first use
                built = walker(services, session, dockerfile, args, i, done).build();
                done.put(i, built);
            }
            return built;
        });
    }

    private static BuildFailedException invalid(DockerfileException e, BuildOutput out, OptionalInt current) {
        OptionalInt line = e.line().isPresent() ? e.line() : current;
        out.system(e.getMessage());
        return new BuildFailedException(Cause.INVALID, line, e.getMessage());
    }

    /** The Dockerfile's path, which must lie inside the context and be a regular file. */
    private static Path dockerfilePath(BuildRequest request) {
        Path context = request.context().toAbsolutePath().normalize();
        Path file = context.resolve(request.dockerfile()).normalize();
        if (!file.startsWith(context) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new DockerfileException("Dockerfile " + request.dockerfile() + ": no such file in the build"
                    + " context");
        }
        return file;
    }
}
