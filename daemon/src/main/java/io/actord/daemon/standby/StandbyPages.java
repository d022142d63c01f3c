package io.actord.daemon.standby;

import java.time.Duration;

/**
 * The texts of the proxy's own answers to standby requests, for a person at a browser or curl: what
 * happened and what to do. The only place they are made; the proxy turns them into plain-text pages.
 */
final class StandbyPages {
    /** Unknown actors, actors without standby and actors the caller may not see get the same page. */
    static final String NOT_FOUND = "No actor with Actor Standby enabled has this standby URL. Check the URL, and"
            + " that the actor's actorStandby options are enabled.";
    static final String NO_TOKEN = "Actor Standby needs an API token: send it in an 'Authorization: Bearer <token>'"
            + " header (recommended) or in the 'token' query parameter.";

    private StandbyPages() {
    }

    static String invalidToken(String why) {
        return "The API token is not valid: " + why + ".";
    }

    static String forbidden(String actor) {
        return "This API token's user may not run actor " + actor + ", so it may not use its standby URL.";
    }

    static String notReady(String actor, Duration wait) {
        return "The Actor did not become ready in time: no standby run of " + actor + " accepted the request within "
                + wait.toSeconds() + " s. Its server must listen on the port in ACTOR_STANDBY_PORT; see the runs' logs.";
    }

    static String queueFull(String actor, int limit) {
        return "Too many requests are waiting for a standby run of " + actor + " (" + limit + "). Try again in a"
                + " moment.";
    }

    static String startFailed(String actor, String reason) {
        return "A standby run of " + actor + " could not be started: " + reason;
    }

    static String runEnded(String actor, String how) {
        return "The standby run of " + actor + " that was to serve this request ended before it could (" + how
                + "). Try again; see the run's log if it keeps happening.";
    }
}
