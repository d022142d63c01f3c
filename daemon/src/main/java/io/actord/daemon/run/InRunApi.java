package io.actord.daemon.run;

/**
 * Where a run reaches the API from inside its container: the in-run endpoint's base URL, the run's own token
 * and its events WebSocket. The supervisor asks for them ({@link #access}) before each container, and
 * {@link ContainerSpecFactory} puts them into the environment.
 */
public interface InRunApi {
    /**
     * What a container's environment says about the API (APIFY_API_BASE_URL, APIFY_API_PUBLIC_BASE_URL,
     * APIFY_TOKEN, ACTOR_EVENTS_WEBSOCKET_URL).
     */
    record Access(String baseUrl, String publicBaseUrl, String token, String eventsUrl) {
    }

    /** Issues the run's token for its next container, and says where that container reaches the API. */
    default Access access(Run run) {
        String token = newToken(run);
        return new Access(baseUrl(run), publicBaseUrl(), token, eventsUrl(run, token));
    }

    /** The API base URL inside the run's container, without {@code /v2} (APIFY_API_BASE_URL). */
    String baseUrl(Run run);

    /** The base URL users reach the API at, for public record and item URLs (APIFY_API_PUBLIC_BASE_URL). */
    String publicBaseUrl();

    /**
     * A new API token for the run's next container (APIFY_TOKEN): it acts as the run's user while the run is
     * active, and the run's earlier tokens stop working.
     */
    String newToken(Run run);

    /** The run's platform-events WebSocket (ACTOR_EVENTS_WEBSOCKET_URL), opened with {@code token}. */
    String eventsUrl(Run run, String token);
}
