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
 */
public final class Router {
    private final List<Route> routes = new CopyOnWriteArrayList<>();

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
     * @throws ApiException 404 page-not-found when no template matches the path, 405 method-not-allowed
     *                      when some do, but not for this method
     */
    public Match match(HttpMethod method, String rawPath) {
        List<Match> byPath = new ArrayList<>();
        for (Route r : routes) {
            r.template().match(rawPath).ifPresent(p -> byPath.add(new Match(r, p)));
        }
        if (byPath.isEmpty()) {
            throw new ApiException(ErrorType.PAGE_NOT_FOUND, "no API endpoint at " + rawPath);
        }
        Optional<Match> exact = best(byPath, method);
        if (exact.isEmpty() && method.equals(HttpMethod.HEAD)) {
            exact = best(byPath, HttpMethod.GET);
        }
        return exact.orElseThrow(() -> new ApiException(ErrorType.METHOD_NOT_ALLOWED,
                "method " + method + " is not allowed on " + rawPath));
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
