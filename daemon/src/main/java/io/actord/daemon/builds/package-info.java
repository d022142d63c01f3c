/**
 * Builds from source (#21): the lifecycle around the {@link io.actord.daemon.build.ImageBuilder}. A build request
 * takes an actor version's source into a fresh context directory, waits READY for the host's memory with the runs
 * (counted in its user's limit), runs the builder on a bounded pool under a timeout with its log a
 * {@link io.actord.daemon.runlog.RunLog} keyed by the build id, and ends SUCCEEDED (the image's layers and run
 * recipe stored, the tag moved), FAILED, TIMED-OUT or ABORTED. The engine (Dockerfile, steps, cache) is
 * {@code io.actord.daemon.build}'s; the stored builds are {@link io.actord.daemon.actor.BuildStore}'s.
 */
package io.actord.daemon.builds;
