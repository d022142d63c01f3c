package io.actord.daemon.api.dto;

/** The body of POST /v2/acts (and of PUT /v2/acts/{id}, where absent fields stay as they are). */
public record CreateActorDto(String name, String title, String description, DefaultRunOptionsDto defaultRunOptions,
                             ActorStandbyDto actorStandby) {
}
