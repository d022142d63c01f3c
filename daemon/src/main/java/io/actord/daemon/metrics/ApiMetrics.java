package io.actord.daemon.metrics;

import io.actord.daemon.http.RequestObserver;
import io.netty.handler.codec.http.HttpMethod;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.Set;

/**
 * The API's requests by method, route template (the router's pattern, never the concrete path) and status. A
 * method outside HTTP's usual ones is "other": clients may send any token there.
 */
final class ApiMetrics implements RequestObserver {
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

    private final Counter requests;
    private final Histogram duration;

    ApiMetrics(PrometheusRegistry registry) {
        this.requests = Counter.builder().name("actord_api_requests_total")
                .help("API requests answered, by method, route template and HTTP status code")
                .labelNames("method", "route", "code").register(registry);
        this.duration = Histogram.builder().name("actord_api_request_duration_seconds")
                .help("From an API request's arrival to its answer (to the head of a streamed one), by method and"
                        + " route template")
                .labelNames("method", "route").classicOnly()
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
                .register(registry);
    }

    @Override
    public void answered(HttpMethod method, String route, int status, long nanos) {
        String m = METHODS.contains(method.name()) ? method.name() : "other";
        requests.labelValues(m, route, Integer.toString(status)).inc();
        duration.labelValues(m, route).observe(nanos / 1e9);
    }
}
