package io.actord.daemon.http.routes;

import io.actord.daemon.actor.ActorStandby;
import io.actord.daemon.api.dto.ActorStandbyDto;

/** An actor's {@code actorStandby} between the wire and the store. */
final class StandbyOptions {
    private StandbyOptions() {
    }

    /**
     * The request's standby options laid over {@code base} (Apify's PUT: absent fields keep their values; a new
     * actor's base is the defaults); null when the request has none (nothing changes). Not yet validated.
     */
    static ActorStandby of(ActorStandbyDto dto, ActorStandby base) {
        if (dto == null) {
            return null;
        }
        return new ActorStandby(or(dto.isEnabled(), base.isEnabled()),
                or(dto.desiredRequestsPerActorRun(), base.desiredRequestsPerActorRun()),
                or(dto.maxRequestsPerActorRun(), base.maxRequestsPerActorRun()),
                or(dto.idleTimeoutSecs(), base.idleTimeoutSecs()), or(dto.build(), base.build()),
                or(dto.memoryMbytes(), base.memoryMbytes()),
                or(dto.disableStandbyFieldsOverride(), base.disableStandbyFieldsOverride()),
                or(dto.shouldPassActorInput(), base.shouldPassActorInput()), or(dto.tenancy(), base.tenancy()),
                or(dto.isConsoleAuthEnabled(), base.isConsoleAuthEnabled()));
    }

    /** The wire form; null for an actor whose standby options were never set. */
    static ActorStandbyDto view(ActorStandby s) {
        return s == null ? null : new ActorStandbyDto(s.isEnabled(), s.desiredRequestsPerActorRun(),
                s.maxRequestsPerActorRun(), s.idleTimeoutSecs(), s.build(), s.memoryMbytes(),
                s.disableStandbyFieldsOverride(), s.shouldPassActorInput(), s.tenancy(), s.isConsoleAuthEnabled());
    }

    private static <T> T or(T value, T base) {
        return value == null ? base : value;
    }
}
