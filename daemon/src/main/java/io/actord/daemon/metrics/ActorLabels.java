package io.actord.daemon.metrics;

import io.actord.daemon.actor.ActorService;

/**
 * An actor as a metric label: {@code username/name}, bounded by the actors there are; the id when the actor is gone
 * (its runs may still end).
 */
final class ActorLabels {
    private final ActorService actors;

    ActorLabels(ActorService actors) {
        this.actors = actors;
    }

    String of(String actorId) {
        return actors.byId(actorId).map(a -> a.username() + "/" + a.name()).orElse(actorId);
    }
}
