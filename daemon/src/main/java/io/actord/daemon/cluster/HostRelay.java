package io.actord.daemon.cluster;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.common.Futures;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.ResponseSink;
import io.netty.handler.codec.http.QueryStringEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * Sends a request this host took on to another host of the cluster, as the caller this host authenticated, with the
 * cluster token ({@link RelayHeaders}), and passes its answer back: the one sending part of {@link RunRelay} and
 * {@link BuildRelay}, which decide where a request goes.
 *
 * <p>The JDK's HTTP client: each relay is one request and its answer, whose body is passed on as it comes, so a
 * followed log holds no thread; when the client goes away the relay is cancelled, which closes the connection to the
 * other host and ends its follow there ({@link ResponseSink#onAbandoned}).
 */
final class HostRelay {
    private static final Logger LOG = LoggerFactory.getLogger(HostRelay.class);
    /**
     * How long a relayed request may take on the other host (a metamorph answers once the new container runs; a build
     * posted with waitForFinish answers within 60 s).
     */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /**
     * The client's request headers that go on to the other host: what the routes read (a charge's idempotency key, a
     * build's meta). Not the token (the caller goes as {@link RelayHeaders#CALLER}), not the framing, which is the
     * relay's own.
     */
    private static final List<String> FORWARDED = List.of("Content-Type", "Accept", "Idempotency-Key", "User-Agent",
            "X-Forwarded-For");
    /** Response headers of the other host besides the status and type that go on to the client. */
    private static final List<String> PASSED = List.of("Content-Disposition", "Location");

    private final String hostId;
    /**
     * Made when the host joins, so a daemon outside a cluster has none (each has a selector thread; Java 17's client
     * has no close: it ends when the client is no longer referenced).
     */
    private volatile HttpClient client;

    /** @param hostId this host: the relays say they come from it */
    HostRelay(String hostId) {
        this.hostId = hostId;
    }

    /** Makes the client: from now on requests can be sent. */
    void open() {
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The cluster token the relays carry; 503 before this host has read it. */
    static String token(ClusterMembership m) {
        return m.token().value().orElseThrow(() -> new ApiException(ErrorType.SERVICE_UNAVAILABLE,
                "this host has not read the cluster token yet; try again"));
    }

    /**
     * Sends {@code r} to {@code target} (not this host) as it came, with {@code token}; with {@code stream} the
     * answer's body is passed on as it comes and no answer timeout applies. A host that does not answer is 503.
     */
    CompletableFuture<ApiResponse> send(HostRecord target, ApiRequest r, String token, boolean stream) {
        QueryStringEncoder url = new QueryStringEncoder(target.apiUrl() + r.path());
        r.query().forEach((name, values) -> values.forEach(v -> url.addParam(name, v)));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url.toString()))
                .method(r.method().name(), r.body().length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(r.body()))
                .header(RelayHeaders.TOKEN, token)
                .header(RelayHeaders.CALLER, RelayHeaders.encode(r.caller()))
                .header(RelayHeaders.FROM, hostId);
        FORWARDED.forEach(h -> r.headers().getAll(h).forEach(v -> b.header(h, v)));
        if (!stream) {
            b.timeout(ANSWER_TIMEOUT);
        }
        LOG.debug("request id={} relayed to host={} method={} path={}", r.requestId(), target.hostId(), r.method(),
                r.path());
        if (stream) {
            return client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofPublisher()).handle((res, error) -> {
                checkAnswered(target, error);
                return new ApiResponse.Streamed(res.statusCode(), contentType(res), sink -> res.body().subscribe(
                        new SinkSubscriber(sink)), passed(res));
            });
        }
        return client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray()).handle((res, error) -> {
            checkAnswered(target, error);
            return new ApiResponse.Full(res.statusCode(), contentType(res), res.body(), passed(res));
        });
    }

    private static void checkAnswered(HostRecord target, Throwable error) {
        if (error != null) {
            Throwable cause = Futures.cause(error);
            throw new ApiException(ErrorType.SERVICE_UNAVAILABLE, "host " + target.hostId() + " ("
                    + target.apiUrl() + "), to which the request was relayed, did not answer: " + cause);
        }
    }

    private static String contentType(HttpResponse<?> res) {
        return res.headers().firstValue("Content-Type").orElse(null);
    }

    private static Map<String, String> passed(HttpResponse<?> res) {
        Map<String, String> headers = new LinkedHashMap<>();
        PASSED.forEach(h -> res.headers().firstValue(h).ifPresent(v -> headers.put(h, v)));
        return headers;
    }

    /** The other host's answer, chunk by chunk as it comes, onto the client's connection. */
    private static final class SinkSubscriber implements Flow.Subscriber<List<ByteBuffer>> {
        private final ResponseSink sink;
        private Flow.Subscription subscription;

        SinkSubscriber(ResponseSink sink) {
            this.sink = sink;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            // The client went away: cancelling closes the connection to the other host, which stops following.
            sink.onAbandoned(s::cancel);
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                sink.write(chunk);
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable error) {
            LOG.debug("relayed stream ended early: {}", error.toString());
            sink.close();
        }

        @Override
        public void onComplete() {
            sink.close();
        }
    }
}
