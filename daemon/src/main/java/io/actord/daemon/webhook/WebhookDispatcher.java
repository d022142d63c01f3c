package io.actord.daemon.webhook;

import io.actord.daemon.Ids;
import io.actord.daemon.store.CloseableIterator;
import io.actord.daemon.store.Entry;
import io.actord.daemon.store.Scan;
import io.actord.daemon.store.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends webhook requests: POST with a 30 s timeout per attempt; a failure or a non-2xx answer is retried after
 * {@link #FIRST_RETRY}, then twice as long each time, {@link #ATTEMPTS} attempts in all (one if the webhook does
 * not retry). Each dispatch is stored
 * ({@code webhook_dispatches}) until it is delivered or given up, and {@link #resume} sends what a stopped daemon
 * left: delivery is at least once (a request in flight at the stop goes again, with the same dispatch id). The
 * HTTP client runs on {@code pool}, retries wait on {@code timers}: never on a run's or Netty's thread.
 */
public final class WebhookDispatcher {
    public static final int ATTEMPTS = 6;
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    public static final String USER_AGENT = "ApifyWebhooks (actord)";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final Table<String, WebhookDispatch> table;
    private final Clock clock;
    private final HttpClient client;
    private final ScheduledExecutorService timers;

    public WebhookDispatcher(Table<String, WebhookDispatch> table, Clock clock, Executor pool,
                             ScheduledExecutorService timers) {
        this.table = table;
        this.clock = clock;
        this.client = HttpClient.newBuilder().executor(pool).connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.timers = timers;
    }

    /** Stores, then sends {@code payload} to {@code url} with {@code headers} (the template's) in the background. */
    public void dispatch(String runId, String eventType, URI url, String payload, Map<String, String> headers,
                         boolean retry) {
        WebhookDispatch d = WebhookDispatch.first(Ids.newId(), runId, eventType, url.toString(), payload,
                usable(runId, eventType, url, headers), retry ? ATTEMPTS : 1, clock.instant());
        table.put(d.id(), d);
        send(d);
    }

    /** Daemon start: sends each dispatch an earlier daemon left, when its next attempt is due. */
    public void resume() {
        List<WebhookDispatch> left = new ArrayList<>();
        try (CloseableIterator<Entry<String, WebhookDispatch>> it = table.scan(Scan.all())) {
            it.forEachRemaining(e -> left.add(e.value()));
        }
        if (!left.isEmpty()) {
            LOG.info("webhooks resumed={} (requests an earlier daemon left undelivered)", left.size());
        }
        left.forEach(d -> later(d, Duration.between(clock.instant(), d.nextAttemptAt())));
    }

    /** The template's headers that make a valid request header; the others are left out (and said so). */
    private static Map<String, String> usable(String runId, String eventType, URI url, Map<String, String> headers) {
        Map<String, String> usable = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            try {
                HttpRequest.newBuilder(url).setHeader(name, value);
                usable.put(name, value);
            } catch (IllegalArgumentException e) {
                LOG.warn("run={} webhook {} to {}: header {} left out: {}", runId, eventType, url, name, e.getMessage());
            }
        });
        return usable;
    }

    private static HttpRequest request(WebhookDispatch d) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(d.requestUrl())).timeout(TIMEOUT)
                .header("Content-Type", "application/json; charset=utf-8").header("User-Agent", USER_AGENT)
                .header("X-Apify-Webhook-Dispatch-Id", d.id())
                .POST(HttpRequest.BodyPublishers.ofString(d.payload()));
        d.headers().forEach(b::setHeader);
        return b.build();
    }

    private void send(WebhookDispatch d) {
        try {
            client.sendAsync(request(d), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, error) -> settle(d, response, error));
        } catch (RuntimeException stopping) {
            LOG.info("run={} webhook {} dispatch={} not sent ({}); the next daemon start sends it", d.runId(),
                    d.eventType(), d.id(), stopping.getMessage());
        }
    }

    /** After an attempt: forgets a delivered or given-up dispatch, else stores and schedules the next attempt. */
    private void settle(WebhookDispatch d, HttpResponse<Void> response, Throwable error) {
        int n = d.failedAttempts() + 1;
        try {
            if (error == null && response.statusCode() / 100 == 2) {
                LOG.info("run={} webhook {} dispatch={} to {}: {} (attempt {})", d.runId(), d.eventType(), d.id(),
                        d.requestUrl(), response.statusCode(), n);
                table.delete(d.id());
                return;
            }
            String why = error != null ? String.valueOf(error.getMessage()) : "HTTP " + response.statusCode();
            if (n >= d.attempts()) {
                LOG.warn("run={} webhook {} dispatch={} to {} failed {} times, last: {}; giving up", d.runId(),
                        d.eventType(), d.id(), d.requestUrl(), n, why);
                table.delete(d.id());
                return;
            }
            Duration delay = FIRST_RETRY.multipliedBy(1L << (n - 1));
            LOG.info("run={} webhook {} dispatch={} to {} failed ({}); retry in {} ms", d.runId(), d.eventType(),
                    d.id(), d.requestUrl(), why, delay.toMillis());
            WebhookDispatch next = d.failedOnce(clock.instant().plus(delay));
            table.put(next.id(), next);
            later(next, delay);
        } catch (RuntimeException closed) {
            LOG.info("run={} webhook {} dispatch={}: {}; the next daemon start sends it", d.runId(), d.eventType(),
                    d.id(), closed.getMessage());
        }
    }

    /** Sends {@code d} after {@code delay} (now when it is past); a stopping daemon leaves it stored for the next. */
    private void later(WebhookDispatch d, Duration delay) {
        try {
            timers.schedule(() -> send(d), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RuntimeException stopping) {
            LOG.info("run={} webhook {} dispatch={}: the daemon is stopping; the next start sends it", d.runId(),
                    d.eventType(), d.id());
        }
    }
}
