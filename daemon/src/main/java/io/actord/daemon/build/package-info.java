/**
 * The front end of builds from source (#21): the Dockerfile parser ({@link io.actord.daemon.build.DockerfileParser},
 * BuildKit's dockerfile frontend rules), Docker's variable substitution ({@link io.actord.daemon.build.Substitution}),
 * the per-stage evaluator that turns parsed instructions into resolved steps
 * ({@link io.actord.daemon.build.StageState}),
 * {@code .dockerignore} matching ({@link io.actord.daemon.build.DockerIgnore}, moby/patternmatcher's rules) and the
 * build context walker ({@link io.actord.daemon.build.BuildContext}). Pure: no process, container or store here.
 */
package io.actord.daemon.build;
