/**
 * A run's view of the daemon from inside its container: the in-run API endpoint, a listener opened in the
 * container's network namespace at 127.0.0.1 that serves the whole API to that run under the run's own
 * token, and the platform events sent to the actor over a WebSocket on it ({@link io.actord.daemon.inrun.RunEvents}).
 * {@link io.actord.daemon.inrun.RunEndpoints} puts the endpoint's parts together: the sockets
 * ({@code RunApiServer}), what the container's environment points at ({@code RunApiAccess}) and when a run's
 * listener opens and closes ({@link io.actord.daemon.inrun.RunEndpointListener}).
 */
package io.actord.daemon.inrun;
