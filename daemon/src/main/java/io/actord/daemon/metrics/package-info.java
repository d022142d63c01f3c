/**
 * What an operator watches the daemon with: {@code GET /metrics} in the Prometheus text format (the Prometheus
 * Java client's registry and writer; the services tell {@link io.actord.daemon.metrics.DaemonMetrics} what happens
 * through the listeners they offer) and {@code GET /readyz}.
 */
package io.actord.daemon.metrics;
