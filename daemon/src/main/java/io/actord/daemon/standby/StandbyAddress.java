package io.actord.daemon.standby;

import java.util.Optional;

/**
 * A request's standby URL, parsed: the actor it names and what the actor's server gets.
 *
 * @param actorRef the actor as the API names it ({@code username~name})
 * @param uri      the request target for the run's server (the path form's prefix taken off)
 * @param prefix   that prefix (path form), for X-Forwarded-Prefix
 */
record StandbyAddress(String actorRef, String uri, Optional<String> prefix) {
}
