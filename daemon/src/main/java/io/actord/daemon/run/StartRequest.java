package io.actord.daemon.run;

import io.actord.daemon.actor.ActorStandby;
import io.actord.daemon.runoptions.RunNetwork;

import java.util.Optional;

/**
 * What a start request asks for; empty values fall back to the actor's default run options.
 *
 * @param input       the request body, stored as the INPUT record when not empty
 * @param contentType the body's Content-Type, kept with the record
 * @param webhooks    the ad-hoc webhooks option as sent (base64-encoded JSON), for the {@link RunStartListener}
 *                    that keeps them
 * @param actorTaskId the task the run starts from ({@code origin} says who started it), or empty
 * @param scheduleId  the schedule that fires it (origin SCHEDULER), or empty
 * @param limits      maxItems, maxTotalChargeUsd and restartOnError as asked
 */
public record StartRequest(Optional<String> build, Optional<Long> memoryMbytes, Optional<Long> timeoutSecs,
                           byte[] input, Optional<String> contentType, String origin,
                           Optional<RunNetwork> network, boolean admin, Optional<String> webhooks,
                           Optional<String> actorTaskId, Optional<String> scheduleId, StartLimits limits) {
    /** A standby run's {@code meta.origin} (Apify's META_ORIGINS.STANDBY): the SDK's standby mode checks for it. */
    public static final String STANDBY = "STANDBY";

    public StartRequest {
        limits = limits == null ? StartLimits.NONE : limits;
    }

    /**
     * What Actor Standby starts a run of its actor with ({@code RunService.start(actor, ownerId, request)}): origin
     * {@value #STANDBY}, the standby options' build and memory, no timeout (a standby run ends when it has been
     * idle for the options' idle timeout, or is aborted), no input (actord keeps no actor-level input to pass),
     * the actor's default network and restartOnError. Its container gets {@code ACTOR_STANDBY_PORT} and
     * {@code ACTOR_STANDBY_URL}.
     */
    public static StartRequest standby(ActorStandby options) {
        return new StartRequest(Optional.of(options.build()), Optional.of((long) options.memoryMbytes()),
                Optional.of(0L), new byte[0], Optional.empty(), STANDBY, Optional.empty(), false, Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /** A request without limits (the actor's default restartOnError applies). */
    public StartRequest(Optional<String> build, Optional<Long> memoryMbytes, Optional<Long> timeoutSecs,
                        byte[] input, Optional<String> contentType, String origin, Optional<RunNetwork> network,
                        boolean admin, Optional<String> webhooks, Optional<String> actorTaskId,
                        Optional<String> scheduleId) {
        this(build, memoryMbytes, timeoutSecs, input, contentType, origin, network, admin, webhooks, actorTaskId,
                scheduleId, StartLimits.NONE);
    }
}
