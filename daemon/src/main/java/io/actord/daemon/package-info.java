/**
 * The composition root: {@link io.actord.daemon.ActorDaemon} opens the state, makes the services of the packages
 * below, recovers runs and starts the HTTP servers (and stops them in the reverse order);
 * {@link io.actord.daemon.DaemonConfig} reads the flags, {@link io.actord.daemon.Runtimes} picks the container
 * runtime, {@link io.actord.daemon.FullStop} and {@link io.actord.daemon.DaemonThreads} handle the stop and the
 * thread pools. Nothing below imports this package; shared utilities live in {@code common}.
 */
package io.actord.daemon;
