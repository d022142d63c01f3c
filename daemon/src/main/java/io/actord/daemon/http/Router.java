package io.actord.daemon.http;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.netty.handler.codec.http.HttpMethod;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Maps a method and path to a {@link Route}. Route classes register their routes once at start-up; the
 * most specific template (most literal segments) wins, so {@code /runs/last} beats {@code /runs/{runId}}.
 * A HEAD request is answered by the GET route when there is no HEAD route (the body is dropped).
 * <p>
 * A path no route matches is 404 page-not-found, except under a known {@link #collection collection}: there an id
 * ({@code /v2/actor-tasks/X}) is 404 record-not-found, as is anything below an id when no route serves that
 * collection's ids at all ({@code /v2/actor-tasks/X/input} while tasks have no routes): no record of such a kind can
 * exist, and apify-client's {@code get()}, {@code getInput()}, {@code getLog()} … return {@code undefined} only for
 * record-not-found. Routes always win over this fallback, whenever they are registered.
 */
public final class Router {
    /** What {@link #templateOf} says of a path that no route has. */
    public static final String UNMATCHED = "unmatched";

    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final List<Collection> collections = new CopyOnWriteArrayList<>();
    private volatile RequestObserver observer = RequestObserver.NONE;
    private volatile RouteInterceptor interceptor = RouteInterceptor.NONE;

    /**
     * A collection of the platform's resources ({@code /v2/schedules}), how errors name one ("Schedule"), and the
     * templates of an id under it and of any path below that id.
     */
    private record Collection(String prefix, String title, PathTemplate id, PathTemplate below) {
        Collection(String prefix, String title) {
            this(prefix, title, PathTemplate.parse(prefix + "/{id}"), PathTemplate.parse(prefix + "/{id}/{rest+}"));
        }
    }

    public Router add(HttpMethod method, String template, RequestHandler handler) {
        routes.add(new Route(method, PathTemplate.parse(template), handler));
        return this;
    }

    public Router get(String template, RequestHandler.Sync handler) {
        return add(HttpMethod.GET, template, RequestHandler.sync(handler));
    }

    public Router post(String template, RequestHandler.Sync handler) {
        return add(HttpMethod.POST, template, RequestHandler.sync(handler));
    }

    public Router put(String template, RequestHandler.Sync handler) {
        return add(HttpMethod.PUT, template, RequestHandler.sync(handler));
    }

    public Router delete(String template, RequestHandler.Sync handler) {
        return add(HttpMethod.DELETE, template, RequestHandler.sync(handler));
    }

    /** Declares {@code prefix} a collection of resources called {@code title} (see the class comment). */
    public Router collection(String prefix, String title) {
        collections.add(new Collection(prefix, title));
        return this;
    }

    /** From now on {@code i} may answer a matched request before its handler (one interceptor: the cluster's relay). */
    public void intercept(RouteInterceptor i) {
        interceptor = i;
    }

    public RouteInterceptor interceptor() {
        return interceptor;
    }

    /** From now on {@code o} is told of each request answered through this table (one observer: the metrics). */
    public void observe(RequestObserver o) {
        observer = o;
    }

    public RequestObserver observer() {
        return observer;
    }

    /**
     * The template of the route a request would take, whether or not it may ({@link #UNMATCHED} when no route
     * has the path): a bounded name for a concrete path, for the metrics.
     */
    public String templateOf(HttpMethod method, String rawPath) {
        try {
            return match(method, rawPath).route().template().pattern();
        } catch (ApiException e) {
            return UNMATCHED;
        }
    }

    /** Every route, in the order registered (the route table: what the fuzz test and docs enumerate). */
    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /** A route and the parameters its template captured. */
    public record Match(Route route, Map<String, String> params) {
    }

    /**
     * The route for a request.
     *
     * @throws ApiException 404 page-not-found when no template matches the path (record-not-found for an id under
     *                      a known collection), 405 method-not-allowed when some do, but not for this method
     */
    public Match match(HttpMethod method, String rawPath) {
        List<Match> byPath = new ArrayList<>();
        for (Route r : routes) {
            r.template().match(rawPath).ifPresent(p -> byPath.add(new Match(r, p)));
        }
        if (byPath.isEmpty()) {
            throw unmatched(rawPath);
        }
        Optional<Match> exact = best(byPath, method);
        if (exact.isEmpty() && method.equals(HttpMethod.HEAD)) {
            exact = best(byPath, HttpMethod.GET);
        }
        return exact.orElseThrow(() -> new ApiException(ErrorType.METHOD_NOT_ALLOWED,
                "method " + method + " is not allowed on " + rawPath));
    }

    private ApiException unmatched(String rawPath) {
        for (Collection c : collections) {
            Optional<Map<String, String>> id = c.id().match(rawPath);
            Optional<Map<String, String>> below = c.below().match(rawPath);
            if (id.isPresent() || below.isPresent() && !servesIds(c)) {
                return ApiException.notFound(c.title(), id.or(() -> below).orElseThrow().get("id"));
            }
        }
        return new ApiException(ErrorType.PAGE_NOT_FOUND, "no API endpoint at " + rawPath);
    }

    /** Whether some route takes an id right under the collection ({@code /v2/datasets/{datasetId}/…}). */
    private boolean servesIds(Collection c) {
        String idSegment = c.prefix() + "/{";
        return routes.stream().anyMatch(r -> r.template().pattern().startsWith(idSegment));
    }

    private static Optional<Match> best(List<Match> matches, HttpMethod method) {
        Match best = null;
        for (Match m : matches) {
            if (m.route().method().equals(method)
                    && (best == null || m.route().template().literals() > best.route().template().literals())) {
                best = m;
            }
        }
        return Optional.ofNullable(best);
    }
}
