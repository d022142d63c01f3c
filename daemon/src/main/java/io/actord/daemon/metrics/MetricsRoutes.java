package io.actord.daemon.metrics;

import io.actord.daemon.api.dto.ReadinessDto;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.Router;
import io.actord.daemon.user.UserService;

import java.util.List;

/**
 * {@code GET /metrics}: every metric in the Prometheus text format, for the admin and scrapers
 * ({@link MetricsAccess}). {@code GET /readyz}: 200 when the daemon can serve runs, 503 while its container runtime
 * or state store is unavailable; anyone may ask, only the admin learns why.
 */
final class MetricsRoutes {
    private final DaemonMetrics metrics;
    private final Readiness readiness;
    private final MetricsAccess access;
    private final UserService users;

    MetricsRoutes(DaemonMetrics metrics, Readiness readiness, MetricsAccess access, UserService users) {
        this.metrics = metrics;
        this.readiness = readiness;
        this.access = access;
        this.users = users;
    }

    void register(Router router) {
        router.get("/metrics", r -> {
            access.check(r, users.local().id());
            return ApiResponse.bytes(200, metrics.contentType(), metrics.scrape());
        });
        router.get("/readyz", r -> {
            List<String> problems = readiness.problems();
            return ApiResponse.data(problems.isEmpty() ? 200 : 503, problems.isEmpty() ? ReadinessDto.READY
                    : ReadinessDto.unavailable(r.caller().isAdmin() ? problems : null));
        });
    }
}
