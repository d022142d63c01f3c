/**
 * {@code actorctl exec}: a command run in a running run's container, its stdio streamed over the API connection
 * that asked for it. {@link io.actord.daemon.exec.ExecRoutes} is its route (who may exec, what the body says),
 * {@link io.actord.daemon.exec.RunExecs} knows the runs' containers and starts the command
 * (through the runtime's {@code Container.exec}); {@link io.actord.daemon.exec.ExecStream} takes the upgraded
 * connection and speaks {@link io.actord.daemon.exec.ExecFrames}.
 */
package io.actord.daemon.exec;
