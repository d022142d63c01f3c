package io.actord.daemon.metrics;

import io.actord.daemon.proxy.ProxyTraffic;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The container-URL proxy's requests and the bytes it relayed each way. */
final class ProxyMetrics implements ProxyTraffic {
    private final Counter requests;
    private final CounterDataPoint toContainers;
    private final CounterDataPoint fromContainers;

    ProxyMetrics(PrometheusRegistry registry) {
        this.requests = Counter.builder().name("actord_proxy_requests_total")
                .help("Requests for container URLs taken to be relayed to a run's server").register(registry);
        Counter bytes = Counter.builder().name("actord_proxy_bytes_total")
                .help("Bytes the container-URL proxy wrote to runs' servers (to_container) and read from them"
                        + " (from_container)")
                .labelNames("direction").register(registry);
        this.toContainers = bytes.labelValues("to_container");
        this.fromContainers = bytes.labelValues("from_container");
    }

    @Override
    public void request() {
        requests.inc();
    }

    @Override
    public void bytes(long toContainer, long fromContainer) {
        if (toContainer > 0) {
            toContainers.inc(toContainer);
        }
        if (fromContainer > 0) {
            fromContainers.inc(fromContainer);
        }
    }
}
