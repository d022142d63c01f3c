/**
 * Runs and their lifecycle, from the API's command to the container and back.
 * {@link io.actord.daemon.run.RunService} checks the API's commands and queries and hands them on;
 * {@link io.actord.daemon.run.RunRepository} stores runs with their indexes;
 * {@link io.actord.daemon.run.ActiveRuns} is the registry of active runs (one supervisor each, host memory
 * admission, retirement). One {@link io.actord.daemon.run.RunSupervisor} per active run serialises its
 * commands and events on its own executor, where {@link io.actord.daemon.run.SupervisedRun} asks the pure
 * {@link io.actord.daemon.run.RunStateMachine}, stores the new status, then acts; it reaches the rest only
 * through {@link io.actord.daemon.run.SupervisorHost}. {@link io.actord.daemon.run.RunRecovery} settles the
 * runs a previous daemon left active, those of {@link io.actord.daemon.run.RunOwner} (this daemon among the daemons
 * that share one database); {@link io.actord.daemon.run.ContainerSpecFactory} is the one place
 * Apify run options become a container spec (a pure function); deletion and retention are
 * {@link io.actord.daemon.run.RunDeletion} and {@link io.actord.daemon.run.RunRetention}.
 */
package io.actord.daemon.run;
