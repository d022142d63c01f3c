package io.actord.daemon.standby;

import io.actord.daemon.actor.ActorService;
import io.actord.daemon.proxy.ContainerAddressResolver;
import io.actord.daemon.run.ContainerUrls;
import io.actord.daemon.run.RunService;
import io.actord.daemon.run.ServerReadiness;
import io.actord.daemon.user.UserService;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the standby service works with: all of it is what the daemon already has.
 *
 * @param resolver   the container-URL proxy's resolver, which routes standby URLs here and knows each run's endpoint
 * @param urls       the standby-URL format
 * @param readiness  when a run's server accepts connections
 * @param worker     where the blocking parts run (token and actor look-ups, run starts)
 * @param timers     where the pools' sweep runs (a short task every {@value StandbyService#SWEEP_MILLIS} ms)
 * @param waitLimit  how long a request waits for a run, and a new run may take to become ready
 * @param queueLimit how many requests may wait at once per pool
 */
public record StandbyParts(ActorService actors, UserService users, RunService runs, ContainerAddressResolver resolver,
                           ContainerUrls urls, ServerReadiness readiness, Executor worker,
                           ScheduledExecutorService timers, Duration waitLimit, int queueLimit) {
}
