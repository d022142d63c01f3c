package io.actord.daemon.run;

import io.actord.daemon.actor.ActorService;
import io.actord.daemon.log.RunLogs;
import io.actord.daemon.storage.RunStorages;
import io.actord.runtime.ContainerRuntime;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every {@link RunSupervisor} shares: the runtime, the in-run API that issues run tokens, the services it reads builds and storages from, the
 * log files, the resource-sample series, the timer thread, the pool its serial executor runs on, and the tunables.
 *
 * @param grace     how long a graceful abort or a timeout waits for the workload before killing it (Apify: 30 s)
 * @param exitDrain how long to wait, once the container exited, for the rest of its output to arrive
 */
record RunContext(ContainerRuntime runtime, ContainerSpecFactory specs, InRunApi inRun, ActorService actors, RunStorages storages,
                  RunLogs logs, RunFiles files, RunSamples samples, ScheduledExecutorService timers, Executor pool,
                  Clock clock, Duration grace, Duration exitDrain) {
}
