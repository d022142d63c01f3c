/**
 * Whether a run's web server is up: {@link io.actord.daemon.readiness.ServerProbe} connects to each running
 * container's web-server port from inside its network namespace until it accepts, which makes the Run object's
 * {@code isContainerServerReady} true and is what Actor Standby waits for
 * ({@link io.actord.daemon.run.ServerReadiness}).
 */
package io.actord.daemon.readiness;
