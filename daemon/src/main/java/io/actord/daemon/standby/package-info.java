/**
 * Actor Standby's serving side: requests to an actor's standby URL (its format is
 * {@link io.actord.daemon.run.ContainerUrls}'s) are authenticated with the platform's API token, which is taken
 * out of them, and relayed by the container-URL proxy to one of the actor's standby runs.
 * {@link io.actord.daemon.standby.StandbyPool} keeps those runs per actor and user: it picks the ready run
 * with the fewest requests in flight, starts runs as requests outgrow them, holds requests (bounded) while
 * one cold-starts, stops runs that idle and aborts runs whose server never listens; its decisions are
 * {@link io.actord.daemon.standby.PoolPlan}'s, which does no I/O.
 */
package io.actord.daemon.standby;
