package io.actord.daemon.builds;

import io.actord.daemon.access.Caller;
import io.actord.daemon.storage.KeyValueStore;
import io.actord.daemon.storage.KvRecord;
import io.actord.runtime.network.EgressPolicy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a TARBALL version's archive comes from. A URL of a record in one of this daemon's key-value stores (what
 * {@code apify push} uploads: {@code …/v2/key-value-stores/{id}/records/{key}}) is read from the store, as the user
 * who asked for the build, whatever its host; any other http(s) URL is fetched, when every address of its host is
 * one the runs' egress policy permits (no loopback, private or metadata address, as for webhooks; the same DNS
 * rebinding gap as {@link io.actord.daemon.webhook.WebhookDispatcher}'s). The archive's size is bounded by the
 * importer's limits as it is unpacked.
 */
public final class Tarballs implements TarballSource {
    private static final Pattern RECORD = Pattern.compile("^/v2/key-value-stores/([^/]+)/records/([^/]+)$");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final KeyValueStore stores;
    private final EgressPolicy policy;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public Tarballs(KeyValueStore stores, EgressPolicy policy) {
        this.stores = stores;
        this.policy = policy;
    }

    @Override
    public InputStream open(String url, Caller caller) throws IOException {
        URI uri = URI.create(url);
        Matcher record = RECORD.matcher(uri.getRawPath() == null ? "" : uri.getRawPath());
        if (record.matches()) {
            String store = URLDecoder.decode(record.group(1), StandardCharsets.UTF_8);
            String key = URLDecoder.decode(record.group(2), StandardCharsets.UTF_8);
            KvRecord found = stores.record(caller, store, key).orElseThrow(() -> new SourceException("the tarball "
                    + url + " is not in key-value store " + store));
            return new ByteArrayInputStream(found.value());
        }
        for (InetAddress a : InetAddress.getAllByName(uri.getHost())) {
            if (!policy.permits(a)) {
                throw new SourceException("the tarball " + url + " is not fetched: " + a.getHostAddress()
                        + " is not an allowed destination (egress policy)");
            }
        }
        try {
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET()
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                response.body().close();
                throw new SourceException("fetch the tarball " + url + ": HTTP " + response.statusCode());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("fetch the tarball " + url + ": interrupted", e);
        }
    }
}
