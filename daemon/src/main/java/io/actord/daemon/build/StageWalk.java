package io.actord.daemon.build;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.build.ResolvedInstruction.Copy;
import io.actord.daemon.build.ResolvedInstruction.CopySource;
import io.actord.daemon.image.BuildUser;
import io.actord.daemon.image.Digest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Builds one stage: resolves its base, then applies each instruction through {@link StageState} and executes what
 * it resolves to: a RUN in a container ({@link StepRunner}), a COPY or ADD as a layer of files ({@link CopyPlanner}),
 * a missing working directory as a layer of directories, the rest as the image's config (EXPOSE, VOLUME,
 * HEALTHCHECK, STOPSIGNAL and MAINTAINER only as a warning in the log). Steps that make layers go through the
 * {@link BuildCache}. Not thread-safe.
 */
final class StageWalk {
    private final Builder builder;
    private final BuildSession session;
    private final Stage stage;
    private final StageState state;
    private final IntFunction<BaseImage> stages;
    private final List<Digest> layers = new ArrayList<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private String key;
    private List<String> entrypoint;
    private List<String> cmd;
    private boolean cmdSet;

    /** The services a walk uses, the same for every stage of a build. */
    record Builder(BaseImages bases, BuildCache cache, StepRunner runner, BuildContext context,
                   io.actord.runtime.LayerFiles files, io.actord.daemon.image.Compression compression) {
    }

    /** {@code stages}: an earlier stage's result by index (built when first asked for). */
    StageWalk(Builder builder, BuildSession session, Dockerfile dockerfile, BuildArgs args, Stage stage,
              IntFunction<BaseImage> stages) {
        this.builder = builder;
        this.session = session;
        this.stage = stage;
        this.state = StageState.start(dockerfile, stage, args);
        this.stages = stages;
    }

    /** Builds the stage and returns its image, which a later stage may start from or copy out of. */
    BaseImage build() {
        session.begin(stage.from());
        BaseImage base = state.baseStage().map(stages::apply).orElseGet(() -> builder.bases().resolve(state.base(),
                stage.from().line(), session.pin(), session.imports()));
        if (state.baseStage().isEmpty()) {
            // An imported base (oci:, docker-archive:) has no name to hold its layers once the build's pin goes.
            builder.cache().record(base.key(), Optional.empty(), base.layers(), session.request().buildId());
        }
        ImageSettings settings = base.settings();
        state.inherit(settings.envMap(), settings.workDir(), settings.user());
        layers.addAll(base.layers());
        key = base.key();
        entrypoint = settings.entrypoint();
        cmd = settings.cmd();
        labels.putAll(settings.labels());
        for (Instruction instruction : stage.instructions()) {
            session.begin(instruction);
            execute(state.apply(instruction), instruction);
        }
        List<String> env = state.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        return new BaseImage(layers, new ImageSettings(entrypoint, cmd, env, state.workdir(), state.user(), labels),
                key);
    }

    StageState state() {
        return state;
    }

    private void execute(ResolvedInstruction step, Instruction instruction) {
        if (step instanceof ResolvedInstruction.Run run) {
            directory(run.workdir());
            cached(List.of("RUN", run.argv(), run.env(), run.workdir(), run.user().orElse("")), "", true,
                    () -> builder.runner().run(run, instruction.text(), List.copyOf(layers), stack(), session));
        } else if (step instanceof Copy copy) {
            copy(copy);
        } else if (step instanceof ResolvedInstruction.SetWorkdir w) {
            directory(w.path());
        } else if (step instanceof ResolvedInstruction.SetLabels l) {
            labels.putAll(l.labels());
        } else if (step instanceof ResolvedInstruction.SetCmd c) {
            cmd = c.argv();
            cmdSet = true;
        } else if (step instanceof ResolvedInstruction.SetEntrypoint e) {
            entrypoint = e.argv();
            if (!cmdSet) {
                cmd = List.of(); // Docker: an ENTRYPOINT resets the CMD the base image had
            }
        } else if (step instanceof ResolvedInstruction.Expose || step instanceof ResolvedInstruction.Volume
                || step instanceof ResolvedInstruction.StopSignal || step instanceof ResolvedInstruction.SetHealthcheck
                || step instanceof ResolvedInstruction.SetMaintainer) {
            session.out().system("[Warning] line " + step.line() + ": " + instruction.keyword()
                    + " is not kept in actord's images and has no effect");
        }
        // ENV, ARG, USER, SHELL: StageState keeps them.
    }

