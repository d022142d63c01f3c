package io.actord.cli;

/**
 * The daemon's resources as request targets (apify-api.md §2). Actors live under {@code /v2/acts}, which
 * every apify-client version understands; {@code user/name} is sent as {@code user~name}, as the client does.
 */
public final class ApiPaths {
    private ApiPaths() {
    }

    public static Query actors() {
        return Query.path("/v2/acts");
    }

    /** An actor by id, name, {@code user~name} or {@code user/name}. */
    public static Query actor(String ref) {
        return actors().segment(actorRef(ref));
    }

    public static String actorRef(String ref) {
        return ref.replaceFirst("/", "~");
    }

    public static Query tasks() {
        return Query.path("/v2/actor-tasks");
    }

    /** An actor task by id, name, {@code user~name} or {@code user/name}. */
    public static Query task(String ref) {
        return tasks().segment(actorRef(ref));
    }

    public static Query build(String buildId) {
        return Query.path("/v2/actor-builds").segment(buildId);
    }

    public static Query schedules() {
        return Query.path("/v2/schedules");
    }

    public static Query schedule(String scheduleId) {
        return schedules().segment(scheduleId);
    }

    public static Query runs() {
        return Query.path("/v2/actor-runs");
    }

    public static Query run(String runId) {
        return runs().segment(runId);
    }

    public static Query keyValueStore(String store) {
        return Query.path("/v2/key-value-stores").segment(store);
    }

    public static Query record(String store, String key) {
        return keyValueStore(store).literal("/records").segment(key);
    }

    public static Query dataset(String dataset) {
        return Query.path("/v2/datasets").segment(dataset);
    }

    public static Query requestQueue(String queue) {
        return Query.path("/v2/request-queues").segment(queue);
    }

    public static Query request(String queue, String requestId) {
        return requestQueue(queue).literal("/requests").segment(requestId);
    }

    /** The users (actord's admin API, over the Unix socket only). */
    public static Query users() {
        return Query.path("/v2/actord/users");
    }

    /** A user by id or username. */
    public static Query user(String ref) {
        return users().segment(ref);
    }

    public static Query tokens(String user) {
        return user(user).literal("/tokens");
    }

    public static Query token(String user, String tokenId) {
        return tokens(user).segment(tokenId);
    }

    /** The daemon's own status (not an Apify resource, hence its own namespace). */
    public static Query daemonStatus() {
        return Query.path("/v2/actord/status");
    }
}
