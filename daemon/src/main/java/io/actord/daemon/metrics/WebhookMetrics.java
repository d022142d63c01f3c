package io.actord.daemon.metrics;

import io.actord.daemon.webhook.DispatchOutcome;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.Locale;
import java.util.function.Consumer;

/** Webhook requests by how each attempt ended. */
final class WebhookMetrics implements Consumer<DispatchOutcome> {
    private final Counter attempts;

    WebhookMetrics(PrometheusRegistry registry) {
        this.attempts = Counter.builder().name("actord_webhook_attempts_total")
                .help("Attempts to send a webhook request, by outcome: delivered (2xx), retry (failed, tried again"
                        + " later), gave_up (the last attempt failed), refused (egress policy)")
                .labelNames("outcome").register(registry);
        for (DispatchOutcome o : DispatchOutcome.values()) {
            attempts.labelValues(label(o));
        }
    }

    @Override
    public void accept(DispatchOutcome outcome) {
        attempts.labelValues(label(outcome)).inc();
    }

    private static String label(DispatchOutcome o) {
        return o.name().toLowerCase(Locale.ROOT);
    }
}