    private void copy(Copy copy) {
        LayerStack image = stack();
        Optional<BuildUser> owner;
        try {
            owner = copy.chown().map(c -> BuildUser.forChown(c, image.topFirst()));
        } catch (ApiException e) {
            throw DockerfileException.at(copy.line(), "--chown=" + copy.chown().orElse("") + ": " + e.getMessage());
        }
        SourceTree tree = copy.from().map(this::tree).orElseGet(() -> SourceTree.of(builder.context()));
        CopyPlan plan = new CopyPlanner(copy, image, owner, builder.compression()).plan(tree);
        String inputs;
        try {
            inputs = plan.inputs();
        } catch (IOException e) {
            throw new UncheckedIOException("read the sources of line " + copy.line() + ": " + e.getMessage(), e);
        }
        cached(List.of(copy.add() ? "ADD" : "COPY", copy.destination(), copy.chown().orElse(""),
                copy.chmod().orElse("")), inputs, true, () -> Optional.of(session.store(plan::write, "line " + copy.line()
                + " of build " + session.request().buildId())));
    }

    private SourceTree tree(CopySource from) {
        BaseImage source = from instanceof CopySource.StageOutput s ? stages.apply(s.index())
                : builder.bases().resolve(((CopySource.Image) from).reference(), session.line().orElse(0),
                session.pin(), session.imports());
        return SourceTree.of(new LayerStack(session.paths(source.layers()), builder.files()));
    }

    /** Makes {@code path} (absolute) a directory when the image lacks it, as Docker does for WORKDIR and RUN. */
    private void directory(String path) {
        String relative = CopyPlanner.relative(path);
        if (stack().isDirectory(relative)) {
            return;
        }
        List<CopyPlan.Item> items = new ArrayList<>();
        String dir = "";
        LayerStack image = stack();
        for (String part : LayerStack.parts(relative)) {
            dir = dir.isEmpty() ? part : dir + "/" + part;
            if (!image.isDirectory(dir)) {
                items.add(new CopyPlan.Member(io.actord.daemon.image.TarEntry.directory(dir + "/", 0755),
                        Optional.empty()));
            }
        }
        CopyPlan plan = new CopyPlan(items, builder.compression());
        cached(List.of("MKDIR", path), "", false, () -> Optional.of(session.store(plan::write, "directory " + path
                + " of build " + session.request().buildId())));
    }

    /**
     * Takes the step from the cache when allowed and there, else executes it and records it. {@code counted}: a
     * step of the Dockerfile's (a hit is logged and counted), not one the builder adds (a working directory).
     */
    private void cached(List<?> instruction, String inputs, boolean counted, Supplier<Optional<Digest>> execute) {
        String stepKey = BuildCache.stepKey(key, instruction, inputs);
        Optional<Optional<Digest>> hit = session.request().useCache()
                ? builder.cache().find(stepKey, session.pin()) : Optional.empty();
        Optional<Digest> layer;
        if (hit.isPresent()) {
            if (counted) {
                session.cached();
            }
            layer = hit.get();
        } else {
            layer = execute.get();
        }
        layer.ifPresent(layers::add);
        key = BuildCache.imageKey(stepKey, layer);
        if (hit.isEmpty()) {
            builder.cache().record(stepKey, layer, layers, session.request().buildId());
        }
    }

    private LayerStack stack() {
        return new LayerStack(session.paths(layers), builder.files());
    }
}
