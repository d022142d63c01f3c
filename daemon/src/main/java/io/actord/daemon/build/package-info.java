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
 */
package io.actord.daemon.build;
