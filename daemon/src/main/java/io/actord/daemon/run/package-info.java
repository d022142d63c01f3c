/**
 * Runs and their lifecycle. {@link io.actord.daemon.run.RunStateMachine} is the pure transition function;
 * {@link io.actord.daemon.run.RunService} takes the API's commands and queries; one
 * {@link io.actord.daemon.run.RunSupervisor} per active run applies events on its own serial executor
 * (store the new status, then act); {@link io.actord.daemon.run.RunRecovery} settles the runs a previous
 * daemon left active; {@link io.actord.daemon.run.ContainerSpecFactory} is the one place Apify run options
 * become a container spec.
 */
package io.actord.daemon.run;
