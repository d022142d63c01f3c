package io.actord.daemon.standby;

import io.actord.daemon.actor.Actor;
import io.actord.daemon.actor.ActorService;
import io.actord.daemon.proxy.ContainerAddressResolver;
import io.actord.daemon.run.RunService;
import io.actord.daemon.run.StartRequest;
import io.actord.daemon.user.UserService;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the standby service works with, made from what the daemon already has.
 *
 * @param readiness  when a run's server accepts connections
 * @param addresses  which requests are standby requests, and for which actor
 * @param model      an actor's standby options
 * @param worker     where the blocking parts run (token and actor look-ups, run starts)
 * @param timers     where the pools' sweep runs
 * @param waitLimit  how long a request waits for a run, and a new run may take to become ready
 * @param queueLimit how many requests may wait at once per pool
 */
record StandbyParts(ActorService actors, UserService users, RunService runs, ContainerAddressResolver resolver,
                    Readiness readiness, Addresses addresses, Model model, Executor worker,
                    ScheduledExecutorService timers, Duration waitLimit, int queueLimit) {
    /** When a run's server accepts connections. */
    @FunctionalInterface
    interface Readiness {
        CompletableFuture<?> ready(String runId);
    }

    /** A request's standby URL, if it is one (no I/O). */
    @FunctionalInterface
    interface Addresses {
        Optional<StandbyAddress> parse(String host, String uri);
    }

    /** An actor's standby options, as the pool needs them. */
    interface Model {
        boolean enabled(Actor actor);

        Limits limits(Actor actor);

        /** What a new standby run of the actor is started with (origin STANDBY, the standby build and memory). */
        StartRequest startRequest(Actor actor);
    }

    /** desiredRequestsPerActorRun, maxRequestsPerActorRun, idleTimeoutSecs. */
    record Limits(int desired, int max, long idleSecs) {
    }
}
