package io.actord.daemon.console;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.Listener;
import io.actord.daemon.http.Router;
import io.netty.handler.codec.http.HttpHeaderNames;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Serves the console: {@code GET /} (index.html, revalidated on every load) and
 * {@code GET /console/<version>/<path>} (everything else, cacheable forever: a new console has a new
 * version). Neither path is one the API ({@code /v2/…}, {@code /healthz}) or the container-URL proxy
 * ({@code /containers/<token>/…}) uses. Not on a run's in-run endpoint: a run has no use for it.
 *
 * <p>The page may load only its own files and talk only to this origin (Content-Security-Policy): the API
 * token lives in the page's session storage, so no other script may run there. No page may frame any of
 * the console's files ({@code frame-ancestors 'none'} in the index's policy, X-Frame-Options on every file):
 * a run's page served in the path form shares this origin, and a same-origin frame of the console would
 * hand it the console's document and storage.
 */
public final class ConsoleRoutes {
    public static final String PREFIX = "/console/";
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
            + " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    private static final String FOREVER = "public, max-age=31536000, immutable";

    private final ConsoleAssets assets;

    public ConsoleRoutes(ConsoleAssets assets) {
        this.assets = assets;
    }

    public void register(Router router) {
        router.get("/", r -> serve(r, assets.get(ConsoleAssets.INDEX).orElseThrow(), "no-cache"))
                .get(PREFIX + "{version}/{path+}", r -> {
                    String path = r.pathParam("path");
                    Optional<ConsoleAssets.Asset> asset = r.pathParam("version").equals(assets.version())
                            && !path.equals(ConsoleAssets.INDEX) ? assets.get(path) : Optional.empty();
                    return serve(r, asset.orElseThrow(() -> new ApiException(ErrorType.PAGE_NOT_FOUND,
                            "the console has no file " + r.path())), FOREVER);
                });
    }

    private static ApiResponse serve(ApiRequest r, ConsoleAssets.Asset asset, String cacheControl) {
        if (r.listener() == Listener.RUN) {
            throw new ApiException(ErrorType.PAGE_NOT_FOUND, "no API endpoint at " + r.path());
        }
        boolean gzip = asset.gzipped().isPresent() && acceptsGzip(r.headers().get(HttpHeaderNames.ACCEPT_ENCODING));
        String etag = gzip ? asset.gzipEtag() : asset.etag();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ETag", etag);
        headers.put("Cache-Control", cacheControl);
        headers.put("Vary", "Accept-Encoding");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("X-Frame-Options", "DENY");
        if (asset.path().equals(ConsoleAssets.INDEX)) {
            headers.put("Content-Security-Policy", CSP);
            headers.put("Referrer-Policy", "no-referrer");
        }
        if (matches(r.headers().get(HttpHeaderNames.IF_NONE_MATCH), etag)) {
            return new ApiResponse.Full(304, null, new byte[0], headers);
        }
        if (gzip) {
            headers.put("Content-Encoding", "gzip");
        }
        return new ApiResponse.Full(200, asset.contentType(), gzip ? asset.gzipped().get() : asset.body(), headers);
    }

    /** Whether an Accept-Encoding header allows gzip (and does not refuse it with q=0). */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        return Arrays.stream(acceptEncoding.split(",")).map(String::trim).anyMatch(coding -> {
            String[] parts = coding.split(";");
            String name = parts[0].trim();
            if (!name.equalsIgnoreCase("gzip") && !name.equals("*")) {
                return false;
            }
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim().replace(" ", "");
                if (p.startsWith("q=")) {
                    try {
                        return Double.parseDouble(p.substring(2)) > 0;
                    } catch (NumberFormatException e) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    /** Whether If-None-Match names {@code etag} (weak comparison, as RFC 9110 asks for this header) or is "*". */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        return Arrays.stream(ifNoneMatch.split(",")).map(String::trim)
                .map(t -> t.startsWith("W/") ? t.substring(2) : t)
                .anyMatch(t -> t.equals("*") || t.equals(etag));
    }
}
