package io.actord.daemon.webhook;

import io.actord.daemon.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends webhook requests: POST with a 30 s timeout per attempt; a failure or a non-2xx answer is retried after
 * {@link #FIRST_RETRY}, then twice as long each time, {@link #ATTEMPTS} attempts in all. Dispatches live in memory
 * only. The HTTP client runs on {@code pool}, retries wait on {@code timers}: never on a run's or Netty's thread.
 */
public final class WebhookDispatcher {
    public static final int ATTEMPTS = 6;
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    public static final String USER_AGENT = "ApifyWebhooks (actord)";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final HttpClient client;
    private final ScheduledExecutorService timers;

    public WebhookDispatcher(Executor pool, ScheduledExecutorService timers) {
        this.client = HttpClient.newBuilder().executor(pool).connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.timers = timers;
    }

    /** Sends {@code payload} to {@code url} with {@code headers} (the template's) in the background. */
    public void dispatch(String runId, String eventType, URI url, String payload, Map<String, String> headers) {
        String dispatchId = Ids.newId();
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(TIMEOUT)
                .header("Content-Type", "application/json; charset=utf-8").header("User-Agent", USER_AGENT)
                .header("X-Apify-Webhook-Dispatch-Id", dispatchId)
                .POST(HttpRequest.BodyPublishers.ofString(payload));
        headers.forEach((name, value) -> {
            try {
                b.setHeader(name, value);
            } catch (IllegalArgumentException e) {
                LOG.warn("run={} webhook {} to {}: header {} left out: {}", runId, eventType, url, name, e.getMessage());
            }
        });
        attempt(runId, eventType, b.build(), dispatchId, 1);
    }

    private void attempt(String runId, String eventType, HttpRequest request, String dispatchId, int n) {
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            if (error == null && response.statusCode() / 100 == 2) {
                LOG.info("run={} webhook {} dispatch={} to {}: {} (attempt {})", runId, eventType, dispatchId,
                        request.uri(), response.statusCode(), n);
                return;
            }
            String why = error != null ? String.valueOf(error.getMessage()) : "HTTP " + response.statusCode();
            if (n >= ATTEMPTS) {
                LOG.warn("run={} webhook {} dispatch={} to {} failed {} times, last: {}; giving up", runId, eventType,
                        dispatchId, request.uri(), n, why);
                return;
            }
            long delay = FIRST_RETRY.toMillis() << (n - 1);
            LOG.info("run={} webhook {} dispatch={} to {} failed ({}); retry in {} ms", runId, eventType, dispatchId,
                    request.uri(), why, delay);
            try {
                timers.schedule(() -> attempt(runId, eventType, request, dispatchId, n + 1), delay,
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                LOG.info("run={} webhook {} dispatch={}: the daemon is stopping, no retry", runId, eventType,
                        dispatchId);
            }
        });
    }
}
