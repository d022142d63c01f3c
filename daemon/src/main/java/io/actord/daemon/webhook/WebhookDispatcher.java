package io.actord.daemon.webhook;

import io.actord.daemon.run.RunOwner;
import io.actord.daemon.state.CloseableIterator;
import io.actord.daemon.state.Entry;
import io.actord.daemon.state.Scan;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.state.StateUnavailableException;
import io.actord.daemon.state.StoreException;
import io.actord.daemon.state.Table;
import io.actord.runtime.network.EgressPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Sends webhook requests: POST with a 30 s timeout per attempt; a failure or a non-2xx answer is retried on the
 * {@link WebhookRetries} schedule (Apify's by default: 11 retries over about 32 hours; none if the webhook does
 * not retry). Each dispatch is stored
 * ({@code webhook_dispatches}) until it is delivered or given up, and {@link #resume} sends what a stopped daemon
 * left: delivery is at least once (a request in flight at the stop goes again, with the same dispatch id). Each
 * call is added to the dispatch's {@link DispatchRecord}, which the API shows. The
 * HTTP client runs on {@code pool}, retries wait on {@code timers}: never on a run's or Netty's thread.
 *
 * <p>Every attempt first resolves the URL's host and checks each address against the {@link EgressPolicy}
 * (the one runs get: by default no loopback, private, link-local — the cloud metadata address — or host
 * address). A URL with a refused address is not sent, not retried, and its dispatch record is kept with the
 * reason ({@link WebhookDispatch#lastError}). The gap: the JDK's HttpClient resolves the host again itself
 * and cannot be handed the checked address (an IP-literal URL would break HTTPS name checks, and "Host" is a
 * restricted header), so a name whose answer changes between the two lookups (DNS rebinding) could still
 * reach a refused address. The JVM's address cache (networkaddress.cache.ttl, 30 s by default) makes the
 * second lookup normally return the first one's answer; the window is a rebinding server racing that cache.
 *
 * <p>Several daemons on one state database (PostgreSQL) each follow the dispatches they made or resumed, so a
 * dispatch may have a timer in more than one of them. Each attempt is claimed first: under the dispatch's
 * {@link StateStore#locked} lock, the stored dispatch must be due and not claimed by another daemon's attempt
 * under way ({@link WebhookDispatch#claimedUntil}, {@value #CLAIM_SECONDS} s: longer than an attempt can take);
 * the daemon that claims it sends it, the others wait for its next attempt (or for its claim to lapse, when the
 * claimer died) and forget it once it is delivered or given up. A store only one daemon opens needs no claims.
 */
public final class WebhookDispatcher {
    public static final String USER_AGENT = "ApifyWebhooks (actord)";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** An attempt's claim: its connect and its request time out after {@link #TIMEOUT} each. */
    static final long CLAIM_SECONDS = 2 * TIMEOUT.toSeconds() + 30;
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final StateStore store;
    private final Table<String, WebhookDispatch> table;
    private final Clock clock;
    private final HttpClient client;
    private final ScheduledExecutorService timers;
    private final Executor pool;
    private final EgressPolicy policy;
    private final WebhookRetries retries;
    private final DispatchLog log;
    private final RunOwner owner;
    private volatile Consumer<DispatchOutcome> outcomes = outcome -> {
    };

    /**
     * @param policy where webhooks may go (the daemon's egress policy for runs, with the host's addresses)
     * @param owner  this daemon: its dispatches carry its host id, and it resumes only its own
     */
    WebhookDispatcher(StateStore store, DispatchLog log, Clock clock, Executor pool,
                      ScheduledExecutorService timers, EgressPolicy policy, WebhookRetries retries, RunOwner owner) {
        this.store = store;
        this.table = store.table(WebhookTables.WEBHOOK_DISPATCHES);
        this.owner = owner;
        this.log = log;
        this.retries = retries;
        this.clock = clock;
        this.client = HttpClient.newBuilder().executor(pool).connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.timers = timers;
        this.pool = pool;
        this.policy = policy;
    }

    /**
     * Stores, then sends {@code payload} to {@code url} with {@code headers} (the template's) in the background, as
     * dispatch {@code id} (whose {@link DispatchRecord} the caller stored).
     */
    void dispatch(String id, String runId, String eventType, URI url, String payload, Map<String, String> headers,
                  boolean retry) {
        Instant now = clock.instant();
        WebhookDispatch d = WebhookDispatch.first(id, runId, eventType, url.toString(), payload,
                usable(runId, eventType, url, headers), retries.attempts(retry), now, owner.hostId(),
                claimUntil(now));
        table.put(d.id(), d);
        send(d);
    }

    /** From now on {@code listener} is told how each attempt ended (one listener: the metrics). */
    void onOutcome(Consumer<DispatchOutcome> listener) {
        outcomes = listener;
    }

    /**
     * Daemon start: sends each dispatch an earlier daemon left, when its next attempt is due; not those that another
     * daemon on the same database sends (and retries) itself.
     */
    public void resume() {
        List<WebhookDispatch> left = new ArrayList<>();
        try (CloseableIterator<Entry<String, WebhookDispatch>> it = table.scan(Scan.all())) {
            it.forEachRemaining(e -> {
                if (!e.value().finished() && owner.owns(e.value().ownerHost())) {
                    left.add(e.value());
                }
            });
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

    /**
     * Why the policy refuses {@code url}: the first of its host's addresses it does not permit. Empty when all
     * are permitted or the host does not resolve (then the request fails, and is retried, as any other).
     */
    Optional<String> refusal(URI url) {
        String host = url.getHost();
        if (host == null) {
            return Optional.empty();
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (!policy.permits(a)) {
                    return Optional.of("webhook refused: " + a.getHostAddress()
                            + " is not an allowed destination (egress policy)");
                }
            }
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private void send(WebhookDispatch d) {
        Optional<String> refused = refusal(URI.create(d.requestUrl()));
        if (refused.isPresent()) {
            LOG.warn("run={} webhook {} dispatch={} to {}: {}", d.runId(), d.eventType(), d.id(), d.requestUrl(),
                    refused.get());
            outcomes.accept(DispatchOutcome.REFUSED);
            try {
                table.put(d.id(), d.refused(refused.get()));
                Instant now = clock.instant();
                log.called(d.id(), new DispatchRecord.Call(now, now, refused.get(), null, null), DispatchRecord.FAILED);
            } catch (RuntimeException closed) {
                LOG.info("run={} webhook {} dispatch={}: not stored as refused: {}", d.runId(), d.eventType(), d.id(),
                        closed.getMessage());
            }
            return;
        }
        try {
            Instant startedAt = clock.instant();
            client.sendAsync(request(d), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, error) -> settle(d, startedAt, response, error));
        } catch (RuntimeException stopping) {
            LOG.info("run={} webhook {} dispatch={} not sent ({}); the next daemon start sends it", d.runId(),
                    d.eventType(), d.id(), stopping.getMessage());
        }
    }

    /**
     * After an attempt: forgets a delivered or given-up dispatch, else stores and schedules the next attempt. While
     * the state database is away the outcome cannot be stored: the same dispatch is sent again later (a receiver
     * that got it drops the repeat by its dispatch id), so its end is stored once the database is back.
     */
    private void settle(WebhookDispatch d, Instant startedAt, HttpResponse<Void> response, Throwable error) {
        int n = d.failedAttempts() + 1;
        try {
            Integer status = error == null ? response.statusCode() : null;
            String why = error != null ? String.valueOf(error.getMessage()) : "HTTP " + response.statusCode();
            boolean delivered = error == null && response.statusCode() / 100 == 2;
            outcomes.accept(delivered ? DispatchOutcome.DELIVERED : n >= d.attempts() ? DispatchOutcome.GAVE_UP
                    : DispatchOutcome.RETRY);
            log.called(d.id(), new DispatchRecord.Call(startedAt, clock.instant(), delivered ? null : why, status, null),
                    delivered ? DispatchRecord.SUCCEEDED : n >= d.attempts() ? DispatchRecord.FAILED
                            : DispatchRecord.ACTIVE);
            if (delivered) {
                LOG.info("run={} webhook {} dispatch={} to {}: {} (attempt {})", d.runId(), d.eventType(), d.id(),
                        d.requestUrl(), response.statusCode(), n);
                table.delete(d.id());
                return;
            }
            if (n >= d.attempts()) {
                LOG.warn("run={} webhook {} dispatch={} to {} failed {} times, last: {}; giving up", d.runId(),
                        d.eventType(), d.id(), d.requestUrl(), n, why);
                table.delete(d.id());
                return;
            }
            Duration delay = retries.delayAfter(n);
            LOG.info("run={} webhook {} dispatch={} to {} failed ({}); retry in {} ms", d.runId(), d.eventType(),
                    d.id(), d.requestUrl(), why, delay.toMillis());
            WebhookDispatch next = d.failedOnce(clock.instant().plus(delay), why);
            table.put(next.id(), next);
            later(next, delay);
        } catch (StateUnavailableException e) {
            Duration delay = retries.delayAfter(n);
            LOG.warn("run={} webhook {} dispatch={}: the attempt's outcome not stored ({}); sending it again in {} ms",
                    d.runId(), d.eventType(), d.id(), e.getMessage(), delay.toMillis());
            later(d, delay);
        } catch (RuntimeException closed) {
            LOG.info("run={} webhook {} dispatch={}: {}; the next daemon start sends it", d.runId(), d.eventType(),
                    d.id(), closed.getMessage());
        }
    }

    /**
     * Sends {@code d} after {@code delay} (now when it is past) on the pool (the host lookup blocks, the timer
     * thread must not), if this daemon can claim the attempt then; a stopping daemon leaves it stored for the next.
     */
    private void later(WebhookDispatch d, Duration delay) {
        Runnable onPool = () -> submit(d, () -> pool.execute(() -> claim(d).ifPresent(this::send)));
        submit(d, () -> timers.schedule(onPool, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS));
    }

    /**
     * The attempt a timer brought, as stored and claimed for this daemon; empty when the dispatch is gone (delivered
     * or given up) or is another daemon's to send now (then this one looks again when that attempt is due or its
     * claim lapses). While the state database is away nothing is sent: the claim is tried again later.
     */
    private Optional<WebhookDispatch> claim(WebhookDispatch d) {
        if (!store.shared()) {
            return Optional.of(d);
        }
        try {
            return store.locked(List.of("webhook-dispatch/" + d.id()), () -> {
                Optional<WebhookDispatch> stored = table.get(d.id()).filter(s -> !s.finished());
                Instant now = clock.instant();
                if (stored.isEmpty()) {
                    return Optional.<WebhookDispatch>empty();
                }
                WebhookDispatch s = stored.get();
                // d's own claim is the one its last attempt left when the outcome could not be stored
                boolean others = s.claimedAt(now) && !s.claimedUntil().equals(d.claimedUntil());
                Instant due = others ? s.claimedUntil() : s.nextAttemptAt();
                if (due.isAfter(now)) {
                    later(s, Duration.between(now, due));
                    return Optional.<WebhookDispatch>empty();
                }
                WebhookDispatch mine = s.claimed(claimUntil(now));
                table.put(mine.id(), mine);
                return Optional.of(mine);
            });
        } catch (StoreException e) {
            Duration delay = retries.delayAfter(d.failedAttempts() + 1);
            LOG.warn("run={} webhook {} dispatch={}: cannot claim the attempt ({}); trying again in {} ms", d.runId(),
                    d.eventType(), d.id(), e.getMessage(), delay.toMillis());
            later(d, delay);
            return Optional.empty();
        }
    }

    private static Instant claimUntil(Instant now) {
        return now.plusSeconds(CLAIM_SECONDS);
    }

    /** Hands {@code d}'s next step to an executor; a stopping one leaves it stored for the next daemon. */
    private static void submit(WebhookDispatch d, Runnable handOver) {
        try {
            handOver.run();
        } catch (RuntimeException stopping) {
            LOG.info("run={} webhook {} dispatch={}: the daemon is stopping; the next start sends it", d.runId(),
                    d.eventType(), d.id());
        }
    }
}
