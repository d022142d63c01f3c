/**
 * Builds from source (#21). The contract with the caller: {@link io.actord.daemon.build.ImageBuilder} takes a
 * {@link io.actord.daemon.build.BuildRequest} and makes a {@link io.actord.daemon.build.BuiltImage}, writing to a
 * {@link io.actord.daemon.build.BuildOutput} and stopped through a {@link io.actord.daemon.build.BuildControl}.
 * <p>The front end, pure Java with no process, container or store: the Dockerfile parser
 * ({@link io.actord.daemon.build.DockerfileParser}, BuildKit's dockerfile frontend rules), Docker's variable
 * substitution ({@link io.actord.daemon.build.Substitution}), the per-stage evaluator that turns parsed instructions
 * into resolved steps ({@link io.actord.daemon.build.StageState}), {@code .dockerignore} matching
 * ({@link io.actord.daemon.build.DockerIgnore}, moby/patternmatcher's rules) and the build context walker
 * ({@link io.actord.daemon.build.BuildContext}).
 * <p>The builder's walk: {@code parse} the Dockerfile; make one {@code BuildArgs} from it and the build's arguments
 * (log {@code unused()} as Docker's warning); for each stage {@code StageState.start}, look up {@code base()} (or
 * {@code baseStage()}), {@code inherit} the base's env, working directory and user, then {@code apply} each
 * instruction and execute the {@code ResolvedInstruction}; COPY sources come from {@code BuildContext.sources}.
 * Every {@link io.actord.daemon.build.DockerfileException} names the Dockerfile line when there is one.
 * <p>The engine, {@link io.actord.daemon.build.DockerfileImageBuilder}: {@code StageSelection} picks the stages the
 * last one needs, {@code StageWalk} walks each ({@code BaseImages} for FROM, {@code StepRunner} for RUN in a step
 * container whose writable layer becomes the layer, {@code CopyPlanner}/{@code CopyPlan} for COPY and ADD,
 * {@code LayerStack} to read a stage's files from its layers), {@code BuildCache} (table {@code build_cache},
 * {@link io.actord.daemon.build.BuildTables}) reuses steps, and {@code BuildSession} holds one build's layers
 * pinned until it ends.
 */
package io.actord.daemon.build;
