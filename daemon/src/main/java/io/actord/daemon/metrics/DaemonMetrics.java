package io.actord.daemon.metrics;

import io.actord.daemon.actor.ActorService;
import io.actord.daemon.http.Authenticator;
import io.actord.daemon.http.Router;
import io.actord.daemon.proxy.ContainerProxy;
import io.actord.daemon.run.RunService;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.user.UserService;
import io.actord.daemon.webhook.Webhooks;
import io.actord.runtime.ContainerRuntime;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Optional;

/**
 * The daemon's metrics: one registry per daemon, filled by the services' own listeners (run status changes and
 * containers, answered API requests, the proxy's traffic, webhook attempts) and read at each scrape from what the
 * services know now (active runs, host and user memory, the state store's sizes, the JVM). Every label is bounded:
 * actors, users, route templates, statuses; never a run id.
 */
public final class DaemonMetrics {
    /**
     * The JVM's metrics, one registry for the process: every daemon in it (tests run many) shares the JVM, and the
     * client keeps each registry its JVM instrumentation was added to for good.
     */
    private static final PrometheusRegistry JVM = jvm();

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    /**
     * What the metrics are made from.
     *
     * @param metricsToken the token scrapers may send ({@code --metrics-token}), if any
     * @param clock        the clock runs' timestamps come from
     */
    public record Parts(Router router, RunService runs, ActorService actors, UserService users, StateStore store,
                        ContainerRuntime runtime, Webhooks webhooks, ContainerProxy proxy,
                        Optional<String> metricsToken, Clock clock) {
    }

    private DaemonMetrics() {
    }

    /**
     * Makes the metrics, hooks them to the services and serves {@code GET /metrics} and {@code GET /readyz}. Call it
     * before the runs are recovered, so recovered runs are counted as they end.
     */
    public static DaemonMetrics install(Parts p) {
        DaemonMetrics metrics = new DaemonMetrics();
        PrometheusRegistry registry = metrics.registry;
        RunMetrics runs = new RunMetrics(registry, p.runs(), new ActorLabels(p.actors()), p.clock());
        p.runs().onStatusChange(runs::statusChanged);
        p.runs().listen(runs);
        p.router().observe(new ApiMetrics(registry));
        p.proxy().observe(new ProxyMetrics(registry));
        p.webhooks().onOutcome(new WebhookMetrics(registry));
        HostMetrics.register(registry, p.runs(), p.users());
        StoreMetrics.register(registry, p.store());
        Readiness readiness = new Readiness(p.runtime(), p.store());
        GaugeWithCallback.builder().name("actord_ready")
                .help("1 when the daemon can serve runs (what /readyz says), 0 while the container runtime or the"
                        + " state store is unavailable")
                .callback(cb -> cb.call(readiness.problems().isEmpty() ? 1 : 0)).register(registry);
        new MetricsRoutes(metrics, readiness, new MetricsAccess(p.metricsToken()), p.users()).register(p.router());
        return metrics;
    }

    /**
     * {@code inner}, except that on TCP the metrics token ({@code --metrics-token}) is not refused as an unknown
     * token: its bearer is anonymous to the API, and {@code /metrics} lets it in.
     */
    public static Authenticator authenticator(Optional<String> metricsToken, Authenticator inner) {
        return new MetricsAccess(metricsToken).authenticator(inner);
    }

    private static PrometheusRegistry jvm() {
        PrometheusRegistry jvm = new PrometheusRegistry();
        JvmMetrics.builder().register(jvm);
        return jvm;
    }

    /** Every metric now, the daemon's and the JVM's, in the Prometheus text format. */
    byte[] scrape() {
        MetricSnapshots.Builder all = MetricSnapshots.builder();
        registry.scrape().forEach(all::metricSnapshot);
        JVM.scrape().forEach(all::metricSnapshot);
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, all.build());
        } catch (IOException e) {
            throw new UncheckedIOException("write metrics", e);
        }
        return out.toByteArray();
    }

    String contentType() {
        return writer.getContentType();
    }
}
