package io.actord.daemon.cluster;

import io.actord.daemon.actor.Build;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.ResponseSink;
import io.actord.daemon.image.Digest;
import io.actord.daemon.image.ImageException;
import io.actord.daemon.image.ImportLimits;
import io.actord.daemon.image.LayerStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A build's layers on every host of a cluster (#26: "a host that lacks a build's layers fetches them by digest from a
 * peer that has them"). Builds, named images and their layer records are in the shared state; the unpacked layers only
 * on the host that imported or built them. Before a run's container is made here, or a build from source here starts
 * FROM a named image, each layer this host lacks is asked of the other live hosts in turn ({@link #PATH}, with the cluster token) and stored ({@link
 * LayerStore#receive}); one fetch of a layer at a time, however many runs wait for it. A host answers only a request
 * that carries the cluster token: the route is no user's.
 */
public final class LayerPeers {
    private static final Logger LOG = LoggerFactory.getLogger(LayerPeers.class);
    public static final String PATH = "/v2/actord/cluster/layers/{diffId}";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Until the answer's head: a host streams a layer as it reads it, so the head comes at once. */
    private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(30);
    private static final int CHUNK = 1 << 16;

    private final String hostId;
    private final LayerStore store;
    private final ImportLimits limits;
    private final Supplier<Optional<ClusterMembership>> membership;
    /** Striped: a fetch holds the stripe of its digest, so two runs of one build fetch its layers once. */
    private final Object[] fetching = new Object[64];
    private volatile HttpClient client;

    public LayerPeers(String hostId, LayerStore store, ImportLimits limits,
                      Supplier<Optional<ClusterMembership>> membership) {
        this.hostId = hostId;
        this.store = store;
        this.limits = limits;
        this.membership = membership;
        for (int i = 0; i < fetching.length; i++) {
            fetching[i] = new Object();
        }
    }

    /**
     * The directories of {@code build}'s layers ({@code local}'s answer), each fetched first from another live host
     * when this one lacks it.
     *
     * @throws ImageException when a layer is on no live host that answers, or its tar is bad
     */
    public List<Path> paths(Build build, Function<Build, List<Path>> local) {
        fetchMissing(build.layers().stream().map(Digest::parse).toList(), "build " + build.id());
        return local.apply(build);
    }

    /**
     * Fetches each of {@code layers} that this host lacks from another live host: those of a build's run, or of a
     * base image that a build from source here starts FROM ({@code what} names which, for the messages).
     *
     * @throws ImageException when a layer is on no live host that answers, or its tar is bad
     */
    public void fetchMissing(List<Digest> layers, String what) {
        Optional<ClusterMembership> m = membership.get();
        if (m.isPresent()) {
            for (Digest diffId : layers) {
                if (store.find(diffId).isEmpty()) {
                    synchronized (fetching[Math.floorMod(diffId.hashCode(), fetching.length)]) {
                        if (store.find(diffId).isEmpty()) {
                            fetch(m.get(), what, diffId);
                        }
                    }
                }
            }
        }
    }

    private void fetch(ClusterMembership m, String what, Digest diffId) {
        String token = m.token().value().orElseThrow(() -> new ImageException("layer " + diffId + " of " + what
                + " is not on this host, and this host has not read the cluster token to ask others"));
        List<HostRecord> peers = new ArrayList<>(m.hosts().stream().filter(h -> !h.hostId().equals(hostId)).toList());
        Collections.shuffle(peers);
        List<String> tried = new ArrayList<>();
        for (HostRecord peer : peers) {
            long begin = System.nanoTime();
            try {
                HttpResponse<InputStream> res = client().send(HttpRequest.newBuilder(URI.create(peer.apiUrl()
                                + PATH.replace("{diffId}", diffId.toString()))).timeout(HEAD_TIMEOUT)
                        .header(RelayHeaders.TOKEN, token).header(RelayHeaders.CALLER, "kind=anonymous")
                        .header(RelayHeaders.FROM, hostId).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream body = res.body()) {
                    if (res.statusCode() != 200) {
                        tried.add(peer.hostId() + ": " + res.statusCode());
                        continue;
                    }
                    store.receive(diffId, body, "layer " + diffId + " from host " + peer.hostId(), limits);
                }
                LOG.info("layer fetched diffId={} from={} for=\"{}\" ms={}", diffId, peer.hostId(), what,
                        Duration.ofNanos(System.nanoTime() - begin).toMillis());
                return;
            } catch (IOException e) {
                tried.add(peer.hostId() + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ImageException("interrupted while fetching layer " + diffId + " from host " + peer.hostId());
            }
        }
        throw new ImageException("layer " + diffId + " of " + what + " is not on this host (" + hostId
                + ") and no other live host gave it" + (tried.isEmpty() ? " (there is none)" : ": " + tried));
    }

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
                }
                c = client;
            }
        }
        return c;
    }

    /**
     * {@code GET} {@link #PATH}: the layer as a tar, streamed; 404 when it is not here. Only for the cluster's hosts
     * (403 for every other caller, the admin's too: a layer is taken through its build).
     */
    public ApiResponse answer(ApiRequest r) {
        if (!RelayHeaders.relayed(r)) {
            throw new ApiException(ErrorType.INSUFFICIENT_PERMISSIONS, "layers are given only to the cluster's"
                    + " hosts (with the " + RelayHeaders.TOKEN + " header)");
        }
        Digest diffId;
        try {
            diffId = Digest.parse(r.pathParam("diffId"));
        } catch (ImageException e) {
            throw ApiException.invalidValue(e.getMessage());
        }
        if (store.find(diffId).isEmpty()) {
            throw new ApiException(ErrorType.RECORD_NOT_FOUND, "layer " + diffId + " is not on host " + hostId);
        }
        return new ApiResponse.Streamed(200, "application/x-tar", sink -> send(diffId, sink, r.requestId()),
                Map.of());
    }

    /**
     * Writes the tar, and ends the body only when it is whole: a failure midway leaves it unended, so the handler cuts
     * the connection and the receiving host sees a broken answer rather than a short tar.
     */
    private void send(Digest diffId, ResponseSink sink, String requestId) {
        try {
            OutputStream out = new BufferedOutputStream(new SinkStream(sink), CHUNK);
            if (!store.send(diffId, out)) {
                throw new IOException("layer " + diffId + " was removed before it was sent");
            }
            out.flush();
            sink.close();
        } catch (IOException e) {
            LOG.warn("request id={} layer diffId={} not sent whole: {}", requestId, diffId, e.toString());
            throw new UncheckedIOException(e);
        }
    }

    /** A response body as a stream: each write a chunk; the body is ended by the sink's own close. */
    private static final class SinkStream extends OutputStream {
        private final ResponseSink sink;

        SinkStream(ResponseSink sink) {
            this.sink = sink;
        }

        @Override
        public void write(int b) {
            sink.write(new byte[] {(byte) b});
        }

        @Override
        public void write(byte[] b, int off, int len) {
            sink.write(Arrays.copyOfRange(b, off, off + len));
        }
    }
}
