/**
 * The run options an actor's default run options and a run both carry, as checked values:
 * {@link io.actord.daemon.runoptions.RunSize} (Apify's sizing rule, the one place it lives, mapped to cgroup
 * resources and a disk limit) and {@link io.actord.daemon.runoptions.RunNetwork}. It sits below both
 * {@code actor} and {@code run}, so neither needs the other for them.
 */
package io.actord.daemon.runoptions;
